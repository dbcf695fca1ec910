package dev.loci.bench.perf;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Baseline: the latency of one {@link InMemoryEmbeddingStore#search} (top 10, no filter, no minimum score) in
 * LangChain4j's in-memory store holding the {@code size} documents of {@link SyntheticData} as
 * {@link TextSegment}s: the store a LangChain4j user reaches for first, an exact linear scan. SampleTime in
 * microseconds. At 1,000,000 documents the store holds about 2 GB of heap (vectors, texts, ids).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class InMemoryStoreBenchmark {
    static final int K = 10;

    @Param({"10000", "100000", "1000000"})
    public int size;

    private InMemoryEmbeddingStore<TextSegment> store;
    private EmbeddingSearchRequest[] requests;

    @Setup(Level.Trial)
    public void setUp() {
        SyntheticData data = SyntheticData.of(size);
        List<String> ids = new ArrayList<>(size);
        List<Embedding> embeddings = new ArrayList<>(size);
        List<TextSegment> segments = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            ids.add(data.id(i));
            embeddings.add(Embedding.from(data.vector(i)));
            segments.add(TextSegment.from(data.text(i)));
        }
        store = new InMemoryEmbeddingStore<>();
        store.addAll(ids, embeddings, segments); // one call: the store's list copies itself on every add
        requests = new EmbeddingSearchRequest[QueryCursor.QUERIES];
        for (int j = 0; j < QueryCursor.QUERIES; j++) {
            requests[j] = EmbeddingSearchRequest.builder()
                    .queryEmbedding(Embedding.from(data.query(j).vector()))
                    .maxResults(K)
                    .build();
        }
    }

    @Benchmark
    public EmbeddingSearchResult<TextSegment> search(QueryCursor cursor) {
        return store.search(requests[cursor.next()]);
    }
}
