package dev.loci.internal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads one segment file front to back, checking its header and every entry. Not thread-safe; each reader has its
 * own channel, so readers may run while the journal appends to the same file (they stop at the limit given).
 */
final class SegmentReader implements AutoCloseable {
    private static final int BUFFER_BYTES = 64 * 1024;

    /** One checked entry; {@code offset} is where it starts in the file. */
    record Entry(long sequence, byte[] payload, long offset, int bytes) {
    }

    /** Damage found at {@code offset}. */
    static final class Damage extends Exception {
        private static final long serialVersionUID = 1L;
        final long offset;

        Damage(long offset, String reason) {
            super(reason);
            this.offset = offset;
        }
    }

    private final Path file;
    private final JournalIo.Handle channel;
    private final long limit;
    private final long firstSequence;
    private long position;
    private long previousSequence;
    private ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).limit(0);
    private long bufferStart;

    private SegmentReader(Path file, JournalIo.Handle channel, long limit, long firstSequence) {
        this.file = file;
        this.channel = channel;
        this.limit = limit;
        this.firstSequence = firstSequence;
        this.position = Format.SEGMENT_HEADER_BYTES;
        this.previousSequence = firstSequence - 1;
    }

    /**
     * Opens {@code file} and checks its header against the first sequence its name gives.
     *
     * @param limit how many bytes of the file to read, or -1 for all of it
     */
    static SegmentReader open(JournalIo io, Path file, long expectedFirstSequence, long limit)
            throws IOException, Damage {
        JournalIo.Handle channel = io.open(file, Set.of(StandardOpenOption.READ));
        try {
            long end = limit < 0 ? channel.size() : Math.min(limit, channel.size());
            SegmentReader reader = new SegmentReader(file, channel, end, expectedFirstSequence);
            reader.checkHeader();
            return reader;
        } catch (IOException | Damage | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    Path file() {
        return file;
    }

    long firstSequence() {
        return firstSequence;
    }

    /** The offset just past the last entry returned. */
    long position() {
        return position;
    }

    long limit() {
        return limit;
    }

    /** Entries must come after this sequence (used to continue the order across segments). */
    void requireAfter(long sequence) {
        previousSequence = Math.max(previousSequence, sequence);
    }

    private void checkHeader() throws IOException, Damage {
        if (fill(0, Format.SEGMENT_HEADER_BYTES) < Format.SEGMENT_HEADER_BYTES) {
            throw new Damage(0, "segment header incomplete: file has " + limit + " bytes, header needs "
                    + Format.SEGMENT_HEADER_BYTES);
        }
        byte[] header = new byte[Format.SEGMENT_HEADER_BYTES];
        buffer.get(0, header);
        if (!Arrays.equals(header, 0, Format.MAGIC.length, Format.MAGIC, 0, Format.MAGIC.length)) {
            throw new Damage(0, "not a Loci journal segment (bad magic)");
        }
        ByteBuffer b = ByteBuffer.wrap(header);
        int crc = b.getInt(Format.SEGMENT_HEADER_BYTES - 4);
        if (crc != Format.crc(header, 0, Format.SEGMENT_HEADER_BYTES - 4)) {
            throw new Damage(0, "segment header checksum mismatch");
        }
        int version = b.getInt(Format.MAGIC.length);
        if (version != Format.VERSION) {
            throw new Damage(0, "unsupported journal format version " + version + ", this build reads version "
                    + Format.VERSION);
        }
        long first = b.getLong(Format.MAGIC.length + 4);
        if (first != firstSequence) {
            throw new Damage(0, "header names first sequence " + first + " but the file name names "
                    + firstSequence);
        }
    }

    /** The next entry, or null at the end; throws {@link Damage} at the first bad byte. */
    @Nullable Entry next() throws IOException, Damage {
        long at = position;
        long remaining = limit - at;
        if (remaining == 0) {
            return null;
        }
        if (fill(at, Format.ENTRY_HEADER_BYTES) < Format.ENTRY_HEADER_BYTES) {
            throw new Damage(at, "incomplete entry header: " + remaining + " of " + Format.ENTRY_HEADER_BYTES
                    + " bytes");
        }
        int length = buffer.getInt();
        long sequence = buffer.getLong();
        int headerCrc = buffer.getInt();
        if (headerCrc != Format.headerCrc(length, sequence)) {
            throw new Damage(at, "entry header checksum mismatch");
        }
        if (length < 0 || length > Format.MAX_PAYLOAD_BYTES) {
            throw new Damage(at, "entry length " + length + " out of range 0.." + Format.MAX_PAYLOAD_BYTES);
        }
        if (sequence <= previousSequence) {
            throw new Damage(at, "sequence " + sequence + " does not follow " + previousSequence);
        }
        int bytes = Format.entryBytes(length);
        if (bytes > remaining) {
            throw new Damage(at, "incomplete entry: needs " + bytes + " bytes, " + remaining + " remain");
        }
        fill(at + Format.ENTRY_HEADER_BYTES, length + 4);
        byte[] payload = new byte[length];
        buffer.get(payload);
        int bodyCrc = buffer.getInt();
        if (bodyCrc != Format.bodyCrc(sequence, payload)) {
            throw new Damage(at, "entry checksum mismatch for sequence " + sequence);
        }
        position = at + bytes;
        previousSequence = sequence;
        return new Entry(sequence, payload, at, bytes);
    }

    /**
     * Makes {@code [offset, offset + length)} (clipped to the limit) available in the buffer, positioned at
     * {@code offset}; returns how many of those bytes are available.
     */
    private int fill(long offset, int length) throws IOException {
        int wanted = (int) Math.min(length, limit - offset);
        long bufferEnd = bufferStart + buffer.limit();
        if (offset < bufferStart || offset + wanted > bufferEnd) {
            if (buffer.capacity() < wanted) {
                buffer = ByteBuffer.allocate(wanted);
            }
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), limit - offset));
            long at = offset;
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, at);
                if (n < 0) {
                    break;
                }
                at += n;
            }
            buffer.flip();
            bufferStart = offset;
        }
        buffer.position((int) (offset - bufferStart));
        return (int) Math.min(wanted, bufferStart + buffer.limit() - offset);
    }

    /**
     * Whether a whole, checksum-valid entry with a sequence above the last one returned starts anywhere after
     * {@code offset} (tried at every byte, up to the limit). Damage with no such entry after it is what an
     * interrupted or unsynced final write leaves (a short file, zeros, garbage); damage followed by a valid entry is
     * not, because the entry was written after the damaged bytes. Called once, after {@link #next} threw.
     */
    boolean validEntryAfter(long offset) throws IOException {
        for (long at = offset + 1; at + Format.ENTRY_OVERHEAD_BYTES <= limit; at++) {
            if (fill(at, Format.ENTRY_HEADER_BYTES) < Format.ENTRY_HEADER_BYTES) {
                return false;
            }
            int length = buffer.getInt();
            long sequence = buffer.getLong();
            int headerCrc = buffer.getInt();
            if (length < 0 || length > Format.MAX_PAYLOAD_BYTES || sequence <= previousSequence
                    || at + Format.entryBytes(length) > limit || headerCrc != Format.headerCrc(length, sequence)) {
                continue;
            }
            fill(at + Format.ENTRY_HEADER_BYTES, length + 4);
            byte[] payload = new byte[length];
            buffer.get(payload);
            if (buffer.getInt() == Format.bodyCrc(sequence, payload)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
