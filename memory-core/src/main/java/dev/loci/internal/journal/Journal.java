package dev.loci.internal.journal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * The append-only log beneath every view: a directory of segment files of length-prefixed, CRC32C-checked entries.
 * Each entry gets a sequence number (1, 2, 3, ...) that never repeats, even after a rewrite.
 *
 * <p>Thread-safe. In sync mode {@link #append} returns once the entry is fsynced, and concurrent appenders share
 * one fsync (group commit). In async mode it returns once the entry is written to the OS, and a daemon thread
 * fsyncs on the interval (and {@link #sync()} forces it).
 *
 * <p>On open, a torn final entry of the last segment (incomplete, or failing its checksum with nothing after it)
 * is truncated with a WARN log naming the file, offset and bytes dropped; any other damage throws
 * {@link dev.loci.CorruptedMemoryException} naming the file and offset.
 */
public final class Journal implements AutoCloseable {

    /**
     * @param syncInterval  null for sync mode (every append waits for its fsync), else the async fsync interval
     * @param segmentBytes  the size after which a new segment is started
     */
    public record Options(Duration syncInterval, long segmentBytes) {
    }

    /** Receives entries in sequence order during {@link #replay}. */
    @FunctionalInterface
    public interface EntryConsumer {
        void accept(long sequence, byte[] payload);
    }

    public static Journal open(Path directory, Options options) {
        throw new UnsupportedOperationException("journal is being built");
    }

    /** Appends one entry; returns its sequence. */
    public long append(byte[] payload) {
        throw new UnsupportedOperationException();
    }

    /** Appends entries as one group (one fsync in sync mode); returns the sequence of the last. */
    public long appendAll(List<byte[]> payloads) {
        throw new UnsupportedOperationException();
    }

    /** Feeds every entry with a sequence greater than {@code afterSequence}, in order, to the consumer. */
    public void replay(long afterSequence, EntryConsumer consumer) {
        throw new UnsupportedOperationException();
    }

    /** The sequence of the last entry appended; 0 for an empty journal. */
    public long lastSequence() {
        throw new UnsupportedOperationException();
    }

    /**
     * Rewrites every segment holding an entry whose payload matches {@code drop}, without those entries, each
     * rewrite made visible atomically (write a new file, fsync, rename over, fsync the directory). Afterwards no
     * byte of a dropped entry remains in the journal's files. Returns how many entries were dropped.
     */
    public int rewrite(Predicate<byte[]> drop) {
        throw new UnsupportedOperationException();
    }

    /** Fsyncs everything appended so far. */
    public void sync() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException();
    }
}
