package dev.loci.internal.journal;

import static dev.loci.internal.journal.Journals.bytes;
import static dev.loci.internal.journal.Journals.replayed;
import static dev.loci.internal.journal.Journals.segments;
import static dev.loci.internal.journal.Journals.syncOptions;
import static dev.loci.internal.journal.Journals.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalRewriteTest {
    private static final String MARKER = "PURGE-ME-7f3a";
    private static final Predicate<byte[]> MARKED = payload -> text(payload).contains(MARKER);

    @TempDir
    Path dir;

    /** Asserts that no file under the directory holds the marker's bytes anywhere. */
    private void assertNoMarkerBytes() throws IOException {
        byte[] marker = MARKER.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(content).as("bytes of %s", file)
                        .doesNotContain(new String(marker, StandardCharsets.ISO_8859_1));
            }
        }
    }

    @Test
    void rewriteDropsMatchingEntriesAndKeepsTheRestWithTheirSequences() throws IOException {
        try (Journal journal = Journal.open(dir, syncOptions(160))) {
            for (int i = 1; i <= 12; i++) {
                journal.append(bytes(i % 3 == 0 ? "secret " + MARKER + " " + i : "keep " + i));
            }
            assertThat(segments(dir)).hasSizeGreaterThan(2);

            assertThat(journal.rewrite(MARKED)).isEqualTo(4);

            Map<Long, String> kept = replayed(journal);
            assertThat(kept.keySet()).containsExactly(1L, 2L, 4L, 5L, 7L, 8L, 10L, 11L);
            assertThat(kept).containsEntry(11L, "keep 11");
            assertNoMarkerBytes();
            assertThat(journal.append(bytes("after rewrite"))).isEqualTo(13);
        }
        try (Journal journal = Journal.open(dir, syncOptions(160))) {
            Map<Long, String> kept = replayed(journal);
            assertThat(kept.keySet()).containsExactly(1L, 2L, 4L, 5L, 7L, 8L, 10L, 11L, 13L);
            assertThat(journal.append(bytes("later"))).isEqualTo(14);
            assertThat(journal.rewrite(MARKED)).isZero();
        }
        assertNoMarkerBytes();
    }

    @Test
    void droppingTheLastEntriesNeverReusesTheirSequences() throws IOException {
        try (Journal journal = Journal.open(dir, Journal.Options.sync())) {
            journal.append(bytes("keep"));
            journal.append(bytes(MARKER + " a"));
            journal.append(bytes(MARKER + " b"));
            assertThat(journal.rewrite(MARKED)).isEqualTo(2);
            assertThat(journal.lastSequence()).isEqualTo(3);
        }
        assertNoMarkerBytes();
        try (Journal journal = Journal.open(dir, Journal.Options.sync())) {
            assertThat(journal.lastSequence()).isEqualTo(3);
            assertThat(replayed(journal)).containsExactly(Map.entry(1L, "keep"));
            assertThat(journal.append(bytes("next"))).isEqualTo(4);
        }
    }

    @Test
    void droppingEverythingLeavesAnEmptyJournalThatStillCountsOn() throws IOException {
        try (Journal journal = Journal.open(dir, syncOptions(100))) {
            journal.appendAll(List.of(bytes(MARKER + " 1"), bytes(MARKER + " 2"), bytes(MARKER + " 3")));
            assertThat(journal.rewrite(payload -> true)).isEqualTo(3);
            assertThat(replayed(journal)).isEmpty();
        }
        assertNoMarkerBytes();
        assertThat(segments(dir)).hasSize(1);
        try (Journal journal = Journal.open(dir, syncOptions(100))) {
            assertThat(replayed(journal)).isEmpty();
            assertThat(journal.append(bytes("fresh"))).isEqualTo(4);
        }
    }

    @Test
    void appendsAfterARewriteSurviveAndReplayFromTheMiddle() {
        try (Journal journal = Journal.open(dir, syncOptions(200))) {
            for (int i = 1; i <= 10; i++) {
                journal.append(bytes((i % 2 == 0 ? MARKER : "plain") + "-" + i));
            }
            journal.rewrite(MARKED);
            journal.append(bytes("plain-11"));
            assertThat(replayed(journal, 4).keySet()).containsExactly(5L, 7L, 9L, 11L);
        }
        try (Journal journal = Journal.open(dir, syncOptions(200))) {
            assertThat(replayed(journal, 4).keySet()).containsExactly(5L, 7L, 9L, 11L);
        }
    }

    @Test
    void appendsMayContinueWhileARewriteRuns() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Journal journal = Journal.open(dir, Journal.Options.async(Duration.ofHours(1))
                .withSegmentBytes(256))) {
            for (int i = 1; i <= 30; i++) {
                journal.append(bytes(i % 5 == 0 ? MARKER + "-" + i : "old-" + i));
            }
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch running = new CountDownLatch(20);
            Future<Integer> appender = pool.submit(() -> {
                int n = 0;
                while (!stop.get() || n < 20) {
                    journal.append(bytes("new-" + ++n));
                    running.countDown();
                }
                return n;
            });
            assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(journal.rewrite(MARKED)).isEqualTo(6);
            stop.set(true);
            int appended = appender.get(30, TimeUnit.SECONDS);
            Map<Long, String> entries = replayed(journal);
            assertThat(entries.values()).filteredOn(v -> v.startsWith("old-")).hasSize(24);
            assertThat(entries.values()).filteredOn(v -> v.startsWith("new-")).hasSize(appended);
            assertThat(List.copyOf(entries.keySet())).isSorted();
        } finally {
            pool.shutdownNow();
        }
        assertNoMarkerBytes();
    }
}
