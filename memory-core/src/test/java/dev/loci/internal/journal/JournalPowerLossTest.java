package dev.loci.internal.journal;

import static dev.loci.internal.journal.Journals.bytes;
import static dev.loci.internal.journal.Journals.replayed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loci.MemoryException;
import dev.loci.internal.journal.simulated.SimulatedDisk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Simulated power loss: a scripted load (1-4 appending threads, groups, small segments, rewrites, close and reopen)
 * runs on a {@link SimulatedDisk} that loses the power at a random call and keeps, drops, truncates, zeroes or
 * garbles each file's unsynced bytes and forgets some unsynced directory operations. The journal reopened on what
 * survived must open, hold every entry that had to be durable, nothing never appended, each writer's entries in
 * order with no gap, and none that an acknowledged rewrite dropped. Replay with {@code -Dloci.test.seed=<seed>}
 * (the script and crash point are replayed; with several threads their interleaving may differ).
 */
class JournalPowerLossTest {
    static final Path DIR = Path.of("/simulated/journal");
    private static final String DROP = "#drop";

    @Test
    void syncModeLosesNoAcknowledgedEntry() {
        run(false);
    }

    @Test
    void asyncModeLosesOnlyWhatWasNotFsynced() {
        run(true);
    }

    private static void run(boolean async) {
        long seed = Long.getLong("loci.test.seed", new SplittableRandom().nextLong());
        int points = 200 * Integer.getInteger("loci.test.iterations", 1);
        SplittableRandom random = new SplittableRandom(seed);
        int point = 0;
        try {
            for (; point < points; point++) {
                crashPoint(random.split(), async);
            }
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("crash point " + point + " failed with seed " + seed
                    + " (replay: -Dloci.test.seed=" + seed + ")", e);
        }
    }

    /** What the script did, as the test must judge it after the crash. Thread-safe. */
    static final class Model {
        final Map<String, Integer> attempted = new ConcurrentHashMap<>();
        final Map<Integer, List<String>> bySlot = new ConcurrentHashMap<>();
        final Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
        final Set<String> mustSurvive = ConcurrentHashMap.newKeySet();
        final Set<String> mustVanish = ConcurrentHashMap.newKeySet();
        /** Once a rewrite started, an entry to drop may be gone although its rewrite was not acknowledged. */
        volatile boolean rewriteStarted;

        void attempt(int slot, List<String> payloads) {
            for (String p : payloads) {
                attempted.put(p, slot);
                bySlot.computeIfAbsent(slot, s -> new CopyOnWriteArrayList<>()).add(p);
            }
        }

        /** Everything acknowledged so far; call before an operation that makes it durable or drops it. */
        List<String> snapshot() {
            return List.copyOf(acknowledged);
        }

        void check(Map<Long, String> recovered) {
            List<String> payloads = new ArrayList<>(recovered.values());
            assertThat(attempted.keySet()).as("nothing that was never appended").containsAll(payloads);
            assertThat(Set.copyOf(payloads)).as("no entry twice").hasSize(payloads.size());
            for (String p : mustSurvive) {
                if (!(rewriteStarted && p.contains(DROP))) {
                    assertThat(payloads).as("durable entry %s", p).contains(p);
                }
            }
            for (String p : mustVanish) {
                assertThat(payloads).as("entry an acknowledged rewrite dropped").doesNotContain(p);
            }
            for (Map.Entry<Integer, List<String>> slot : bySlot.entrySet()) {
                List<String> kept = payloads.stream().filter(p -> attempted.get(p).equals(slot.getKey()))
                        .filter(p -> !p.contains(DROP)).toList();
                List<String> sent = slot.getValue().stream().filter(p -> !p.contains(DROP)).toList();
                assertThat(kept).as("writer %d's entries are a prefix of what it sent", slot.getKey())
                        .isEqualTo(sent.subList(0, kept.size()));
            }
        }
    }

    private static void crashPoint(SplittableRandom random, boolean async) {
        SimulatedDisk disk = new SimulatedDisk();
        SimulatedDisk.Crash mode = SimulatedDisk.Crash.values()[random.nextInt(SimulatedDisk.Crash.values().length)];
        long crashAt = random.nextLong(1, 500);
        disk.crashAfter(crashAt, mode, random.split());
        long segmentBytes = random.nextLong(Journal.Options.MIN_SEGMENT_BYTES, 400);
        Journal.Options options = (async ? Journal.Options.async(Duration.ofHours(1)) : Journal.Options.sync())
                .withSegmentBytes(segmentBytes);
        Model model = new Model();
        try {
            script(disk, options, random, model, async);
        } catch (MemoryException e) {
            assertThat(disk.afterCrash()).as("failed before the crash: %s", e).isNotNull();
        }
        String before = disk.toString();
        SimulatedDisk after = disk.crash(mode, random); // the crash point if reached, else now
        Map<Long, String> recovered;
        try (Journal journal = Journal.open(DIR, options, after)) {
            recovered = replayed(journal);
            try {
                model.check(recovered);
            } catch (AssertionError e) {
                throw new AssertionError("power lost at call " + crashAt + " (" + mode + "), segments of "
                        + segmentBytes + " bytes, rewrites: " + model.rewriteStarted + "\nbefore:\n" + before + "after:\n" + after, e);
            }
            journal.append(bytes("after the crash"));
        }
        try (Journal journal = Journal.open(DIR, options, after)) {
            Map<Long, String> again = replayed(journal);
            assertThat(again.values()).as("a second reopen").containsAll(recovered.values())
                    .contains("after the crash").hasSize(recovered.size() + 1);
        }
    }

    /** Runs phases of open, concurrent appends (with a rewrite or sync from this thread), close. */
    private static void script(SimulatedDisk disk, Journal.Options options, SplittableRandom random, Model model,
                               boolean async) {
        int phases = random.nextInt(2, 5);
        int[] counters = new int[4];
        for (int phase = 0; phase < phases; phase++) {
            List<String> beforeOpen = model.snapshot();
            Journal journal = Journal.open(DIR, options, disk);
            model.mustSurvive.addAll(beforeOpen); // open fsyncs the active segment; sealed ones were fsynced
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            boolean clean = false;
            try {
                int threads = random.nextInt(1, 5);
                List<Thread> writers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int slot = t;
                    SplittableRandom own = random.split();
                    int first = counters[slot];
                    int ops = own.nextInt(2, 10);
                    counters[slot] += ops * 4;
                    writers.add(new Thread(() -> write(journal, own, model, slot, first, ops, async, errors),
                            "power-loss-writer-" + slot));
                }
                writers.forEach(Thread::start);
                if (random.nextInt(3) == 0) {
                    List<String> before = model.snapshot();
                    model.rewriteStarted = true;
                    journal.rewrite(p -> Journals.text(p).contains(DROP));
                    before.stream().filter(p -> p.contains(DROP)).forEach(model.mustVanish::add);
                }
                if (async && random.nextBoolean()) {
                    List<String> before = model.snapshot();
                    journal.sync();
                    model.mustSurvive.addAll(before);
                }
                for (Thread w : writers) {
                    w.join();
                }
                clean = errors.isEmpty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            } finally {
                List<String> beforeClose = model.snapshot();
                try {
                    journal.close();
                    // a journal that failed closes without an fsync (and without saying so): see the report
                    if (clean) {
                        model.mustSurvive.addAll(beforeClose);
                    }
                } catch (MemoryException e) {
                    errors.add(e);
                }
            }
            for (Throwable e : errors) {
                if (!(e instanceof MemoryException) || disk.afterCrash() == null) {
                    throw new AssertionError("unexpected failure before the crash", e);
                }
            }
            if (!errors.isEmpty()) {
                return;
            }
        }
    }

    private static void write(Journal journal, SplittableRandom random, Model model, int slot, int first, int ops,
                              boolean async, List<Throwable> errors) {
        int n = first;
        try {
            for (int op = 0; op < ops; op++) {
                int size = random.nextInt(3) == 0 ? random.nextInt(2, 5) : 1;
                List<String> batch = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    batch.add("w" + slot + "-" + n++ + (random.nextInt(4) == 0 ? DROP : "")
                            + "-" + "x".repeat(random.nextInt(40)));
                }
                model.attempt(slot, batch);
                if (batch.size() == 1) {
                    journal.append(bytes(batch.get(0)));
                } else {
                    journal.appendAll(batch.stream().map(Journals::bytes).toList());
                }
                model.acknowledged.addAll(batch);
                if (!async) {
                    model.mustSurvive.addAll(batch);
                }
            }
        } catch (Throwable e) {
            errors.add(e);
        }
    }

}
