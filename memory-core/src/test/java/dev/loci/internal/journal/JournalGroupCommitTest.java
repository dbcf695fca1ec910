package dev.loci.internal.journal;

import static dev.loci.internal.journal.Journals.bytes;
import static dev.loci.internal.journal.Journals.replayed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loci.MemoryException;
import dev.loci.internal.journal.simulated.SimulatedDisk;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalGroupCommitTest {
    @TempDir
    Path dir;

    @Test
    void concurrentAppendersShareFsyncs() throws Exception {
        int appenders = 8;
        TestIo io = new TestIo();
        ExecutorService pool = Executors.newFixedThreadPool(appenders);
        List<Long> sequences = new ArrayList<>();
        try (Journal journal = Journal.open(dir, Journal.Options.sync(), io)) {
            long fsyncsBefore = journal.fsyncCount();
            CountDownLatch start = new CountDownLatch(1);
            CountDownLatch allWritten = new CountDownLatch(appenders);
            AtomicBoolean firstForce = new AtomicBoolean(true);
            io.beforeWrite = call -> allWritten.countDown();
            // The first leader's fsync is held until every appender has written, so all of them queue behind it.
            io.beforeForce = call -> {
                if (firstForce.getAndSet(false)) {
                    try {
                        assertThat(allWritten.await(10, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
            };
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < appenders; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    start.await();
                    return journal.append(bytes("appender-" + n));
                }));
            }
            start.countDown();
            for (Future<Long> r : results) {
                sequences.add(r.get(30, TimeUnit.SECONDS));
            }
            long fsyncs = journal.fsyncCount() - fsyncsBefore;
            assertThat(fsyncs).as("fsyncs for %d appends", appenders).isBetween(1L, 2L);
        } finally {
            pool.shutdownNow();
        }
        try (Journal journal = Journal.open(dir, Journal.Options.sync())) {
            assertThat(replayed(journal).keySet()).containsExactlyInAnyOrderElementsOf(sequences);
        }
    }

    @Test
    void aLazyAppendWaitsForNoFsyncAndTheNextDurableAppendCoversIt() {
        Path journalDir = Path.of("/journal");
        SimulatedDisk disk = new SimulatedDisk();
        Journal journal = Journal.open(journalDir, Journal.Options.sync(), disk);
        long fsyncs = journal.fsyncCount();
        long lazy = journal.appendAllLazily(List.of(bytes("lazy one"), bytes("lazy two")));
        assertThat(journal.fsyncCount()).as("a lazy append forces nothing").isEqualTo(fsyncs);
        long durable = journal.append(bytes("durable"));
        assertThat(journal.fsyncCount()).isEqualTo(fsyncs + 1);
        assertThat(durable).isEqualTo(lazy + 1);
        journal.appendAllLazily(List.of(bytes("lost")));

        SimulatedDisk after = disk.crash(SimulatedDisk.Crash.DROP, new SplittableRandom(1)); // what was not forced
        assertThatThrownBy(journal::close).as("the power is gone").isInstanceOf(MemoryException.class);
        try (Journal reopened = Journal.open(journalDir, Journal.Options.sync(), after)) {
            assertThat(replayed(reopened).values()).as("the durable append forced the lazy ones before it")
                    .containsExactly("lazy one", "lazy two", "durable");
        }
    }

    @Test
    void aFailedFsyncStopsAppendsWithTheReasonAndReopenRecovers() {
        TestIo io = new TestIo();
        try (Journal journal = Journal.open(dir, Journal.Options.sync(), io)) {
            journal.append(bytes("safe"));
            io.beforeForce = call -> {
                throw new IOException("simulated EIO");
            };
            assertThatThrownBy(() -> journal.append(bytes("doomed")))
                    .isInstanceOf(MemoryException.class)
                    .hasMessageContaining("fsync")
                    .hasMessageContaining("simulated EIO");
            io.beforeForce = call -> { };
            assertThatThrownBy(() -> journal.append(bytes("refused")))
                    .isInstanceOf(MemoryException.class)
                    .hasMessageContaining("refuses appends")
                    .hasMessageContaining("simulated EIO");
            assertThatThrownBy(() -> journal.rewrite(payload -> true)).isInstanceOf(MemoryException.class);
            assertThat(replayed(journal)).containsEntry(1L, "safe");
        }
        try (Journal journal = Journal.open(dir, Journal.Options.sync())) {
            assertThat(replayed(journal)).containsEntry(1L, "safe").doesNotContainValue("refused");
            assertThat(journal.append(bytes("again"))).isGreaterThan(1);
        }
    }

    @Test
    void aFailedWriteStopsAppends() {
        TestIo io = new TestIo();
        try (Journal journal = Journal.open(dir, Journal.Options.sync(), io)) {
            journal.append(bytes("safe"));
            io.beforeWrite = call -> {
                throw new IOException("simulated disk full");
            };
            assertThatThrownBy(() -> journal.append(bytes("doomed")))
                    .isInstanceOf(MemoryException.class).hasMessageContaining("simulated disk full");
            io.beforeWrite = call -> { };
            assertThatThrownBy(() -> journal.append(bytes("refused")))
                    .isInstanceOf(MemoryException.class).hasMessageContaining("refuses appends");
        }
        try (Journal journal = Journal.open(dir, Journal.Options.sync())) {
            assertThat(replayed(journal)).containsOnlyKeys(1L);
        }
    }

    @Test
    void aFailedBackgroundFsyncStopsAsyncAppends() throws Exception {
        TestIo io = new TestIo();
        try (Journal journal = Journal.open(dir, Journal.Options.async(Duration.ofMillis(5)), io)) {
            CountDownLatch failed = new CountDownLatch(1);
            io.beforeForce = call -> {
                failed.countDown();
                throw new IOException("simulated EIO");
            };
            journal.append(bytes("written, never synced"));
            assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
            // the failure is recorded after the hook throws; sync() reports it too, whichever comes first
            assertThatThrownBy(journal::sync).isInstanceOf(MemoryException.class).hasMessageContaining("EIO");
            assertThatThrownBy(() -> journal.append(bytes("refused")))
                    .isInstanceOf(MemoryException.class).hasMessageContaining("refuses appends");
        }
    }
}
