package dev.loci.bench;

import dev.loci.Query;
import dev.loci.Recall;
import dev.loci.Scope;
import dev.loci.spi.ForwardingLongTermStore;
import dev.loci.spi.LongTermStore;
import dev.loci.spi.StoreHit;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A named configuration of the memory under test. Channels are switched off inside the benchmark, without touching
 * the memory: the store is wrapped so that a switched-off channel returns nothing. Immutable.
 */
enum BenchConfig {
    /** What {@code Loci.builder()} gives: every channel. */
    DEFAULT("default", Recall.LEXICAL, Recall.SEMANTIC, Recall.LEXICAL_IN_CONTEXT, Recall.SEMANTIC_IN_CONTEXT),
    /** The lexical channel (BM25 over each turn) alone. */
    BM25_ONLY("bm25-only", Recall.LEXICAL),
    /** The semantic channel (k-NN over each turn's embedding) alone. */
    KNN_ONLY("knn-only", Recall.SEMANTIC),
    /** Reciprocal-rank fusion of BM25 and k-NN over each turn alone, without its conversational context. */
    PLAIN_RRF("plain-rrf", Recall.LEXICAL, Recall.SEMANTIC);

    private final String configName;
    private final Set<String> channels;

    BenchConfig(String configName, String... channels) {
        this.configName = configName;
        this.channels = Set.of(channels);
    }

    String configName() {
        return configName;
    }

    /** @throws IllegalArgumentException naming the known configs if the name is unknown */
    static BenchConfig named(String name) {
        return Arrays.stream(values()).filter(c -> c.configName.equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("unknown config \"" + name + "\"; known: " + names()));
    }

    static String names() {
        return Arrays.stream(values()).map(BenchConfig::configName).collect(Collectors.joining(", "));
    }

    /** The channels a recall may name once every record is long-term and indexed. */
    Set<String> storeChannels() {
        return channels;
    }

    /** The factory with this config's channels; the factory itself when every channel is on. */
    LongTermStore.Factory wrap(LongTermStore.Factory factory) {
        Objects.requireNonNull(factory, "factory must not be null");
        if (this == DEFAULT) {
            return factory;
        }
        return (directory, dimension) -> new ChannelFilter(factory.open(directory, dimension), channels);
    }

    /** A store whose switched-off search channels return nothing; everything else is the wrapped store's. */
    private static final class ChannelFilter extends ForwardingLongTermStore {
        private final Set<String> channels;

        ChannelFilter(LongTermStore store, Set<String> channels) {
            super(store);
            this.channels = channels;
        }

        @Override
        public List<StoreHit> lexical(Scope scope, Query query, int k) {
            return channels.contains(Recall.LEXICAL) ? super.lexical(scope, query, k) : List.of();
        }

        @Override
        public List<StoreHit> semantic(Scope scope, Query query, float[] vector, int k) {
            return channels.contains(Recall.SEMANTIC) ? super.semantic(scope, query, vector, k) : List.of();
        }

        @Override
        public List<StoreHit> lexicalInContext(Scope scope, Query query, int k) {
            return channels.contains(Recall.LEXICAL_IN_CONTEXT) ? super.lexicalInContext(scope, query, k) : List.of();
        }

        @Override
        public List<StoreHit> semanticInContext(Scope scope, Query query, float[] vector, int k) {
            return channels.contains(Recall.SEMANTIC_IN_CONTEXT) ? super.semanticInContext(scope, query, vector, k)
                    : List.of();
        }

        /** Always: with a channel switched off, the in-context channels no longer answer as the plain ones. */
        @Override
        public boolean holdsContext(Scope scope) {
            return true;
        }
    }
}
