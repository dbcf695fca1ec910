package dev.loci.spi;

import java.util.List;

/**
 * Turns text into vectors. Documents (what is stored) and queries (what is asked) are embedded separately because
 * many models want a different prefix for each (e5: {@code "passage: "} and {@code "query: "}).
 *
 * <p>Implementations must be thread-safe and deterministic for a given model id, return vectors of exactly
 * {@link #dimension()} finite components, and throw {@link IllegalArgumentException} for null or blank text. A
 * memory finds its default embedder with {@link java.util.ServiceLoader}; {@code memory-langchain4j} provides one.
 */
public interface Embedder {
    /** Identifies the model and its settings; stored with every embedding. */
    String modelId();

    /** The length of every vector. */
    int dimension();

    /** The vectors of stored texts, in order. Blocks while the model runs. */
    List<float[]> embedDocuments(List<String> texts);

    /** The vector of a question. Blocks while the model runs. */
    float[] embedQuery(String text);

    /** How many documents one {@link #embedDocuments} call should take at most. */
    default int maxBatchSize() {
        return 32;
    }
}
