package dev.loci.internal.journal;

import dev.loci.internal.journal.simulated.SimulatedDisk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: the journal's sequencer under concurrent group-committed appends (sync mode: each call returns after the
 * fsync that covers it) is linearizable: every append gets the next sequence of some sequential order consistent
 * with real time, groups get consecutive ones, and {@code lastSequence} never runs ahead of or behind that order.
 * Real threads over an in-memory {@link SimulatedDisk} (thousands of journals are opened, one a scenario: real files
 * would run out of descriptors in the long profile; the disk is not what is checked here).
 */
@Param(name = "size", gen = IntGen.class, conf = "1:3")
public class JournalLincheckTest {
    private final Journal journal = Journal.open(Path.of("/lincheck/journal"),
            Journal.Options.sync().withSegmentBytes(4096), new SimulatedDisk());

    @Operation
    public long append() {
        return journal.append("entry".getBytes(StandardCharsets.UTF_8));
    }

    /** A group of {@code size} entries: returns the sequence of its last. */
    @Operation
    public long appendAll(@Param(name = "size") int size) {
        byte[] entry = "grouped".getBytes(StandardCharsets.UTF_8);
        return journal.appendAll(java.util.Collections.nCopies(size, entry));
    }

    @Operation
    public long lastSequence() {
        return journal.lastSequence();
    }

    @Validate
    public void everyEntryIsReplayedInSequence() {
        long[] expected = {1};
        journal.replay(0, (sequence, payload) -> {
            if (sequence != expected[0]++) {
                throw new IllegalStateException("replayed sequence " + sequence + ", expected " + (expected[0] - 1));
            }
        });
        if (expected[0] - 1 != journal.lastSequence()) {
            throw new IllegalStateException("replayed " + (expected[0] - 1) + " entries, lastSequence "
                    + journal.lastSequence());
        }
    }

    @Test
    void appendsAreLinearizable() {
        int factor = Integer.getInteger("loci.test.iterations", 1);
        new StressOptions().iterations(10 * factor).invocationsPerIteration(20).threads(3).actorsPerThread(3)
                .check(this.getClass());
    }
}
