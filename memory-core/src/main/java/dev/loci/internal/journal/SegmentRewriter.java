package dev.loci.internal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Rewrites one sealed segment without the entries a predicate drops. The new content becomes visible in one atomic
 * step: written to {@code <name>.tmp}, fsynced, renamed over the original, directory fsynced. A segment left with
 * no entries is deleted instead. The predicate is asked twice per entry (once to find out whether the segment needs
 * rewriting at all), so it must be a pure function of the payload. Not thread-safe: the journal runs one rewrite at a time and never on the segment it
 * appends to.
 */
final class SegmentRewriter {
    private static final int BUFFER_BYTES = 64 * 1024;

    /** How a rewrite went: entries dropped, and whether the segment was deleted for want of entries. */
    record Result(int dropped, boolean deleted) {
    }

    private SegmentRewriter() {
    }

    /**
     * Rewrites the segment; {@code beforeDelete} runs before the file of a segment left without entries is deleted.
     */
    static Result rewrite(JournalIo io, Path directory, long firstSequence, Predicate<byte[]> drop,
                          Runnable beforeDelete) throws IOException, SegmentReader.Damage {
        Path file = directory.resolve(Format.fileName(firstSequence));
        if (countMatches(io, file, firstSequence, drop) == 0) {
            return new Result(0, false);
        }
        Path tmp = directory.resolve(file.getFileName() + Format.TMP_SUFFIX);
        int dropped = 0;
        int kept = 0;
        try (SegmentReader reader = SegmentReader.open(io, file, firstSequence, -1);
             JournalIo.Handle out = io.open(tmp, Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                     StandardOpenOption.WRITE))) {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
            buffer.put(Format.segmentHeader(firstSequence));
            long written = 0;
            for (SegmentReader.Entry e = reader.next(); e != null; e = reader.next()) {
                if (drop.test(e.payload())) {
                    dropped++;
                    continue;
                }
                kept++;
                if (buffer.remaining() < e.bytes()) {
                    written += flush(out, buffer, written);
                    if (buffer.capacity() < e.bytes()) {
                        buffer = ByteBuffer.allocate(e.bytes());
                    }
                }
                Format.putEntry(buffer, e.sequence(), e.payload());
            }
            flush(out, buffer, written);
            out.force();
        }
        if (kept == 0) {
            beforeDelete.run();
            io.delete(tmp);
            io.delete(file);
        } else {
            io.atomicMove(tmp, file);
        }
        io.syncDirectory(directory);
        return new Result(dropped, kept == 0);
    }

    private static int countMatches(JournalIo io, Path file, long firstSequence, Predicate<byte[]> drop)
            throws IOException, SegmentReader.Damage {
        int matches = 0;
        try (SegmentReader reader = SegmentReader.open(io, file, firstSequence, -1)) {
            for (SegmentReader.Entry e = reader.next(); e != null; e = reader.next()) {
                if (drop.test(e.payload())) {
                    matches++;
                }
            }
        }
        return matches;
    }

    private static int flush(JournalIo.Handle out, ByteBuffer buffer, long position) throws IOException {
        buffer.flip();
        int length = buffer.remaining();
        out.write(buffer, position);
        buffer.clear();
        return length;
    }
}
