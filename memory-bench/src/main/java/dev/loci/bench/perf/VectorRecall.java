package dev.loci.bench.perf;

import dev.loci.MemoryRecord;
import dev.loci.Query;
import dev.loci.Scope;
import dev.loci.lucene.LuceneStore;
import dev.loci.spi.LongTermStore;
import dev.loci.spi.StoreHit;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The recall@10 of Loci's vector channel against exact search: for each of the first {@code queries} queries of
 * {@link SyntheticData} (query {@code j} asked in {@link LociMemories#scope scope(j, scopes)}, as the read benchmark
 * asks it), the ten records the Lucene store's semantic channel ({@link LongTermStore#semantic}) returns, against
 * the exact top ten by cosine ({@link ExactSearch}) over the vectors of the documents of that scope. Recall is the
 * share of the exact top tens found, over all queries: 1.0 means the channel is exact. Issue 6 asks for at least
 * 0.95. Not a JMH benchmark; the perf command reports it.
 *
 * <p>Records are matched to documents by the tag {@link LociMemories} writes. The channel is asked with a query of
 * the query's text and the default filters (active records of every kind, at any time), which every record of the
 * memory passes. The store searches a scope of up to 2,000 records exactly, so a recall below 1 can only come from
 * a larger scope, where it uses HNSW.
 *
 * <p>With one scope it holds all the vectors in one array (at a million documents, 1.5 GB of heap) and scans them
 * once per query; with more, it generates the vectors of each query's scope again (size / scopes of them).
 * Stateless; blocks on I/O and the scans.
 */
public final class VectorRecall {
    static final int K = 10;

    private VectorRecall() {
    }

    /**
     * A recall@10, and the median time of the semantic channel's searches that gave it (measured with
     * {@link System#nanoTime} around each call, after one warm-up pass: a reference, not a JMH figure).
     */
    public record Result(double recall, double medianMillis) {
    }

    /**
     * The recall@10 of the store of the memory in {@code memoryDirectory}, which must be closed (the store is opened
     * on its {@code long-term} directory with {@code candidates} HNSW candidates, read and closed; it does not
     * commit).
     */
    public static Result measure(Path memoryDirectory, SyntheticData data, int scopes, int queries, int candidates) {
        return measure(memoryDirectory, data, scopes, queries, candidates, LuceneStore.Quantization.NONE);
    }

    /** As above, for a memory whose store quantises its vectors so (as it was built). */
    public static Result measure(Path memoryDirectory, SyntheticData data, int scopes, int queries, int candidates,
                                 LuceneStore.Quantization quantization) {
        try (LongTermStore store = LuceneStore.onDisk().candidates(candidates).quantization(quantization)
                .open(memoryDirectory.resolve("long-term"), SyntheticData.DIMENSION)) {
            measure(store, data, scopes, queries); // warm-up: the JIT and the page cache
            return measure(store, data, scopes, queries);
        }
    }

    /** The recall@10 of {@code store}, which holds {@code data} as {@link LociMemories} writes it. */
    public static Result measure(LongTermStore store, SyntheticData data, int scopes, int queries) {
        Objects.requireNonNull(store, "store must not be null");
        if (scopes < 1 || queries < 1) {
            throw new IllegalArgumentException("scopes and queries must be at least 1, were " + scopes + " and "
                    + queries);
        }
        float[] all = scopes == 1 ? data.flatVectors() : new float[0];
        long found = 0;
        long asked = 0;
        long[] nanos = new long[queries];
        for (int j = 0; j < queries; j++) {
            SyntheticData.Query query = data.query(j);
            int scope = j % scopes;
            float[] vectors = scopes == 1 ? all : scopeVectors(data, scope, scopes);
            Set<Integer> exact = new HashSet<>();
            for (int doc : ExactSearch.top(vectors, query.vector(), K).docs()) {
                exact.add(scope + doc * scopes); // the scope's n-th document is document scope + n * scopes
            }
            Scope asScope = LociMemories.scope(j, scopes);
            Query text = Query.text(query.text());
            long start = System.nanoTime();
            List<StoreHit> hits = store.semantic(asScope, text, query.vector(), K);
            nanos[j] = System.nanoTime() - start;
            for (MemoryRecord record : store.getAll(hits.stream().map(StoreHit::id).toList())) {
                if (exact.contains(LociMemories.docOf(record))) {
                    found++;
                }
            }
            asked += exact.size();
        }
        java.util.Arrays.sort(nanos);
        return new Result(asked == 0 ? 1.0 : (double) found / asked, nanos[queries / 2] / 1e6);
    }

    /** The vectors of the documents of one scope, one after another in document order. */
    private static float[] scopeVectors(SyntheticData data, int scope, int scopes) {
        int count = scope < data.size() ? (data.size() - 1 - scope) / scopes + 1 : 0;
        float[] vectors = new float[count * SyntheticData.DIMENSION];
        for (int n = 0; n < count; n++) {
            data.vectorInto(scope + n * scopes, vectors, n * SyntheticData.DIMENSION);
        }
        return vectors;
    }
}
