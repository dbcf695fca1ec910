package dev.loci.internal.journal;

import dev.loci.internal.journal.simulated.SimulatedDisk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Small helpers shared by the journal tests. */
final class Journals {
    private Journals() {
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Every entry after {@code afterSequence}, in replay order, payloads as text. */
    static Map<Long, String> replayed(Journal journal, long afterSequence) {
        Map<Long, String> entries = new LinkedHashMap<>();
        journal.replay(afterSequence, (sequence, payload) -> {
            if (entries.put(sequence, text(payload)) != null) {
                throw new AssertionError("sequence " + sequence + " replayed twice");
            }
        });
        return entries;
    }

    static Map<Long, String> replayed(Journal journal) {
        return replayed(journal, 0);
    }

    /** The segment files of a journal directory, in name (= sequence) order. */
    static List<Path> segments(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().matches("segment-\\d{20}\\.log")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many segment files a journal directory on a simulated disk holds. */
    static long simulatedSegments(SimulatedDisk disk, Path directory) {
        try {
            return disk.list(directory, "segment-*.log").size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Journal.Options syncOptions(long segmentBytes) {
        return Journal.Options.sync().withSegmentBytes(segmentBytes);
    }

    /** What the action printed to System.err (where the tests' SLF4J binding writes its log), as text. */
    static String stderrOf(Runnable action) {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
