package dev.loci.internal.journal;

import dev.loci.MemoryException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only log beneath every view: a directory of segment files of length-prefixed, CRC32C-checked entries.
 * Each entry gets a sequence number (1, 2, 3, ...) that never repeats, even after a rewrite.
 *
 * <p>Thread-safe. In sync mode {@link #append} returns once the entry is fsynced, and concurrent appenders share
 * one fsync (group commit). In async mode it returns once the entry is written to the OS, and a daemon thread
 * fsyncs on the interval (and {@link #sync()} forces it). {@link #replay} may run while appends happen; it sees at
 * least every entry appended before it started.
 *
 * <p>On open, a torn final entry of the last segment (damage with no valid entry after it: a short file, zeros or
 * garbage, all that a crash can leave of writes not yet fsynced) is truncated with a WARN log naming the file, offset
 * and bytes dropped; any other damage throws {@link dev.loci.CorruptedMemoryException} naming the file and offset. One
 * journal at a time may have a directory open (a lock file guards it, also across processes).
 *
 * <p>After an I/O failure while appending or fsyncing, the journal refuses further appends and rewrites with a
 * {@link MemoryException} saying why; reopening it recovers every acknowledged entry. Interrupting a thread while
 * it writes or fsyncs closes the file channel (a JDK rule) and so fails the journal the same way; an interrupt
 * pending before the call is harmless.
 */
public final class Journal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    static final String LOCK_FILE = "journal.lock";
    /** The largest payload one entry may carry: 64 MiB. */
    public static final int MAX_PAYLOAD_BYTES = Format.MAX_PAYLOAD_BYTES;

    /**
     * How the journal acknowledges and where it rolls. Immutable.
     *
     * @param syncInterval  null for sync mode (every append waits for its fsync), else the async fsync interval
     * @param segmentBytes  the size after which a new segment is started (an entry larger than this gets a segment
     *                      of its own)
     */
    public record Options(@Nullable Duration syncInterval, long segmentBytes, boolean truncateAtDamage) {
        /** 64 MiB. */
        public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
        /** The smallest segment size accepted. */
        public static final long MIN_SEGMENT_BYTES = 64;

        public Options {
            if (syncInterval != null && (syncInterval.isZero() || syncInterval.isNegative())) {
                throw new IllegalArgumentException("journal syncInterval must be positive, or null for sync mode, "
                        + "was " + syncInterval);
            }
            if (segmentBytes < MIN_SEGMENT_BYTES) {
                throw new IllegalArgumentException("journal segmentBytes must be at least " + MIN_SEGMENT_BYTES
                        + ", was " + segmentBytes);
            }
        }

        /** Sync mode with 64 MiB segments. */
        public static Options sync() {
            return new Options(null, DEFAULT_SEGMENT_BYTES, false);
        }

        /** Async mode, fsyncing every {@code interval}, with 64 MiB segments. */
        public static Options async(Duration interval) {
            return new Options(Objects.requireNonNull(interval, "journal syncInterval must not be null"),
                    DEFAULT_SEGMENT_BYTES, false);
        }

        public Options withSegmentBytes(long bytes) {
            return new Options(syncInterval, bytes, truncateAtDamage);
        }

        /** On open, cut the journal at the first damage instead of failing (see {@link dev.loci.RecoveryMode}). */
        public Options truncatingAtDamage() {
            return new Options(syncInterval, segmentBytes, true);
        }
    }

    /** Receives entries in sequence order during {@link #replay}. */
    @FunctionalInterface
    public interface EntryConsumer {
        void accept(long sequence, byte[] payload);
    }

    private final Path directory;
    private final boolean cutAtDamage;
    private final Options options;
    private final JournalIo io;
    private final Closeable lock;
    private final GroupCommit commit;
    private final @Nullable ScheduledExecutorService syncer;
    /** Serialises writes, rolls and the segment list. */
    private final ReentrantLock appendLock = new ReentrantLock();
    /** Replays share it; a rewrite (which replaces and deletes files) and close take it alone. */
    private final ReentrantReadWriteLock filesLock = new ReentrantReadWriteLock();
    private final List<Long> sealed; // guarded by appendLock: first sequences of the segments before the active one
    private Segment active; // guarded by appendLock
    private volatile long nextSequence; // written under appendLock
    private boolean closed; // guarded by appendLock

    private Journal(Path directory, Options options, JournalIo io, Closeable lock, List<Long> sealed,
                    Segment active, long lastSequence, boolean cutAtDamage) {
        this.cutAtDamage = cutAtDamage;
        this.directory = directory;
        this.options = options;
        this.io = io;
        this.lock = lock;
        this.sealed = new ArrayList<>(sealed);
        this.active = active;
        this.nextSequence = lastSequence + 1;
        this.commit = new GroupCommit(this::flushWritten, lastSequence);
        Duration interval = options.syncInterval();
        if (interval == null) {
            this.syncer = null;
        } else {
            this.syncer = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "loci-journal-sync");
                thread.setDaemon(true);
                return thread;
            });
            long nanos = interval.toNanos();
            syncer.scheduleWithFixedDelay(this::backgroundSync, nanos, nanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Opens (creating if missing) the journal in {@code directory}, checking every segment. Blocks for the check.
     *
     * @throws dev.loci.CorruptedMemoryException if a segment is damaged other than by a torn final entry
     * @throws IllegalStateException if the directory is already open by another journal
     * @throws MemoryException if the directory cannot be read or written
     */
    public static Journal open(Path directory, Options options) {
        return open(directory, options, JournalIo.DISK);
    }

    /** As {@link #open(Path, Options)}, on {@code io} instead of the real disk. */
    public static Journal open(Path directory, Options options, JournalIo io) {
        Objects.requireNonNull(directory, "journal directory must not be null");
        Objects.requireNonNull(options, "journal options must not be null");
        Closeable lock = null;
        try {
            io.createDirectories(directory);
            lock = io.tryLock(directory.resolve(LOCK_FILE));
            if (lock == null) {
                throw new IllegalStateException("journal directory " + directory + " is already open");
            }
            Recovery.State state = Recovery.recover(io, directory, options.truncateAtDamage());
            List<Long> firsts = state.firstSequences();
            long activeFirst = firsts.get(firsts.size() - 1);
            Segment active = Segment.openExisting(io, directory.resolve(Format.fileName(activeFirst)), activeFirst,
                    state.activeSize());
            try {
                active.sync(); // what an earlier process wrote without fsync becomes durable before it is replayed
            } catch (IOException e) {
                active.abandon();
                throw e;
            }
            Journal journal = new Journal(directory, options, io, lock,
                    firsts.subList(0, firsts.size() - 1), active, state.lastSequence(), state.cut());
            LOG.info("Journal {} opened: {} segments, last sequence {}, {} mode", directory, firsts.size(),
                    state.lastSequence(), options.syncInterval() == null ? "sync" : "async");
            return journal;
        } catch (IOException e) {
            closeQuietly(lock);
            throw new MemoryException("cannot open journal " + directory + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(lock);
            throw e;
        }
    }

    /**
     * Appends one entry; returns its sequence. In sync mode blocks until the entry is fsynced.
     *
     * @throws IllegalArgumentException if the payload is larger than {@link #MAX_PAYLOAD_BYTES}
     * @throws IllegalStateException if the journal is closed
     * @throws MemoryException if an I/O failure stopped the journal (now or earlier)
     */
    public long append(byte[] payload) {
        Objects.requireNonNull(payload, "payload must not be null");
        return appendAll(List.of(payload));
    }

    /**
     * Appends entries as one group (one fsync in sync mode); returns the sequence of the last. Throws as
     * {@link #append} does, and {@link IllegalArgumentException} for an empty list.
     */
    public long appendAll(List<byte[]> payloads) {
        long last = writeGroup(payloads);
        if (options.syncInterval() == null) {
            commit.awaitDurable(last);
        }
        return last;
    }

    /**
     * Appends entries as one group without waiting for them to be durable, in either mode: the next fsync covers
     * them (a later append's in sync mode, the periodic one in async mode, {@link #sync}, or {@link #close}). For
     * entries a crash may lose, such as what can be computed again. Throws as {@link #appendAll} does.
     */
    public long appendAllLazily(List<byte[]> payloads) {
        return writeGroup(payloads);
    }

    /** Checks and writes entries as one group; returns the sequence of the last. */
    private long writeGroup(List<byte[]> payloads) {
        Objects.requireNonNull(payloads, "payloads must not be null");
        if (payloads.isEmpty()) {
            throw new IllegalArgumentException("payloads must not be empty");
        }
        long total = 0;
        for (int i = 0; i < payloads.size(); i++) {
            byte[] payload = payloads.get(i);
            if (payload == null) {
                throw new NullPointerException("payload " + i + " must not be null");
            }
            if (payload.length > Format.MAX_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("journal payload " + i + " has " + payload.length
                        + " bytes, the limit is " + Format.MAX_PAYLOAD_BYTES);
            }
            total += Format.entryBytes(payload.length);
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("journal batch of " + payloads.size() + " payloads needs " + total
                    + " bytes, the limit is " + (Integer.MAX_VALUE - 16));
        }
        appendLock.lock();
        try {
            checkOpen();
            commit.checkHealthy();
            return write(payloads, (int) total);
        } finally {
            appendLock.unlock();
        }
    }

    /** Encodes and writes the entries, rolling segments as they fill; called under the append lock. */
    private long write(List<byte[]> payloads, int totalBytes) {
        ByteBuffer batch = ByteBuffer.allocate(totalBytes);
        long sequence = nextSequence;
        int start = 0;
        try {
            for (byte[] payload : payloads) {
                long segmentSize = active.size() + batch.position() - start;
                if (segmentSize > Format.SEGMENT_HEADER_BYTES
                        && segmentSize + Format.entryBytes(payload.length) > options.segmentBytes()) {
                    active.write(batch.slice(start, batch.position() - start));
                    start = batch.position();
                    nextSequence = sequence;
                    roll();
                }
                Format.putEntry(batch, sequence++, payload);
            }
            active.write(batch.slice(start, batch.position() - start));
            nextSequence = sequence;
            return sequence - 1;
        } catch (IOException e) {
            throw commit.fail("writing to " + active.file() + " failed", e);
        }
    }

    /** Seals the active segment (forcing it) and starts the next one; called under the append lock. */
    private void roll() throws IOException {
        Segment old = active;
        old.close();
        // if creating the next one fails, the sealed segment stays the active one (closed, so appends fail)
        Segment next = Segment.create(io, directory, nextSequence);
        sealed.add(old.firstSequence());
        active = next;
        LOG.debug("Journal {}: rolled to {}", directory, active.file());
    }

    /** The group-commit flush: fsyncs the active segment; everything before it was forced when it was sealed. */
    private long flushWritten() throws IOException {
        Segment segment;
        long covered;
        appendLock.lock();
        try {
            segment = active;
            covered = nextSequence - 1;
        } finally {
            appendLock.unlock();
        }
        segment.sync();
        return covered;
    }

    /**
     * Feeds every entry with a sequence greater than {@code afterSequence}, in order, to the consumer. Blocks while
     * a rewrite runs. The consumer may append, but must not call {@link #rewrite} or {@link #close}.
     *
     * @throws dev.loci.CorruptedMemoryException if an entry fails its checks
     * @throws IllegalStateException if the journal is closed, or the consumer calls rewrite or close
     */
    public void replay(long afterSequence, EntryConsumer consumer) {
        if (afterSequence < 0) {
            throw new IllegalArgumentException("afterSequence must not be negative, was " + afterSequence);
        }
        Objects.requireNonNull(consumer, "consumer must not be null");
        filesLock.readLock().lock();
        try {
            List<Long> firsts;
            long activeLimit;
            appendLock.lock();
            try {
                checkOpen();
                firsts = new ArrayList<>(sealed);
                firsts.add(active.firstSequence());
                activeLimit = active.size();
            } finally {
                appendLock.unlock();
            }
            long previous = 0;
            for (int i = 0; i < firsts.size(); i++) {
                boolean last = i == firsts.size() - 1;
                if (!last && firsts.get(i + 1) <= afterSequence + 1) {
                    continue; // every entry of this segment is below the next segment's first sequence
                }
                previous = replaySegment(firsts.get(i), last ? activeLimit : -1, previous, afterSequence, consumer);
            }
        } finally {
            filesLock.readLock().unlock();
        }
    }

    private long replaySegment(long first, long limit, long previous, long afterSequence, EntryConsumer consumer) {
        Path file = directory.resolve(Format.fileName(first));
        long last = previous;
        try (SegmentReader reader = SegmentReader.open(io, file, first, limit)) {
            reader.requireAfter(previous);
            for (SegmentReader.Entry e = reader.next(); e != null; e = reader.next()) {
                last = e.sequence();
                if (e.sequence() > afterSequence) {
                    consumer.accept(e.sequence(), e.payload());
                }
            }
            return last;
        } catch (SegmentReader.Damage damage) {
            throw Recovery.corrupted(file, damage.offset, damage.getMessage());
        } catch (IOException e) {
            throw new MemoryException("cannot read journal file " + file + ": " + e, e);
        }
    }

    /**
     * True if this open cut damaged entries away (options {@link Options#truncatingAtDamage()}): views built from
     * the dropped entries must be rebuilt.
     */
    public boolean cutAtDamage() {
        return cutAtDamage;
    }

    /** The sequence of the last entry appended (the highest ever issued, even if rewritten away); 0 if none. */
    public long lastSequence() {
        return nextSequence - 1;
    }

    /**
     * Rewrites every segment holding an entry whose payload matches {@code drop}, without those entries, each
     * rewrite made visible atomically (write a new file, fsync, rename over, fsync the directory). Afterwards no
     * byte of a dropped entry remains in the journal's files. Returns how many entries were dropped.
     *
     * <p>The active segment is first sealed (a new one started), so appends continue during the rewrite. The
     * predicate must be a pure function of the payload: it may be asked more than once per entry. Blocks while
     * replays run.
     *
     * @throws dev.loci.CorruptedMemoryException if a segment is damaged
     * @throws MemoryException if a file cannot be rewritten (each segment is then either unchanged or fully
     *                         rewritten), or the journal has failed
     */
    public int rewrite(Predicate<byte[]> drop) {
        Objects.requireNonNull(drop, "drop predicate must not be null");
        requireNotInsideReplay("rewrite");
        filesLock.writeLock().lock();
        try {
            List<Long> targets;
            appendLock.lock();
            try {
                checkOpen();
                commit.checkHealthy();
                if (active.hasEntries()) {
                    try {
                        roll();
                    } catch (IOException e) {
                        throw commit.fail("rolling to a new segment before a rewrite failed", e);
                    }
                }
                targets = List.copyOf(sealed);
            } finally {
                appendLock.unlock();
            }
            int dropped = 0;
            for (long first : targets) {
                dropped += rewriteSegment(first, drop);
            }
            if (dropped > 0) {
                LOG.info("Journal {}: rewrite dropped {} entries", directory, dropped);
            }
            return dropped;
        } finally {
            filesLock.writeLock().unlock();
        }
    }

    private int rewriteSegment(long first, Predicate<byte[]> drop) {
        Path file = directory.resolve(Format.fileName(first));
        try {
            // A segment left without entries is unlisted before its file is deleted, so a failed delete or
            // directory sync never leaves the journal listing a file that is gone.
            return SegmentRewriter.rewrite(io, directory, first, drop, () -> {
                appendLock.lock();
                try {
                    sealed.remove(Long.valueOf(first));
                } finally {
                    appendLock.unlock();
                }
            }).dropped();
        } catch (SegmentReader.Damage damage) {
            throw Recovery.corrupted(file, damage.offset, damage.getMessage());
        } catch (IOException e) {
            throw new MemoryException("rewriting journal file " + file + " failed: " + e, e);
        }
    }

    /**
     * Fsyncs everything appended so far; blocks until done.
     *
     * @throws MemoryException if the fsync fails (the journal then refuses appends)
     */
    public void sync() {
        long target;
        appendLock.lock();
        try {
            checkOpen();
            target = nextSequence - 1;
        } finally {
            appendLock.unlock();
        }
        commit.awaitDurable(target);
    }

    private void backgroundSync() {
        long target;
        appendLock.lock();
        try {
            if (closed || commit.failed()) {
                return;
            }
            target = nextSequence - 1;
        } finally {
            appendLock.unlock();
        }
        try {
            commit.awaitDurable(target);
        } catch (MemoryException e) {
            // GroupCommit logged it; appends now fail with the same message
        }
    }

    /** How many group-commit fsyncs ran (for tests). */
    long fsyncCount() {
        return commit.fsyncs();
    }

    /**
     * Fsyncs and closes the journal; idempotent. Waits for running replays and rewrites.
     *
     * @throws MemoryException if the final fsync fails
     */
    @Override
    public void close() {
        requireNotInsideReplay("close");
        filesLock.writeLock().lock();
        try {
            appendLock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                if (syncer != null) {
                    syncer.shutdown();
                }
                if (commit.failed()) {
                    active.abandon();
                } else {
                    active.close();
                }
            } catch (IOException e) {
                throw commit.fail("the fsync on close failed", e);
            } finally {
                appendLock.unlock();
                closeQuietly(lock);
            }
            LOG.info("Journal {} closed at sequence {}", directory, lastSequence());
        } finally {
            filesLock.writeLock().unlock();
        }
    }

    private void requireNotInsideReplay(String what) {
        if (filesLock.getReadHoldCount() > 0) {
            throw new IllegalStateException(what + " cannot be called from inside replay");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("journal " + directory + " is closed");
        }
    }

    private static void closeQuietly(@Nullable Closeable lock) {
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException ignored) {
                // releasing the lock file; nothing else to do
            }
        }
    }
}
