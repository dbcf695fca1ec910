package dev.loci.internal.journal;

import static dev.loci.internal.journal.Journals.bytes;
import static dev.loci.internal.journal.Journals.replayed;
import static dev.loci.internal.journal.Journals.segments;
import static dev.loci.internal.journal.Journals.syncOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path dir;

    @Test
    void anEmptyJournalStartsAtZeroAndCreatesItsDirectory() {
        Path nested = dir.resolve("a/b/journal");
        try (Journal journal = Journal.open(nested, Journal.Options.sync())) {
            assertThat(journal.lastSequence()).isZero();
            assertThat(replayed(journal)).isEmpty();
        }
        assertThat(segments(nested)).extracting(p -> p.getFileName().toString())
                .containsExactly("segment-00000000000000000001.log");
    }

    @Test
    void reopenRecoversEveryAcknowledgedAppend() {
        try (Journal journal = Journal.open(dir, Journal.Options.sync())) {
            assertThat(journal.append(bytes("one"))).isEqualTo(1);
            assertThat(journal.append(new byte[0])).isEqualTo(2);
            assertThat(journal.appendAll(List.of(bytes("three"), bytes("four")))).isEqualTo(4);
        }
        try (Journal journal = Journal.open(dir, Journal.Options.sync())) {
            assertThat(journal.lastSequence()).isEqualTo(4);
            assertThat(replayed(journal)).containsExactly(Map.entry(1L, "one"), Map.entry(2L, ""),
                    Map.entry(3L, "three"), Map.entry(4L, "four"));
            assertThat(journal.append(bytes("five"))).isEqualTo(5);
        }
    }

    @Test
    void asyncAppendsSurviveClose() {
        try (Journal journal = Journal.open(dir, Journal.Options.async(Duration.ofHours(1)))) {
            for (int i = 1; i <= 50; i++) {
                journal.append(bytes("async-" + i));
            }
        }
        try (Journal journal = Journal.open(dir, Journal.Options.sync())) {
            Map<Long, String> entries = replayed(journal);
            assertThat(entries).hasSize(50);
            assertThat(entries.get(50L)).isEqualTo("async-50");
        }
    }

    @Test
    void asyncModeFsyncsOnItsInterval() throws Exception {
        TestIo io = new TestIo();
        try (Journal journal = Journal.open(dir, Journal.Options.async(Duration.ofMillis(5)), io)) {
            CountDownLatch backgroundFsync = new CountDownLatch(1);
            io.beforeForce = call -> backgroundFsync.countDown();
            journal.append(bytes("x"));
            assertThat(backgroundFsync.await(10, TimeUnit.SECONDS)).as("interval fsync ran").isTrue();
        }
    }

    @Test
    void asyncAppendsDoNotFsyncButSyncDoesAtOnce() {
        TestIo io = new TestIo();
        try (Journal journal = Journal.open(dir, Journal.Options.async(Duration.ofHours(1)), io)) {
            int forcesAtOpen = io.forces.get();
            journal.append(bytes("x"));
            journal.append(bytes("y"));
            assertThat(io.forces.get()).isEqualTo(forcesAtOpen);
            journal.sync();
            assertThat(io.forces.get()).isEqualTo(forcesAtOpen + 1);
        }
    }

    @Test
    void segmentsRollAndReplayCrossesThem() {
        try (Journal journal = Journal.open(dir, syncOptions(200))) {
            List<byte[]> batch = new ArrayList<>();
            for (int i = 1; i <= 30; i++) {
                batch.add(bytes("entry-" + i + "-" + "x".repeat(i)));
            }
            journal.appendAll(batch);
            assertThat(segments(dir)).hasSizeGreaterThan(5);
            assertThat(replayed(journal).keySet()).containsExactlyElementsOf(LongStream.rangeClosed(1, 30).boxed()
                    .toList());
        }
        try (Journal journal = Journal.open(dir, syncOptions(200))) {
            Map<Long, String> entries = replayed(journal);
            assertThat(entries).hasSize(30);
            assertThat(entries.get(17L)).isEqualTo("entry-17-" + "x".repeat(17));
            // every segment but the last respects the size (an entry alone may exceed it)
            assertThat(segments(dir).get(0).toFile().length()).isLessThanOrEqualTo(200);
        }
    }

    @Test
    void anEntryLargerThanASegmentGetsOneOfItsOwn() {
        try (Journal journal = Journal.open(dir, syncOptions(100))) {
            journal.append(bytes("small"));
            journal.append(new byte[1000]);
            journal.append(bytes("after"));
        }
        try (Journal journal = Journal.open(dir, syncOptions(100))) {
            assertThat(replayed(journal)).hasSize(3).containsEntry(3L, "after");
            assertThat(segments(dir)).hasSize(3);
        }
    }

    @Test
    void replayAfterASequenceSkipsEverythingUpToIt() {
        try (Journal journal = Journal.open(dir, syncOptions(120))) {
            for (int i = 1; i <= 20; i++) {
                journal.append(bytes("e" + i));
            }
            for (long after : new long[] {0, 1, 7, 13, 19, 20, 25}) {
                assertThat(replayed(journal, after).keySet()).as("after %d", after)
                        .containsExactlyElementsOf(LongStream.rangeClosed(after + 1, 20).boxed().toList());
            }
            assertThatThrownBy(() -> journal.replay(-1, (s, p) -> { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        }
    }

    @Test
    void concurrentWritersGetDistinctSequencesAndAllSurviveReopen() throws Exception {
        int threads = 4;
        int each = 25;
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> sequences = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Journal journal = Journal.open(dir, syncOptions(1024))) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        String payload = "t" + thread + "-" + i;
                        sequences.add(journal.append(bytes(payload)));
                        acknowledged.add(payload);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertThat(journal.fsyncCount()).isLessThanOrEqualTo(threads * each);
        } finally {
            pool.shutdownNow();
        }
        assertThat(sequences).doesNotHaveDuplicates().hasSize(threads * each);
        try (Journal journal = Journal.open(dir, syncOptions(1024))) {
            assertThat(replayed(journal).values()).containsExactlyInAnyOrderElementsOf(acknowledged);
        }
    }

    @Test
    void replayWhileAppendingSeesEverythingAppendedBeforeIt() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Journal journal = Journal.open(dir, Journal.Options.async(Duration.ofHours(1)).withSegmentBytes(512))) {
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch warmedUp = new CountDownLatch(200);
            Future<?> appender = pool.submit(() -> {
                for (int i = 1; !stop.get(); i++) {
                    journal.append(bytes("live-" + i));
                    warmedUp.countDown();
                }
                return null;
            });
            assertThat(warmedUp.await(30, TimeUnit.SECONDS)).isTrue();
            for (int round = 0; round < 5; round++) {
                long before = journal.lastSequence();
                List<Long> seen = new ArrayList<>(replayed(journal).keySet());
                assertThat(seen.size()).isGreaterThanOrEqualTo((int) before);
                assertThat(seen.subList(0, (int) before))
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, before).boxed().toList());
                assertThat(seen).isSorted();
            }
            stop.set(true);
            appender.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPendingInterruptNeitherBreaksTheJournalNorGetsLost() {
        try (Journal journal = Journal.open(dir, Journal.Options.sync())) {
            Thread.currentThread().interrupt();
            try {
                assertThat(journal.append(bytes("interrupted caller"))).isEqualTo(1);
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(journal.append(bytes("next"))).isEqualTo(2);
            assertThat(replayed(journal)).hasSize(2);
        }
    }

    @Test
    void aDirectoryOpensOnceAtATime() {
        try (Journal journal = Journal.open(dir, Journal.Options.sync())) {
            assertThatThrownBy(() -> Journal.open(dir, Journal.Options.sync()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already open");
            journal.append(bytes("still works"));
        }
        try (Journal journal = Journal.open(dir, Journal.Options.sync())) {
            assertThat(journal.lastSequence()).isEqualTo(1);
        }
    }

    @Test
    void aClosedJournalRefusesWorkAndCloseIsIdempotent() {
        Journal journal = Journal.open(dir, Journal.Options.sync());
        journal.close();
        journal.close();
        assertThatThrownBy(() -> journal.append(bytes("late")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> journal.replay(0, (s, p) -> { })).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> Journal.Options.sync().withSegmentBytes(10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segmentBytes").hasMessageContaining("10");
        assertThatThrownBy(() -> Journal.Options.async(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("syncInterval");
        try (Journal journal = Journal.open(dir, Journal.Options.sync())) {
            journal.append(bytes("entry"));
            assertThatThrownBy(() -> journal.appendAll(List.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
            assertThatThrownBy(() -> journal.append(new byte[Journal.MAX_PAYLOAD_BYTES + 1]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
            assertThatThrownBy(() -> journal.replay(0, (s, p) -> journal.rewrite(b -> true)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("inside replay");
        }
    }
}
