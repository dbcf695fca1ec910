package dev.loci.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loci.HistoryEntry;
import dev.loci.Memory;
import dev.loci.MemoryRecord;
import dev.loci.Scope;
import dev.loci.spi.LongTermStore;
import dev.loci.testkit.TestEmbedder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power loss under the index: a whole memory (its journal on the real disk, not the subject here) whose Lucene store
 * runs on a {@link FaultyDirectory}; a seeded scripted load (writes, consolidations, archives, purges, flushes,
 * reads), and the power goes at a random directory call (often inside a commit) or between two operations. The
 * store's files become what the loss left (unsynced files kept, emptied, truncated or garbled; a prefix of the
 * unsynced creations, renames and deletions). Then: the crashed store opens with the ordinary directory, passes
 * {@code verify()}, and its checkpoint claims nothing it does not hold (each record at the version the journal had
 * at the checkpoint); the memory reopens, and after {@code flush()} holds every acknowledged write, archived ones
 * archived, nothing purged. {@value #POINTS} crash points (times {@code loci.test.iterations}).
 */
class LucenePowerLossTest {
    static final int POINTS = 50;
    static final int OPERATIONS = 30;

    @TempDir
    Path tmp;

    @Test
    void everyCrashStateOpensAtItsLastCommitAndTheJournalFillsIn() throws IOException {
        long seed = Long.getLong("loci.test.seed", new SplittableRandom().nextLong());
        int points = POINTS * Integer.getInteger("loci.test.iterations", 1);
        SplittableRandom random = new SplittableRandom(seed);
        int midCall = 0;
        int[] damage = new int[3]; // crashes that undid directory operations, that changed files, checkpoint > 0
        for (int point = 0; point < points; point++) {
            try {
                midCall += crashPoint(tmp.resolve("p" + point), random.split(), damage) ? 1 : 0;
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("crash point " + point + " failed with seed " + seed
                        + " (replay: -Dloci.test.seed=" + seed + ")", e);
            }
        }
        assertThat(midCall).as("crash points inside a directory call").isGreaterThan(points / 4);
        assertThat(Arrays.stream(damage).min().orElseThrow())
                .as("crashes that undid directory operations, changed files, left a checkpoint: %s",
                        Arrays.toString(damage)).isGreaterThan(points / 10);
    }

    /** Returns whether the power went inside a directory call (else between two operations). */
    private static boolean crashPoint(Path directory, SplittableRandom random, int[] damage) throws IOException {
        AtomicReference<FaultyDirectory> faulty = new AtomicReference<>();
        FaultyLoad load = new FaultyLoad();
        Memory memory = FaultyLoad.open(directory, FaultyLoad.faulty(faulty, d -> { }));
        boolean midCall = random.nextBoolean();
        int stopAt = random.nextInt(1, OPERATIONS + 1);
        if (midCall) {
            faulty.get().crashAfter(random.nextLong(1, 400), random.split());
        }
        for (int op = 0; op < OPERATIONS && !faulty.get().crashed(); op++) {
            if (!midCall && op == stopAt) {
                faulty.get().crash(random.split());
            }
            load.step(memory, random);
        }
        if (!faulty.get().crashed()) {
            midCall = false;
            faulty.get().crash(random.split()); // the load ended first: lose the power now
        }
        int[] crash = faulty.get().crashDamage();
        damage[0] += crash[0] > 0 ? 1 : 0;
        damage[1] += crash[1] > 0 ? 1 : 0;
        // The memory may still accept writes (the journal is on another disk) until its indexer notices.
        load.step(memory, random);
        FaultyLoad.closeQuietly(memory);

        Map<String, MemoryRecord> committed = new HashMap<>();
        long checkpoint;
        try (LongTermStore store = LuceneStore.onDisk().open(directory.resolve("long-term"),
                TestEmbedder.DEFAULT_DIMENSION)) {
            store.verify();
            checkpoint = store.checkpoint();
            damage[2] += checkpoint > 0 ? 1 : 0;
            for (Scope scope : List.of(FaultyLoad.ALICE, FaultyLoad.BOB)) {
                store.list(scope).forEach(r -> committed.put(r.id(), r));
            }
        }
        load.checkReopened(directory, LuceneStore.onDisk(), reopened -> {
            for (String id : load.acknowledged.keySet()) {
                if (load.acknowledged.get(id) == FaultyLoad.Status.PURGED || load.uncertain.contains(id)) {
                    continue;
                }
                HistoryEntry atCheckpoint = reopened.history(load.scopes.get(id), id).stream()
                        .filter(h -> h.sequence() <= checkpoint).reduce((a, b) -> b).orElse(null);
                MemoryRecord stored = committed.get(id);
                if (atCheckpoint == null) {
                    assertThat(stored).as("record %s, not journaled by checkpoint %d", id, checkpoint).isNull();
                } else {
                    assertThat(stored).as("record %s, journaled by checkpoint %d", id, checkpoint).isNotNull();
                    assertThat(stored.version()).as("version of %s at checkpoint %d", id, checkpoint)
                            .isEqualTo(atCheckpoint.record().version());
                    assertThat(stored.state()).isEqualTo(atCheckpoint.record().state());
                }
            }
        });
        return midCall;
    }
}
