package dev.loci.internal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * The segment being appended to. Writes are made by the journal under its append lock; {@link #sync} may be called
 * by a group-commit leader at the same time, and {@link #close} waits for it. Once closed (which forces the file),
 * {@code sync} is a no-op: everything written is already durable.
 */
final class Segment {
    private final Path file;
    private final long firstSequence;
    private final JournalIo.Handle channel;
    private volatile long size;
    private boolean closed; // guarded by this
    private boolean unforced; // guarded by this: closed without a successful force

    private Segment(Path file, long firstSequence, JournalIo.Handle channel, long size) {
        this.file = file;
        this.firstSequence = firstSequence;
        this.channel = channel;
        this.size = size;
    }

    /**
     * Creates {@code segment-<firstSequence>.log} holding only its header, made visible atomically (written to a
     * temporary file, fsynced, renamed, directory fsynced), so a crash never leaves a segment with a torn header.
     */
    static Segment create(JournalIo io, Path directory, long firstSequence) throws IOException {
        Path file = directory.resolve(Format.fileName(firstSequence));
        Path tmp = directory.resolve(file.getFileName() + Format.TMP_SUFFIX);
        try (JournalIo.Handle out = io.open(tmp, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))) {
            uninterrupted(() -> {
                out.write(Format.segmentHeader(firstSequence), 0);
                out.force();
            });
        }
        io.atomicMove(tmp, file);
        io.syncDirectory(directory);
        return openExisting(io, file, firstSequence, Format.SEGMENT_HEADER_BYTES);
    }

    /** Opens an already validated segment for appending after its first {@code size} bytes. */
    static Segment openExisting(JournalIo io, Path file, long firstSequence, long size) throws IOException {
        JournalIo.Handle channel = io.open(file, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
        return new Segment(file, firstSequence, channel, size);
    }

    Path file() {
        return file;
    }

    long firstSequence() {
        return firstSequence;
    }

    long size() {
        return size;
    }

    boolean hasEntries() {
        return size > Format.SEGMENT_HEADER_BYTES;
    }

    /** Appends the bytes; called only under the journal's append lock. */
    void write(ByteBuffer bytes) throws IOException {
        long at = size;
        int length = bytes.remaining();
        uninterrupted(() -> channel.write(bytes, at));
        size = at + length;
    }

    /** Forces everything written so far to the device; a no-op once closed (closing forced it). */
    synchronized void sync() throws IOException {
        if (closed) {
            if (unforced) {
                throw new IOException("segment " + file + " was closed without a successful fsync");
            }
            return;
        }
        try {
            uninterrupted(channel::force);
        } catch (IOException e) {
            throw new IOException("fsync of " + file + " failed: " + e, e);
        }
    }

    /** Forces and closes the file; idempotent. The channel is closed even if the force fails. */
    synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        unforced = true;
        try (channel) {
            uninterrupted(channel::force);
            unforced = false;
        } catch (IOException e) {
            throw new IOException("fsync of " + file + " on close failed: " + e, e);
        }
    }

    /** Closes without forcing, after a failure. */
    synchronized void abandon() {
        if (closed) {
            return;
        }
        closed = true;
        unforced = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // the journal has already failed; the original cause is what matters
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    /**
     * An interrupt that arrives while a thread does channel I/O closes the channel for every thread. So a pending
     * interrupt is cleared before the I/O and restored after it; only one arriving during the call can still hurt,
     * and then the journal fails with a clear message instead of limping on.
     */
    private static void uninterrupted(IoAction action) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            action.run();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
