package dev.loci.internal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Set;

/**
 * Every file operation the journal performs, in one seam so tests can inject faults (a failing fsync, a failing
 * write). {@link #DISK} is the real thing. Implementations must be thread-safe.
 */
interface JournalIo {

    JournalIo DISK = new JournalIo() {
    };

    default FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
        return FileChannel.open(file, options);
    }

    /** Writes all of {@code source} at {@code position}. */
    default void write(FileChannel channel, ByteBuffer source, long position) throws IOException {
        long at = position;
        while (source.hasRemaining()) {
            at += channel.write(source, at);
        }
    }

    /** Forces the file's data (not necessarily its metadata) to the device. */
    default void force(FileChannel channel) throws IOException {
        channel.force(false);
    }

    /** Renames {@code source} over {@code target} in one atomic step. */
    default void atomicMove(Path source, Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    default void delete(Path file) throws IOException {
        Files.delete(file);
    }

    /** Makes the directory's entries (creations, renames, deletions) durable. */
    default void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Windows cannot open a directory as a channel; its renames are durable without this step.
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
                throw e;
            }
        }
    }
}
