package dev.loci.internal.journal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** The real disk, with hooks that tests arm after opening: count writes and forces, fail or hold them. */
final class TestIo implements JournalIo {

    /** Runs before an I/O call; may throw to fail it. */
    @FunctionalInterface
    interface Hook {
        void run(int call) throws IOException;
    }

    private static final Hook NOTHING = call -> {
    };

    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger forces = new AtomicInteger();
    volatile Hook beforeWrite = NOTHING;
    volatile Hook beforeForce = NOTHING;

    @Override
    public Handle open(Path file, Set<? extends OpenOption> options) throws IOException {
        Handle real = DISK.open(file, options);
        return new Handle() {
            @Override
            public int read(ByteBuffer target, long position) throws IOException {
                return real.read(target, position);
            }

            @Override
            public void write(ByteBuffer source, long position) throws IOException {
                beforeWrite.run(writes.incrementAndGet());
                real.write(source, position);
            }

            @Override
            public void force() throws IOException {
                beforeForce.run(forces.incrementAndGet());
                real.force();
            }

            @Override
            public long size() throws IOException {
                return real.size();
            }

            @Override
            public void truncate(long size) throws IOException {
                real.truncate(size);
            }

            @Override
            public void close() throws IOException {
                real.close();
            }
        };
    }

    @Override
    public List<Path> list(Path directory, String glob) throws IOException {
        return DISK.list(directory, glob);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        DISK.createDirectories(directory);
    }

    @Override
    public @Nullable Closeable tryLock(Path file) throws IOException {
        return DISK.tryLock(file);
    }

    @Override
    public void atomicMove(Path source, Path target) throws IOException {
        DISK.atomicMove(source, target);
    }

    @Override
    public void delete(Path file) throws IOException {
        DISK.delete(file);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        DISK.syncDirectory(directory);
    }
}
