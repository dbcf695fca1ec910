package dev.loci.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.loci.Memory;
import dev.loci.MemoryException;
import dev.loci.Query;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk full under the index: the Lucene store's {@link FaultyDirectory} holds at most a random 8-80 KB, the journal
 * (on another path) has room. Writes, flushes and consolidations go on until a memory call fails: it names
 * "No space left on device", and from then on the memory refuses writes and reads naming it (the writes acknowledged
 * before are in the journal). Reopened while still full, the memory opens and flushes or fails naming ENOSPC; once
 * space is freed and it is reopened, every acknowledged write is there, archived ones archived, nothing purged, and
 * no partial record is visible (the index passes {@code verify()}, every record's text is one that was written).
 * {@value #ROUNDS} seeded rounds (times {@code loci.test.iterations}).
 */
class LuceneDiskFullTest {
    static final int ROUNDS = 20;

    @TempDir
    Path tmp;

    @Test
    void aFullIndexStopsTheMemoryAndFreedSpaceBringsBackEveryAcknowledgedWrite() {
        long seed = Long.getLong("loci.test.seed", new SplittableRandom().nextLong());
        int rounds = ROUNDS * Integer.getInteger("loci.test.iterations", 1);
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < rounds; round++) {
            try {
                fill(tmp.resolve("r" + round), random.split());
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("round " + round + " failed with seed " + seed
                        + " (replay: -Dloci.test.seed=" + seed + ")", e);
            }
        }
    }

    private static void fill(Path directory, SplittableRandom random) {
        long capacity = random.nextLong(8_000, 80_000);
        AtomicReference<FaultyDirectory> faulty = new AtomicReference<>();
        FaultyLoad load = new FaultyLoad();
        Memory memory = FaultyLoad.open(directory, FaultyLoad.faulty(faulty, d -> d.capacity(capacity)));
        MemoryException full = null;
        for (int op = 0; full == null; op++) {
            assertThat(op).as("operations before the index is full").isLessThan(2_000);
            full = load.step(memory, random);
        }
        assertThat(full).as("the failing call names ENOSPC").hasMessageContaining(FaultyDirectory.ENOSPC);
        assertThat(faulty.get().used()).as("bytes in the index").isLessThanOrEqualTo(capacity);
        Memory failed = memory;
        assertThat(catchThrowable(() -> load.write(failed, FaultyLoad.ALICE, random))).as("a write once full")
                .isInstanceOf(MemoryException.class).hasMessageContaining(FaultyDirectory.ENOSPC);
        assertThat(catchThrowable(() -> failed.read(FaultyLoad.BOB, Query.text("note")))).as("a read once full")
                .isInstanceOf(MemoryException.class).hasMessageContaining(FaultyDirectory.ENOSPC);
        FaultyLoad.closeQuietly(memory);

        // Still full: the memory opens and flushes, or fails naming ENOSPC.
        try (Memory stillFull = FaultyLoad.open(directory, FaultyLoad.faulty(faulty, d -> d.capacity(capacity)))) {
            stillFull.flush();
        } catch (MemoryException e) {
            assertThat(e).hasMessageContaining(FaultyDirectory.ENOSPC);
        }
        load.checkReopened(directory, FaultyLoad.faulty(faulty, d -> { }), reopened -> { });
    }
}
