package dev.loci.internal.journal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Every file operation the journal performs, in one small seam, so tests can run the journal on a simulated disk
 * that loses unsynced bytes and directory entries, fails the Nth call or runs out of space. Nothing else in this
 * package touches the file system. {@link #DISK} is the real thing, a thin wrapper over {@code FileChannel} and
 * {@code Files}. Implementations must be thread-safe. Public for the tests of other modules (a whole memory on a
 * simulated disk); the package is not exported.
 */
public interface JournalIo {

    JournalIo DISK = new DiskIo();

    /** An open file. Reads and writes are positional, so one handle may serve a writer and a syncing thread. */
    interface Handle extends Closeable {
        /** Reads into {@code target} from {@code position}; returns the bytes read, or -1 at the end of the file. */
        int read(ByteBuffer target, long position) throws IOException;

        /** Writes all of {@code source} at {@code position}. */
        void write(ByteBuffer source, long position) throws IOException;

        /** Forces the file's data (and its size; not necessarily other metadata) to the device. */
        void force() throws IOException;

        long size() throws IOException;

        void truncate(long size) throws IOException;
    }

    Handle open(Path file, Set<? extends OpenOption> options) throws IOException;

    /** The files of {@code directory} whose names match {@code glob}, in no particular order. */
    List<Path> list(Path directory, String glob) throws IOException;

    void createDirectories(Path directory) throws IOException;

    /**
     * Takes the exclusive lock on {@code file} (creating it), held until the returned handle is closed; null if
     * another holder, in this process or another, has it.
     */
    @Nullable Closeable tryLock(Path file) throws IOException;

    /** Renames {@code source} over {@code target} in one atomic step. */
    void atomicMove(Path source, Path target) throws IOException;

    void delete(Path file) throws IOException;

    /** Makes the directory's entries (creations, renames, deletions) durable. */
    void syncDirectory(Path directory) throws IOException;
}
