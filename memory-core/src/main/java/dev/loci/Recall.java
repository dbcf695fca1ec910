package dev.loci;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One result of {@link Memory#read}: the record, its fused score, and each channel that found it with its rank
 * there, so a caller can see why it came back. Immutable.
 *
 * @param record   the memory
 * @param score    the fused score (higher is better); comparable only within one read
 * @param channels the channels that found it, best first
 */
public record Recall(MemoryRecord record, double score, List<Channel> channels) {
    /** The short-term channel: an exact scan of the scope's working set. */
    public static final String SHORT_TERM = "short-term";
    /** The lexical channel: BM25 over text. */
    public static final String LEXICAL = "lexical";
    /** The semantic channel: nearest neighbours over embeddings. */
    public static final String SEMANTIC = "semantic";
    /** The lexical channel over each message read in its {@linkplain Context context}. */
    public static final String LEXICAL_IN_CONTEXT = "lexical-in-context";
    /** The semantic channel over each message embedded in its {@linkplain Context context}. */
    public static final String SEMANTIC_IN_CONTEXT = "semantic-in-context";

    public Recall {
        Objects.requireNonNull(record, "record must not be null");
        channels = List.copyOf(channels);
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("a recall must name at least one channel");
        }
    }

    /** A plain-words explanation, e.g. {@code "lexical #1 (4.210), semantic #3 (0.871)"}. */
    public String explain() {
        return channels.stream().map(Channel::toString).collect(Collectors.joining(", "));
    }

    /**
     * One channel's view of a result.
     *
     * @param name  the channel ({@link #SHORT_TERM}, {@link #LEXICAL}, {@link #SEMANTIC}, {@link #LEXICAL_IN_CONTEXT},
     *              {@link #SEMANTIC_IN_CONTEXT}, ...)
     * @param rank  1-based rank within that channel
     * @param score the channel's own score (BM25, cosine similarity, ...)
     */
    public record Channel(String name, int rank, double score) {
        public Channel {
            Objects.requireNonNull(name, "channel name must not be null");
            if (rank < 1) {
                throw new IllegalArgumentException("channel rank must be at least 1, was " + rank);
            }
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%s #%d (%.3f)", name, rank, score);
        }
    }
}
