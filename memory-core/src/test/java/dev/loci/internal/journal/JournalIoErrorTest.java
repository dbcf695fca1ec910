package dev.loci.internal.journal;

import static dev.loci.internal.journal.Journals.bytes;
import static dev.loci.internal.journal.Journals.replayed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loci.CorruptedMemoryException;
import dev.loci.MemoryException;
import dev.loci.internal.journal.simulated.SimulatedDisk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * I/O errors: the Nth storage call of a scripted load (appends, groups, rolls, rewrites, replays, close and reopen)
 * fails, for N = 1..300. The failing operation throws a {@link MemoryException} naming the cause (never a
 * {@link CorruptedMemoryException}); afterwards the journal either works or refuses naming the same cause; reopened
 * without faults it holds every acknowledged entry, nothing never appended, and none an acknowledged rewrite dropped.
 */
class JournalIoErrorTest {
    private static final Path DIR = Path.of("/simulated/journal");
    private static final Journal.Options OPTIONS = Journals.syncOptions(160);

    @Test
    void theNthCallFailsForEveryNUpTo300() {
        long seed = Long.getLong("loci.test.seed", new SplittableRandom().nextLong());
        int iterations = Integer.getInteger("loci.test.iterations", 1);
        SplittableRandom random = new SplittableRandom(seed);
        int failed = 0;
        for (int round = 0; round < iterations; round++) {
            for (int n = 1; n <= 300; n++) {
                try {
                    failed += failCall(n, random.split()) ? 1 : 0;
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError("call " + n + " failed the test with seed " + seed
                            + " (replay: -Dloci.test.seed=" + seed + ")", e);
                }
            }
        }
        assertThat(failed).as("runs in which the failing call was reached").isGreaterThan(250 * iterations);
    }

    /** Returns whether the load reached the Nth call. */
    private static boolean failCall(int n, SplittableRandom random) {
        SimulatedDisk disk = new SimulatedDisk();
        disk.failAfter(n);
        String cause = "simulated I/O error at call " + n + " ";
        List<String> acknowledged = new ArrayList<>();
        Set<String> attempted = new HashSet<>();
        Set<String> vanished = new HashSet<>();
        List<MemoryException> errors = new ArrayList<>();
        Journal journal = null;
        int counter = 0;
        for (int op = 0; op < 60; op++) {
            try {
                if (journal == null) {
                    journal = Journal.open(DIR, OPTIONS, disk);
                }
                int what = random.nextInt(20);
                if (what < 12) {
                    String p = "e" + counter++ + (random.nextInt(3) == 0 ? "#drop" : "") + "x".repeat(random.nextInt(30));
                    attempted.add(p);
                    journal.append(bytes(p));
                    acknowledged.add(p);
                } else if (what < 15) {
                    List<String> group = List.of("g" + counter++, "g" + counter++ + "#drop", "g" + counter++);
                    attempted.addAll(group);
                    journal.appendAll(group.stream().map(Journals::bytes).toList());
                    acknowledged.addAll(group);
                } else if (what < 17) {
                    List<String> before = List.copyOf(acknowledged);
                    journal.rewrite(p -> Journals.text(p).contains("#drop"));
                    before.stream().filter(p -> p.contains("#drop")).forEach(vanished::add);
                } else if (what < 18) {
                    assertThat(replayed(journal).values()).containsAll(acknowledged.stream()
                            .filter(p -> !vanished.contains(p)).filter(p -> !p.contains("#drop")).toList());
                } else {
                    Journal closing = journal;
                    journal = null;
                    closing.close();
                }
            } catch (MemoryException e) {
                assertThat(e).isNotInstanceOf(CorruptedMemoryException.class);
                assertThat(e.getMessage()).as("the error names its cause").contains(cause);
                errors.add(e);
                journal = closeAfterFailure(journal, cause, attempted, acknowledged);
            }
        }
        if (journal != null) {
            journal.close();
        }
        boolean reached = disk.calls() >= n;
        assertThat(errors.isEmpty()).as("an operation failed iff call %d was reached", n).isEqualTo(!reached);
        disk.failAfter(Long.MAX_VALUE / 2);
        try (Journal reopened = Journal.open(DIR, OPTIONS, disk)) {
            Map<Long, String> recovered = replayed(reopened);
            assertThat(attempted).as("nothing never appended").containsAll(recovered.values());
            for (String p : acknowledged) {
                if (!vanished.contains(p) && !p.contains("#drop")) {
                    assertThat(recovered).as("acknowledged %s", p).containsValue(p);
                }
            }
            for (String p : vanished) {
                assertThat(recovered).as("dropped by an acknowledged rewrite: %s", p).doesNotContainValue(p);
            }
            reopened.append(bytes("after"));
        }
        return reached;
    }

    /** After a failure the same journal either works or refuses naming the cause; then it is closed. */
    private static @Nullable Journal closeAfterFailure(@Nullable Journal journal, String cause, Set<String> attempted,
                                                       List<String> acknowledged) {
        if (journal == null) {
            return null;
        }
        try {
            String probe = "probe-" + attempted.size();
            attempted.add(probe);
            journal.append(bytes(probe));
            acknowledged.add(probe);
        } catch (MemoryException e) {
            assertThat(e.getMessage()).as("a refusal names the cause").contains(cause);
        }
        try {
            journal.close();
        } catch (MemoryException e) {
            assertThat(e.getMessage()).contains(cause);
        }
        return null;
    }
}
