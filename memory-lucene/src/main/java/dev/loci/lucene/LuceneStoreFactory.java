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
 * The on-disk Lucene store factory, {@link LuceneStore#onDisk()}: public so that {@link java.util.ServiceLoader} can
 * instantiate it, and to tune its search ({@link #candidates}). Immutable and thread-safe. {@link #open} blocks on I/O
 * and throws {@link dev.loci.CorruptedMemoryException} if the index under the directory is damaged,
 * {@link IllegalArgumentException} if it holds vectors of another dimension, and {@link MemoryException} if it
 * cannot be opened (for example, because another store has it open).
 */
public final class LuceneStoreFactory implements LongTermStore.Factory {
    /**
     * How many candidates HNSW looks for unless {@link #candidates} says otherwise: chosen by measurement
     * (docs/benchmarks.md), recall@10 of the vector channel 1.000 at 100,000 records and 0.990 at 1,000,000 (0.998
     * with 100 candidates, at a fifth more time).
     */
    public static final int DEFAULT_CANDIDATES = 50;

    private final int candidates;
    private final LuceneStore.Quantization quantization;

    /** For {@link java.util.ServiceLoader}; prefer {@link LuceneStore#onDisk()}. */
    public LuceneStoreFactory() {
        this(DEFAULT_CANDIDATES, LuceneStore.Quantization.NONE);
    }

    private LuceneStoreFactory(int candidates, LuceneStore.Quantization quantization) {
        LuceneLongTermStore.checkCandidates(candidates);
        this.candidates = candidates;
        this.quantization = Objects.requireNonNull(quantization, "quantization must not be null");
    }

    /**
     * A factory whose stores' HNSW searches look for at least {@code candidates} neighbours, however few a read asks
     * for (default {@value #DEFAULT_CANDIDATES}): more costs time and finds more of the true
     * nearest. Only scopes of over 2,000 records are searched by HNSW (smaller ones exactly); docs/benchmarks.md
     * has the recall and latency this buys at 100,000 and 1,000,000 records.
     *
     * @param candidates 1..10,000
     * @throws IllegalArgumentException if out of that range
     */
    public LuceneStoreFactory candidates(int candidates) {
        return new LuceneStoreFactory(candidates, quantization);
    }

    /**
     * A factory whose stores keep their vectors quantised for HNSW search as well as in floats (default
     * {@link LuceneStore.Quantization#NONE}). It applies to what the store writes from then on: an index written
     * otherwise is searched as it is, and takes the new form as Lucene merges its segments.
     */
    public LuceneStoreFactory quantization(LuceneStore.Quantization quantization) {
        return new LuceneStoreFactory(candidates, quantization);
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
        return LuceneLongTermStore.open(lucene, directory.toString(), dimension, candidates, quantization);
    }
}
