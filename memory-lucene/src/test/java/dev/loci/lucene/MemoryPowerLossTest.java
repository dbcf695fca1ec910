package dev.loci.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loci.Durability;
import dev.loci.HistoryEntry;
import dev.loci.Memory;
import dev.loci.MemoryRecord;
import dev.loci.RecoveryMode;
import dev.loci.Scope;
import dev.loci.internal.LociMemory;
import dev.loci.internal.MemoryConfig;
import dev.loci.internal.journal.JournalIo;
import dev.loci.internal.journal.simulated.SimulatedDisk;
import dev.loci.policy.PromotionPolicy;
import dev.loci.spi.LongTermStore;
import dev.loci.spi.Tokenizer;
import dev.loci.testkit.FakeClock;
import dev.loci.testkit.TestEmbedder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One power loss under the whole memory: its journal on a {@link SimulatedDisk}, its Lucene store on a
 * {@link FaultyDirectory}, both on the same power. A seeded scripted load ({@link FaultyLoad}) runs until the power
 * goes at a random call of either device, or between two operations; each device keeps what a power loss could leave
 * (unsynced bytes kept, dropped, cut, zeroed or garbled; a prefix of the unsynced directory operations). Then the
 * memory reopens on what survived, and:
 * <ul>
 *   <li>in {@code SYNC} mode every acknowledged operation holds; in {@code ASYNC} mode every one acknowledged before
 *       the last {@code flush()} returned (what came after may be lost); nothing is held that was never written
 *       whole, and the store verifies;</li>
 *   <li>the store's checkpoint never claims more than the journal kept: records written after the reopen survive the
 *       next reopen (a checkpoint past the journal's end would have the replay skip them).</li>
 * </ul>
 * {@value #POINTS} crash points a mode (times {@code loci.test.iterations}); replay with {@code -Dloci.test.seed}.
 */
class MemoryPowerLossTest {
    static final int POINTS = 30;
    static final int OPERATIONS = 30;

    @TempDir
    Path tmp;

    @Test
    void syncModeLosesNothingAcknowledged() {
        run(random -> Durability.sync());
    }

    /** Half the points sync every 2 ms, half never on their own (only flush, consolidate and close sync). */
    @Test
    void asyncModeLosesAtMostWhatCameAfterTheLastFlush() {
        run(random -> Durability.async(random.nextBoolean() ? Duration.ofMillis(2) : Duration.ofHours(1)));
    }

    private void run(Function<SplittableRandom, Durability> durabilities) {
        long seed = Long.getLong("loci.test.seed", new SplittableRandom().nextLong());
        int points = POINTS * Integer.getInteger("loci.test.iterations", 1);
        SplittableRandom random = new SplittableRandom(seed);
        int[] tripped = new int[2]; // power lost at a journal call, at an index call
        for (int point = 0; point < points; point++) {
            try {
                crashPoint(tmp.resolve("p" + point), durabilities.apply(random), random.split(), point % 3, tripped);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("crash point " + point + " failed with seed " + seed
                        + " (replay: -Dloci.test.seed=" + seed + ")", e);
            }
        }
        assertThat(tripped[0]).as("power losses at a journal call").isGreaterThan(points / 10);
        assertThat(tripped[1]).as("power losses at an index call").isGreaterThan(points / 10);
    }

    /** Loses the power at a journal call (trigger 0), at an index call (1), or between two operations (2). */
    private static void crashPoint(Path directory, Durability durability, SplittableRandom random, int trigger,
                                   int[] tripped) {
        AtomicBoolean powered = new AtomicBoolean(true);
        SimulatedDisk disk = new SimulatedDisk();
        disk.sharePower(powered, SimulatedDisk.Crash.ANY, random.split());
        AtomicReference<FaultyDirectory> index = new AtomicReference<>();
        SplittableRandom indexRandom = random.split();
        FaultyLoad load = new FaultyLoad();
        Memory memory = open(directory, durability, disk,
                FaultyLoad.faulty(index, d -> d.sharePower(powered, indexRandom)));
        int stopAt = random.nextInt(1, OPERATIONS + 1);
        switch (trigger) { // a load makes some 15-95 journal calls and up to some 1,000 index calls (fewer since
            // checkpoints queued together share one commit)
            case 0 -> disk.crashAfter(random.nextLong(1, 60), SimulatedDisk.Crash.ANY, random.split());
            case 1 -> index.get().crashAfter(random.nextLong(1, 500), random.split());
            default -> { } // between two operations
        }
        for (int op = 0; op < OPERATIONS && powered.get(); op++) {
            if (trigger == 2 && op == stopAt) {
                disk.crash(SimulatedDisk.Crash.ANY, random.split());
                break;
            }
            load.step(memory, random);
        }
        if (powered.get()) {
            disk.crash(SimulatedDisk.Crash.ANY, random.split()); // the load ended first: lose the power now
        } else if (trigger < 2) {
            tripped[trigger]++;
        }
        FaultyLoad.closeQuietly(memory);
        SimulatedDisk survived = disk.crash(SimulatedDisk.Crash.ANY, random.split()); // the one already computed
        if (!durability.waitForSync()) {
            load.uncertain.addAll(load.sinceFlush);
        }

        load.checkReopened(stores -> open(directory, durability, survived, stores), LuceneStore.onDisk(), m -> { });
        secondLife(directory, survived, random);
    }

    /**
     * The memory reopens on what survived (sync mode now): every record its store holds is the journal's latest
     * version of it (a checkpoint past the journal's end would leave records the journal lost). Three writes, and the
     * power goes again before any checkpoint; after the next reopen the store holds them (a stale checkpoint past the
     * journal's end would have the replay skip them).
     */
    private static void secondLife(Path directory, SimulatedDisk disk, SplittableRandom random) {
        AtomicBoolean powered = new AtomicBoolean(true);
        disk.sharePower(powered, SimulatedDisk.Crash.ANY, random.split());
        AtomicReference<FaultyDirectory> index = new AtomicReference<>();
        SplittableRandom indexRandom = random.split();
        LongTermStore.Factory faulty = FaultyLoad.faulty(index, d -> d.sharePower(powered, indexRandom));
        AtomicReference<LongTermStore> opened = new AtomicReference<>();
        Memory memory = open(directory, Durability.sync(), disk, (path, dimension) -> {
            opened.set(faulty.open(path, dimension));
            return opened.get();
        });
        for (Scope scope : List.of(FaultyLoad.ALICE, FaultyLoad.BOB)) {
            for (MemoryRecord stored : opened.get().list(scope)) {
                List<HistoryEntry> history = memory.history(scope, stored.id());
                assertThat(history).as("the journal's entries of stored record %s", stored.id()).isNotEmpty();
                assertThat(history.getLast().record().version()).as("version of stored record %s", stored.id())
                        .isEqualTo(stored.version());
            }
        }
        List<String> later = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            later.add(memory.write(FaultyLoad.ALICE, "written after the power came back " + i).id());
        }
        SimulatedDisk survived = disk.crash(SimulatedDisk.Crash.ANY, random.split());
        FaultyLoad.closeQuietly(memory);
        AtomicReference<LongTermStore> store = new AtomicReference<>();
        try (Memory again = open(directory, Durability.sync(), survived, (path, dimension) -> {
            store.set(LuceneStore.onDisk().open(path, dimension));
            return store.get();
        })) {
            again.flush();
            for (String id : later) {
                assertThat(store.get().get(id)).as("write %s of the second life, in the store", id).isPresent();
            }
        }
    }

    private static Memory open(Path directory, Durability durability, JournalIo journal, LongTermStore.Factory stores) {
        return LociMemory.open(new MemoryConfig(directory, new TestEmbedder(), stores, new FakeClock(), durability,
                RecoveryMode.STRICT, 256, Duration.ofHours(24),
                (record, trigger, now) -> PromotionPolicy.Decision.PROMOTE, Tokenizer.words(), null, true, null,
                Duration.ofMinutes(1)), journal);
    }
}
