package dev.loci.internal.journal;

import dev.loci.CorruptedMemoryException;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a journal directory: removes leftover temporary files, checks every segment, truncates a torn tail of the
 * last segment (with a WARN) and reports any other damage as {@link CorruptedMemoryException}. A torn tail is damage
 * in the last segment with no valid entry after it: what a crash leaves of writes not yet fsynced (a short file,
 * zeros where the size reached the disk but the data did not, garbage from torn sectors). Damage followed by a valid
 * entry cannot be that, since the entry was written later, and is reported, unless the caller asked to truncate at
 * damage: then the journal is cut there (the segment truncated, later segments deleted) with a WARN for each file.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    /**
     * What the directory holds after recovery.
     *
     * @param firstSequences the first sequence of each segment, ascending; the last is the active segment
     * @param lastSequence the highest sequence ever issued (also counting dropped entries: see below)
     * @param activeSize the valid length of the active segment
     * @param cut true if damage was cut away (recovery mode truncate at damage): entries were dropped
     */
    record State(List<Long> firstSequences, long lastSequence, long activeSize, boolean cut) {
    }

    private Recovery() {
    }

    static State recover(JournalIo io, Path directory) throws IOException {
        return recover(io, directory, false);
    }

    static State recover(JournalIo io, Path directory, boolean truncateAtDamage) throws IOException {
        removeLeftovers(io, directory);
        List<Long> firsts = listSegments(io, directory);
        if (firsts.isEmpty()) {
            Segment.create(io, directory, 1).close();
            return new State(List.of(1L), 0, Format.SEGMENT_HEADER_BYTES, false);
        }
        long lastSequence = 0;
        long activeSize = 0;
        for (int i = 0; i < firsts.size(); i++) {
            long first = firsts.get(i);
            boolean last = i == firsts.size() - 1;
            Path file = directory.resolve(Format.fileName(first));
            Checked checked;
            try {
                if (first <= lastSequence) {
                    throw new Damaged(0, "first sequence " + first + " is not above the previous segment's last "
                            + "sequence " + lastSequence);
                }
                checked = check(io, file, first, last);
            } catch (Damaged d) {
                if (!truncateAtDamage) {
                    throw corrupted(file, d.offset, d.getMessage());
                }
                List<Long> kept = cutAt(io, directory, firsts, i, d, lastSequence);
                if (kept.isEmpty()) {
                    Segment.create(io, directory, lastSequence + 1).close();
                    return new State(List.of(lastSequence + 1), lastSequence, Format.SEGMENT_HEADER_BYTES, true);
                }
                State left = recover(io, directory, false); // what is left is whole: check it as usual
                return new State(left.firstSequences(), left.lastSequence(), left.activeSize(), true);
            }
            lastSequence = Math.max(lastSequence, checked.highestSequence());
            activeSize = checked.validLength();
        }
        // The active segment is never deleted and its first sequence is the next one to issue when it was
        // created, so sequences stay unique even when a rewrite dropped the highest entries.
        lastSequence = Math.max(lastSequence, firsts.get(firsts.size() - 1) - 1);
        return new State(List.copyOf(firsts), lastSequence, activeSize, false);
    }

    /** Damage found in a segment, before it is reported or cut. */
    private static final class Damaged extends Exception {
        final long offset;

        Damaged(long offset, String reason) {
            super(reason, null, false, false);
            this.offset = offset;
        }
    }

    /** What checking one segment found: its highest sequence (0 if none) and the length of its valid prefix. */
    private record Checked(long highestSequence, long validLength) {
    }

    private static Checked check(JournalIo io, Path file, long first, boolean last) throws IOException, Damaged {
        long highest = 0;
        try (SegmentReader reader = SegmentReader.open(io, file, first, -1)) {
            try {
                for (SegmentReader.Entry e = reader.next(); e != null; e = reader.next()) {
                    highest = e.sequence();
                }
                return new Checked(highest, reader.position());
            } catch (SegmentReader.Damage damage) {
                if (!last || reader.validEntryAfter(damage.offset)) {
                    throw new Damaged(damage.offset, damage.getMessage() + (last
                            ? "; a valid entry follows, so this is not a torn final write" : ""));
                }
                long dropped = reader.limit() - damage.offset;
                truncate(io, file, damage.offset);
                LOG.warn("Journal segment {}: torn final entry at offset {} ({}); truncated, {} bytes dropped",
                        file, damage.offset, damage.getMessage(), dropped);
                return new Checked(highest, damage.offset);
            }
        } catch (SegmentReader.Damage damage) {
            throw new Damaged(damage.offset, damage.getMessage());
        }
    }

    /**
     * Cuts the journal at the damage found in segment {@code damaged}: truncates it there (deletes it if the damage
     * is in its header, so nothing of it is whole), deletes every later segment, and logs each file, offset and
     * number of bytes dropped. Returns the first sequences of the segments left.
     */
    private static List<Long> cutAt(JournalIo io, Path directory, List<Long> firsts, int damaged, Damaged damage,
                                    long keptSequence) throws IOException {
        Path file = directory.resolve(Format.fileName(firsts.get(damaged)));
        long size = size(io, file);
        List<Long> kept = new ArrayList<>(firsts.subList(0, damaged));
        if (damage.offset < Format.SEGMENT_HEADER_BYTES) {
            io.delete(file);
            LOG.warn("Journal segment {} is damaged at byte offset {} ({}); recovery mode TRUNCATE_AT_DAMAGE deleted "
                    + "it: {} bytes dropped", file, damage.offset, damage.getMessage(), size);
        } else {
            truncate(io, file, damage.offset);
            kept.add(firsts.get(damaged));
            LOG.warn("Journal segment {} is damaged at byte offset {} ({}); recovery mode TRUNCATE_AT_DAMAGE "
                    + "truncated it there: {} bytes dropped", file, damage.offset, damage.getMessage(),
                    size - damage.offset);
        }
        for (long later : firsts.subList(damaged + 1, firsts.size())) {
            Path laterFile = directory.resolve(Format.fileName(later));
            long bytes = size(io, laterFile);
            io.delete(laterFile);
            LOG.warn("Journal segment {} follows the damage; recovery mode TRUNCATE_AT_DAMAGE deleted it: {} bytes "
                    + "dropped", laterFile, bytes);
        }
        io.syncDirectory(directory);
        LOG.warn("Journal {}: kept the entries before the damage (earlier segments' last sequence {})", directory,
                keptSequence);
        return kept;
    }

    private static long size(JournalIo io, Path file) throws IOException {
        try (JournalIo.Handle handle = io.open(file, Set.of(StandardOpenOption.READ))) {
            return handle.size();
        }
    }

    private static void truncate(JournalIo io, Path file, long length) throws IOException {
        try (JournalIo.Handle handle = io.open(file, Set.of(StandardOpenOption.WRITE))) {
            handle.truncate(length);
            handle.force();
        }
    }

    static CorruptedMemoryException corrupted(Path file, long offset, String reason) {
        return new CorruptedMemoryException("journal file " + file + " is damaged at byte offset " + offset + ": "
                + reason);
    }

    private static List<Long> listSegments(JournalIo io, Path directory) throws IOException {
        List<Long> firsts = new ArrayList<>();
        for (Path file : io.list(directory, "segment-*.log")) {
            OptionalLong first = Format.firstSequenceOf(file.getFileName().toString());
            if (first.isEmpty()) {
                throw corrupted(file, 0, "not a segment file name (segment-<20 digits>.log)");
            }
            firsts.add(first.getAsLong());
        }
        firsts.sort(null);
        return firsts;
    }

    /** A crash during a roll or a rewrite leaves a temporary file; the original is intact, so it goes. */
    private static void removeLeftovers(JournalIo io, Path directory) throws IOException {
        boolean removed = false;
        for (Path file : io.list(directory, "segment-*" + Format.TMP_SUFFIX)) {
            long bytes;
            try (JournalIo.Handle handle = io.open(file, Set.of(StandardOpenOption.READ))) {
                bytes = handle.size();
            }
            io.delete(file);
            removed = true;
            LOG.warn("Journal: removed unfinished temporary file {} ({} bytes) left by an interrupted roll or "
                    + "rewrite", file, bytes);
        }
        if (removed) {
            io.syncDirectory(directory);
        }
    }
}
