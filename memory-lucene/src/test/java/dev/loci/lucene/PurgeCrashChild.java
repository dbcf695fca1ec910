package dev.loci.lucene;

import dev.loci.Forget;
import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.Scope;
import dev.loci.spi.ForwardingLongTermStore;
import dev.loci.spi.LongTermStore;
import dev.loci.testkit.FakeClock;
import dev.loci.testkit.TestEmbedder;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;

/**
 * The child JVM of {@link RealErasureTest}: opens the memory in {@code args[0]}, purges the record {@code args[1]} of
 * user {@code args[2]} and, at the point {@code args[3]} of the purge, prints {@code "stopped <point>"} and blocks
 * until the parent kills it (SIGKILL), so the purge never finishes.
 */
final class PurgeCrashChild {
    /** Where the purge stops: just before or just after the long-term store commits the delete. */
    enum Point { BEFORE_STORE_COMMIT, AFTER_STORE_COMMIT }

    private PurgeCrashChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        Point point = Point.valueOf(args[3]);
        LongTermStore.Factory stopping = (directory, dimension) ->
                new StoppingStore(LuceneStore.onDisk().open(directory, dimension), point);
        Memory memory = Loci.builder().directory(Path.of(args[0])).embedder(new TestEmbedder())
                .longTermStore(stopping).clock(new FakeClock()).manualTicks().build();
        memory.forget(Scope.user(args[2]), Forget.ids(args[1]).purge());
        System.out.println("the purge finished");
    }

    /** A store that stops the process at the first commit after a delete (the purge's commit). */
    private static final class StoppingStore extends ForwardingLongTermStore {
        private final Point point;
        private volatile boolean deleted;

        StoppingStore(LongTermStore store, Point point) {
            super(store);
            this.point = point;
        }

        @Override
        public void delete(Collection<String> ids) {
            super.delete(ids);
            deleted = true;
        }

        @Override
        public void commit(long journalSequence) {
            if (deleted && point == Point.BEFORE_STORE_COMMIT) {
                stop();
            }
            super.commit(journalSequence);
            if (deleted && point == Point.AFTER_STORE_COMMIT) {
                stop();
            }
        }

        private void stop() {
            System.out.println("stopped " + point);
            System.out.flush();
            try {
                new CountDownLatch(1).await(); // until the parent kills this process
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("interrupted while waiting to be killed");
        }
    }
}
