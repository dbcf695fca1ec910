package dev.loci.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FakeClockTest {
    private static final Instant START = Instant.parse("2030-05-06T07:08:09Z");

    @Test
    void startsWhereToldInUtcAndStandsStill() {
        FakeClock clock = new FakeClock(START);

        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(new FakeClock().instant()).isEqualTo(FakeClock.DEFAULT_START);
    }

    @Test
    void advanceMovesForwardAndReturnsTheNewInstant() {
        FakeClock clock = new FakeClock(START);

        assertThat(clock.advance(Duration.ofMinutes(5))).isEqualTo(START.plusSeconds(300));
        assertThat(clock.advance(Duration.ZERO)).isEqualTo(START.plusSeconds(300));
        assertThat(clock.instant()).isEqualTo(START.plusSeconds(300));
    }

    @Test
    void advanceRejectsNegativeAmounts() {
        FakeClock clock = new FakeClock(START);

        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("amount must not be negative")
                .hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> clock.advance(null)).isInstanceOf(NullPointerException.class);
        assertThat(clock.instant()).isEqualTo(START);
    }

    @Test
    void setMovesForwardButNeverBackwards() {
        FakeClock clock = new FakeClock(START);
        Instant later = START.plus(Duration.ofDays(3));

        clock.set(later);
        clock.set(later); // same instant is fine
        assertThat(clock.instant()).isEqualTo(later);

        assertThatThrownBy(() -> clock.set(START))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(START.toString())
                .hasMessageContaining(later.toString())
                .hasMessageContaining("rewind");
        assertThat(clock.instant()).isEqualTo(later);
    }

    @Test
    void rewindMovesBackwardsOnlyWhenAskedExplicitly() {
        FakeClock clock = new FakeClock(START);

        assertThat(clock.rewind(Duration.ofHours(1))).isEqualTo(START.minusSeconds(3600));
        assertThat(clock.instant()).isEqualTo(START.minusSeconds(3600));
        assertThatThrownBy(() -> clock.rewind(Duration.ofHours(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withZoneSharesTheTime() {
        FakeClock clock = new FakeClock(START);
        ZoneId paris = ZoneId.of("Europe/Paris");
        FakeClock inParis = clock.withZone(paris);

        clock.advance(Duration.ofSeconds(10));
        inParis.advance(Duration.ofSeconds(5));

        assertThat(inParis.getZone()).isEqualTo(paris);
        assertThat(inParis.instant()).isEqualTo(START.plusSeconds(15));
        assertThat(clock.instant()).isEqualTo(START.plusSeconds(15));
        assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
    }

    @Test
    void concurrentAdvancesAllCount() throws Exception {
        int threads = 4;
        int advancesEach = 1_000 * Integer.getInteger("loci.test.iterations", 1);
        FakeClock clock = new FakeClock(START);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    for (int i = 0; i < advancesEach; i++) {
                        clock.advance(Duration.ofMillis(1));
                    }
                    return null;
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(clock.instant()).isEqualTo(START.plusMillis((long) threads * advancesEach));
    }
}
