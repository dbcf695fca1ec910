package dev.loci.lucene;

import dev.loci.MemoryException;
import dev.loci.spi.LongTermStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The on-disk Lucene store factory, the same as {@link LuceneStore#onDisk()}; public only so that
 * {@link java.util.ServiceLoader} can instantiate it. Stateless and thread-safe. {@link #open} blocks on I/O and
 * throws {@link dev.loci.CorruptedMemoryException} if the index under the directory is damaged,
 * {@link IllegalArgumentException} if it holds vectors of another dimension, and {@link MemoryException} if it
 * cannot be opened (for example, because another store has it open).
 */
public final class LuceneStoreFactory implements LongTermStore.Factory {
    /** For {@link java.util.ServiceLoader}; prefer {@link LuceneStore#onDisk()}. */
    public LuceneStoreFactory() {
    }

    @Override
    public LongTermStore open(Path directory, int dimension) {
        Objects.requireNonNull(directory, "directory must not be null");
        LuceneLongTermStore.checkDimension(dimension);
        Directory lucene;
        try {
            Files.createDirectories(directory);
            lucene = FSDirectory.open(directory);
        } catch (IOException e) {
            throw new MemoryException("cannot open the long-term store directory " + directory + ": " + e, e);
        }
        return LuceneLongTermStore.open(lucene, directory.toString(), dimension);
    }
}
