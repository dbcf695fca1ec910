package dev.loci.internal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;

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
    public void write(FileChannel channel, ByteBuffer source, long position) throws IOException {
        beforeWrite.run(writes.incrementAndGet());
        JournalIo.super.write(channel, source, position);
    }

    @Override
    public void force(FileChannel channel) throws IOException {
        beforeForce.run(forces.incrementAndGet());
        JournalIo.super.force(channel);
    }
}
