package dev.loci.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.loci.CorruptedMemoryException;
import dev.loci.Memory;
import dev.loci.MemoryException;
import dev.loci.Query;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * I/O errors under the index: the Nth call of the Lucene store's {@link FaultyDirectory} fails, counted from the
 * store's open (N = 1, 4, 7 .. {@value #N}; each of {@code loci.test.iterations} rounds shifts N by one, so three
 * rounds try every N), during a seeded scripted load of a
 * whole memory. A memory call that fails throws a {@link MemoryException} naming the cause, never a
 * {@link CorruptedMemoryException} nor a wrong result (reads check what they find); once one has failed, the memory
 * refuses writes and reads naming the same cause. Reopened without faults, it holds every acknowledged write,
 * archived ones archived, nothing purged.
 */
class LuceneIoErrorTest {
    static final int N = 300;
    static final int STRIDE = 3;
    static final int OPERATIONS = 25;

    @TempDir
    Path tmp;

    @Test
    void theNthDirectoryCallFailsForNUpTo300() {
        long seed = Long.getLong("loci.test.seed", new SplittableRandom().nextLong());
        int rounds = Integer.getInteger("loci.test.iterations", 1);
        SplittableRandom random = new SplittableRandom(seed);
        int failedCalls = 0;
        int runs = 0;
        for (int round = 0; round < rounds; round++) {
            // Every third N, shifted by one each round: three rounds cover every N (50 rounds with -Ploci-long).
            for (int n = 1 + round % STRIDE; n <= N; n += STRIDE) {
                runs++;
                try {
                    failedCalls += failCall(tmp.resolve(round + "-" + n), n, random.split()) ? 1 : 0;
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError("call " + n + " failed the test with seed " + seed
                            + " (replay: -Dloci.test.seed=" + seed + ")", e);
                }
            }
        }
        assertThat(failedCalls).as("runs in which a memory call reported the failure").isGreaterThan(runs / 2);
    }

    /** Returns whether a memory call reported the failure. */
    private static boolean failCall(Path directory, int n, SplittableRandom random) {
        AtomicReference<FaultyDirectory> faulty = new AtomicReference<>();
        String cause = "simulated I/O error at call " + n + " ";
        FaultyLoad load = new FaultyLoad();
        Memory memory = null;
        try {
            memory = FaultyLoad.open(directory, FaultyLoad.faulty(faulty, d -> d.failAfter(n)));
        } catch (MemoryException e) {
            assertThat(e).isNotInstanceOf(CorruptedMemoryException.class);
            assertThat(e.getMessage()).as("the open's error names its cause").contains(cause);
        }
        boolean reported = memory == null;
        for (int op = 0; memory != null && op < OPERATIONS; op++) {
            MemoryException e = load.step(memory, random);
            if (e != null) {
                assertThat(e).isNotInstanceOf(CorruptedMemoryException.class);
                assertThat(e.getMessage()).as("the error names its cause").contains(cause);
                reported = true;
                Memory failed = memory;
                assertThat(catchThrowable(() -> load.write(failed, FaultyLoad.ALICE, random)))
                        .as("a write after the failure %s", e).isInstanceOf(MemoryException.class)
                        .hasMessageContaining(cause);
                assertThat(catchThrowable(() -> failed.read(FaultyLoad.ALICE, Query.text("note"))))
                        .as("a read after the failure %s", e).isInstanceOf(MemoryException.class)
                        .hasMessageContaining(cause);
                break;
            }
        }
        if (memory != null) {
            FaultyLoad.closeQuietly(memory);
        }
        load.checkReopened(directory, FaultyLoad.faulty(new AtomicReference<>(), d -> { }), reopened -> { });

        return reported;
    }
}
