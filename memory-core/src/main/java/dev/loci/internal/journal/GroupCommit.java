package dev.loci.internal.journal;

import dev.loci.MemoryException;
import java.io.IOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares fsyncs between threads. A thread that needs sequence {@code s} durable either finds it already durable,
 * waits for the fsync in progress, or becomes the leader: it runs the {@link Flush} (which captures everything
 * written so far and fsyncs it) for every thread waiting. Thread-safe.
 *
 * <p>The first failed fsync fails the journal for good: the data of later entries may not be on disk, and the
 * page cache may have dropped dirty pages, so a retried fsync could succeed and lie.
 */
final class GroupCommit {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    /** Makes everything written so far durable; returns the highest sequence it covers. */
    @FunctionalInterface
    interface Flush {
        long run() throws IOException;
    }

    private final Flush flush;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition flushed = lock.newCondition();
    private long durable; // guarded by lock
    private boolean flushing; // guarded by lock
    private long fsyncs; // guarded by lock
    private volatile @Nullable MemoryException failure;

    GroupCommit(Flush flush, long durable) {
        this.flush = flush;
        this.durable = durable;
    }

    /** Blocks until every entry up to {@code sequence} is durable; throws if an fsync failed before that. */
    void awaitDurable(long sequence) {
        lock.lock();
        try {
            while (durable < sequence) {
                MemoryException failed = failure;
                if (failed != null) {
                    throw new MemoryException(failed.getMessage(), failed.getCause());
                }
                if (flushing) {
                    flushed.awaitUninterruptibly();
                } else {
                    lead();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs one flush for everyone; entered and left holding the lock. */
    private void lead() {
        flushing = true;
        long covered = -1;
        Throwable error = null;
        lock.unlock();
        try {
            covered = flush.run();
        } catch (IOException | RuntimeException | Error e) {
            error = e;
        } finally {
            lock.lock();
            flushing = false;
            fsyncs++;
            if (error == null) {
                durable = Math.max(durable, covered);
            } else if (failure == null) {
                failure = new MemoryException("the journal refuses appends because an fsync failed ("
                        + error + "); entries not yet acknowledged may be lost; reopen the journal to recover",
                        error);
                LOG.error("Journal failed: {}", failure.getMessage(), error);
            }
            flushed.signalAll();
        }
    }

    /** Records an I/O failure outside an fsync (a write); later calls to {@link #checkHealthy} throw. */
    MemoryException fail(String what, Throwable cause) {
        lock.lock();
        try {
            if (failure == null) {
                failure = new MemoryException("the journal refuses appends because " + what + " (" + cause
                        + "); reopen the journal to recover", cause);
                LOG.error("Journal failed: {}", failure.getMessage(), cause);
            }
            flushed.signalAll();
            MemoryException failed = failure;
            return new MemoryException(failed.getMessage(), failed.getCause());
        } finally {
            lock.unlock();
        }
    }

    /** Throws the failure that stopped the journal, if any. */
    void checkHealthy() {
        MemoryException failed = failure;
        if (failed != null) {
            throw new MemoryException(failed.getMessage(), failed.getCause());
        }
    }

    boolean failed() {
        return failure != null;
    }

    long fsyncs() {
        lock.lock();
        try {
            return fsyncs;
        } finally {
            lock.unlock();
        }
    }
}
