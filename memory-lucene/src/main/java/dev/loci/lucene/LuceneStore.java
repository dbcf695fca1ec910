package dev.loci.lucene;

import dev.loci.spi.LongTermStore;
import java.util.Objects;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * The Lucene implementations of {@link LongTermStore}, as factories to hand to the memory's builder.
 *
 * <p>The stores they open are thread-safe: reads run concurrently with each other and with writes, and writes
 * ({@code upsert}, {@code delete}, {@code commit}) are serialised. A change is visible to reads when the call that
 * made it returns; it is durable after {@code commit}. {@code close} does not commit: changes since the last commit
 * are dropped, and the memory replays them from its journal. Stores throw {@link IllegalArgumentException} for bad
 * input (a missing embedding, a wrong dimension) before changing anything, {@link IllegalStateException} once
 * closed, {@link dev.loci.CorruptedMemoryException} (naming the directory) for a damaged index, and
 * {@link dev.loci.MemoryException} for other I/O failures, after which the store refuses further writes.
 */
public final class LuceneStore {
    private LuceneStore() {
    }

    /**
     * Stores on disk under the directory given to the factory (memory-mapped), committed with the journal sequence.
     * This is the default the memory finds through {@link java.util.ServiceLoader}.
     */
    public static LuceneStoreFactory onDisk() {
        return new LuceneStoreFactory();
    }

    /**
     * Stores in RAM ({@link ByteBuffersDirectory}); the directory is ignored and nothing is persisted, so a newly
     * opened store is empty with checkpoint 0 and the memory rebuilds it from its journal.
     */
    public static LongTermStore.Factory inMemory() {
        return (directory, dimension) -> {
            Objects.requireNonNull(directory, "directory must not be null");
            return LuceneLongTermStore.open(new ByteBuffersDirectory(), "(in memory)", dimension);
        };
    }
}
