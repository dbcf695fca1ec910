package dev.loci.bench.perf;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.jspecify.annotations.Nullable;

/**
 * Baseline: the latency of one search of plain Lucene over the {@link SyntheticData} corpus, indexed as memory-lucene
 * indexes (see {@link RawLuceneIndex}), one segment, no filter, single-threaded searcher: {@link #knnTop10} (HNSW k-NN,
 * k = {@code candidates}, default 10, then the best 10), {@link #bm25Top10} (BM25, OR of the query's 3 terms, top 10)
 * and {@link #knnPlusBm25} (both for the same query: the hybrid baseline before any fusion). Each call takes the next
 * of {@value QueryCursor#QUERIES} queries. SampleTime in microseconds, so JMH reports p50, p99 and the rest.
 *
 * <p>The index is built once per trial under a scratch directory ({@link TempDirs}) and deleted after. At 1,000,000
 * documents the build takes tens of minutes on two cores and each benchmark method is its own trial: pass {@code
 * -D}{@value #INDEX_CACHE}{@code =/some/dir} to the JVM that starts JMH, and the index is kept there and reused by
 * later trials and runs of the same size ({@link RawLuceneIndex#openOrBuild}); delete it by hand. The fork adds {@code
 * jdk.incubator.vector}, so Lucene uses its SIMD vector code, as it should for Loci's own benchmarks too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RawLuceneBenchmark {
    static final int K = 10;
    /** The system property naming a directory where built indexes are kept and reused. */
    static final String INDEX_CACHE = "loci.perf.indexCache";

    @Param({"10000", "100000", "1000000"})
    public int size;

    /** HNSW's k, of which the best 10 are kept: 10 is the baseline; Loci's store searches with more. */
    @Param({"10"})
    public int candidates = K; // JMH sets it; the default is for tests that build the benchmark

    // Set by setUp, which JMH runs before any benchmark method; directory only if it is a scratch one.
    private @Nullable Path directory;
    private RawLuceneIndex index;
    private Query[] knn;
    private Query[] bm25;

    /** The answers of one hybrid call. */
    public record Hybrid(TopDocs knn, TopDocs bm25) {
    }

    @Setup(Level.Trial)
    public void setUp() {
        if (candidates < K) {
            throw new IllegalArgumentException("candidates must be at least " + K + ", was " + candidates);
        }
        SyntheticData data = SyntheticData.of(size);
        String cache = System.getProperty(INDEX_CACHE);
        if (cache == null) {
            Path path = TempDirs.create("loci-perf-lucene-");
            directory = path;
            index = RawLuceneIndex.build(data, path);
        } else {
            Path path = Path.of(cache, cacheName(data));
            index = RawLuceneIndex.openOrBuild(data, path);
        }
        knn = new Query[QueryCursor.QUERIES];
        bm25 = new Query[QueryCursor.QUERIES];
        for (int j = 0; j < QueryCursor.QUERIES; j++) {
            SyntheticData.Query query = data.query(j);
            knn[j] = index.knnQuery(query.vector(), candidates);
            bm25[j] = index.bm25Query(query.text());
        }
    }

    /** The name of the directory under {@value #INDEX_CACHE} that keeps the index of {@code data}. */
    static String cacheName(SyntheticData data) {
        return "lucene-" + Long.toHexString(data.seed()) + "-" + data.size();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        index.close();
        if (directory != null) {
            TempDirs.delete(directory);
        }
    }

    @Benchmark
    public TopDocs knnTop10(QueryCursor cursor) {
        return index.search(knn[cursor.next()], K);
    }

    @Benchmark
    public TopDocs bm25Top10(QueryCursor cursor) {
        return index.search(bm25[cursor.next()], K);
    }

    @Benchmark
    public Hybrid knnPlusBm25(QueryCursor cursor) {
        int j = cursor.next();
        return new Hybrid(index.search(knn[j], K), index.search(bm25[j], K));
    }

    /** The k-NN query of query {@code j}, for tests. */
    Query knnQuery(int j) {
        return knn[j];
    }

    /** The index, for tests. */
    RawLuceneIndex index() {
        return index;
    }
}
