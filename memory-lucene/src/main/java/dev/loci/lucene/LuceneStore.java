package dev.loci.lucene;

import dev.loci.spi.LongTermStore;
import java.util.Objects;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues;
import org.jspecify.annotations.Nullable;

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
     * How the store keeps the vectors its HNSW graphs search ({@link LuceneStoreFactory#quantization}). A quantised
     * store keeps the 32-bit floats as well: it costs more disk, not less, and saves memory where it matters, in
     * what the graph search reads; the candidates it finds are scored again on the floats, and scopes small enough
     * to be searched exactly are scored on them alone. docs/benchmarks.md has the recall, speed and size of each.
     */
    public enum Quantization {
        /** 32-bit floats only (the default). */
        NONE(null),
        /** One byte a dimension (Lucene's unsigned-byte scalar quantisation). */
        INT8(QuantizedByteVectorValues.ScalarEncoding.UNSIGNED_BYTE),
        /** Half a byte a dimension. */
        INT4(QuantizedByteVectorValues.ScalarEncoding.PACKED_NIBBLE),
        /** One bit a dimension (queries at four). */
        BINARY(QuantizedByteVectorValues.ScalarEncoding.SINGLE_BIT_QUERY_NIBBLE);

        private final QuantizedByteVectorValues.@Nullable ScalarEncoding encoding;

        Quantization(QuantizedByteVectorValues.@Nullable ScalarEncoding encoding) {
            this.encoding = encoding;
        }

        /** Lucene's vectors format for this quantisation; null for {@link #NONE} (the codec's default). */
        @Nullable KnnVectorsFormat format() {
            return encoding == null ? null : new Lucene104HnswScalarQuantizedVectorsFormat(encoding,
                    Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN, Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH);
        }
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
