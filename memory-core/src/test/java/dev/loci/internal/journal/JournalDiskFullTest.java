package dev.loci.internal.journal;

import static dev.loci.internal.journal.Journals.bytes;
import static dev.loci.internal.journal.Journals.replayed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loci.MemoryException;
import dev.loci.internal.journal.simulated.SimulatedDisk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Disk full: appends (single and grouped, small segments) until the simulated disk has no space. The journal then
 * refuses further appends naming ENOSPC (it does not recover by itself: the failed write may have left part of an
 * entry). Reopened, no partial entry is visible and the files hold exactly the entries replayed; once space is
 * freed a new journal on the same files appends again.
 */
class JournalDiskFullTest {
    private static final Path DIR = Path.of("/simulated/journal");
    private static final String ENOSPC = "No space left on device";

    @Test
    void aFullDiskStopsAppendsAndANewJournalAppendsOnceSpaceIsFreed() {
        long seed = Long.getLong("loci.test.seed", new SplittableRandom().nextLong());
        int rounds = 50 * Integer.getInteger("loci.test.iterations", 1);
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < rounds; round++) {
            try {
                fill(random.split());
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("round " + round + " failed with seed " + seed
                        + " (replay: -Dloci.test.seed=" + seed + ")", e);
            }
        }
    }

    private static void fill(SplittableRandom random) {
        SimulatedDisk disk = new SimulatedDisk();
        long capacity = random.nextLong(200, 3000);
        disk.capacity(capacity);
        Journal.Options options = Journals.syncOptions(random.nextLong(Journal.Options.MIN_SEGMENT_BYTES, 600));
        List<String> acknowledged = new ArrayList<>();
        List<String> attempted = new ArrayList<>();
        try (Journal journal = Journal.open(DIR, options, disk)) {
            MemoryException full = null;
            for (int i = 0; full == null; i++) {
                List<String> batch = new ArrayList<>();
                int size = random.nextInt(4) == 0 ? random.nextInt(2, 5) : 1;
                for (int b = 0; b < size; b++) {
                    batch.add("entry-" + i + "-" + b + "-" + "x".repeat(random.nextInt(60)));
                }
                attempted.addAll(batch);
                try {
                    journal.appendAll(batch.stream().map(Journals::bytes).toList());
                    acknowledged.addAll(batch);
                } catch (MemoryException e) {
                    full = e;
                }
                assertThat(i).as("appends before the disk is full").isLessThan(10_000);
            }
            assertThat(full).hasMessageContaining(ENOSPC);
            assertThat(disk.used()).isLessThanOrEqualTo(capacity);
            assertThatThrownBy(() -> journal.append(bytes("refused"))).isInstanceOf(MemoryException.class)
                    .hasMessageContaining("refuses appends").hasMessageContaining(ENOSPC);
        }
        // Still full: the open either succeeds (dropping the partial entry) or fails naming ENOSPC.
        try (Journal journal = Journal.open(DIR, options, disk)) {
            assertThat(replayed(journal).values()).containsAll(acknowledged);
        } catch (MemoryException e) {
            assertThat(e).hasMessageContaining(ENOSPC);
        }
        disk.capacity(Long.MAX_VALUE);
        Map<Long, String> recovered;
        try (Journal journal = Journal.open(DIR, options, disk)) {
            recovered = replayed(journal);
            assertThat(recovered.values()).as("every acknowledged entry").containsAll(acknowledged)
                    .as("only whole entries that were appended").isSubsetOf(attempted);
            long entryBytes = recovered.values().stream().mapToLong(p -> Format.entryBytes(bytes(p).length)).sum();
            long segments = Journals.simulatedSegments(disk, DIR);
            assertThat(disk.used()).as("the files hold the entries replayed and nothing else")
                    .isEqualTo(segments * Format.SEGMENT_HEADER_BYTES + entryBytes);
            journal.append(bytes("after space was freed"));
        }
        try (Journal journal = Journal.open(DIR, options, disk)) {
            assertThat(replayed(journal).values()).containsAll(recovered.values()).contains("after space was freed");
        }
    }
}
