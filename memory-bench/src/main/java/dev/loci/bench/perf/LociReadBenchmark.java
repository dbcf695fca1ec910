package dev.loci.bench.perf;

import dev.loci.Memory;
import dev.loci.Query;
import dev.loci.Recall;
import dev.loci.Scope;
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
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loci's read: the latency of one {@link Memory#read} of the top 10 ({@link #hybridTop10}) over a memory holding the
 * {@code size} documents of {@link SyntheticData} as long-term records, spread over {@code scopes} users
 * ({@link LociMemories}): all four channels (BM25 and k-NN over text and text-in-context), the short-term scan,
 * fusion and loading the winning records. Query {@code j} (the next of {@value QueryCursor#QUERIES}, per thread) is
 * asked in scope {@code j % scopes}. The question's vector is looked up, not computed
 * ({@link LociMemories.QueryLookupEmbedder}), and after the first of each question it comes from the memory's own
 * cache of recent questions, so the figure excludes the model. SampleTime in microseconds; compare with
 * {@link RawLuceneBenchmark#knnPlusBm25} (plain Lucene, one segment, no filter) at the same size.
 *
 * <p>The memory is built once per trial in a scratch directory and deleted after, or kept and reused under
 * {@code -D}{@value RawLuceneBenchmark#INDEX_CACHE}{@code =/some/dir} (as the raw Lucene baseline does; at a
 * million documents the build takes an hour or more). Runs of interest: sizes 10,000, 100,000 and 1,000,000 with
 * one scope, and 100,000 with 1,000 scopes (100 records each). The store searches a scope of up to 2,000 records
 * exactly and a larger one with HNSW: the 1,000-scope run measures the exact path, the others HNSW.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LociReadBenchmark {
    static final int K = 10;

    @Param({"10000", "100000", "1000000"})
    public int size;

    @Param({"1", "1000"})
    public int scopes;

    // Set by setUp, which JMH runs before any benchmark method.
    private LociMemories.Place place;
    private Memory memory;
    private Query[] queries;
    private Scope[] queryScopes;

    @Setup(Level.Trial)
    public void setUp() {
        SyntheticData data = SyntheticData.of(size);
        place = LociMemories.place(data, scopes);
        LociMemories.openOrBuild(data, scopes, place.path());
        memory = LociMemories.openForReads(place.path(), data);
        queries = new Query[QueryCursor.QUERIES];
        queryScopes = new Scope[QueryCursor.QUERIES];
        for (int j = 0; j < QueryCursor.QUERIES; j++) {
            queries[j] = Query.text(data.query(j).text()).limit(K);
            queryScopes[j] = LociMemories.scope(j, scopes);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (memory != null) {
            memory.close();
        }
        if (place != null) {
            place.release();
        }
    }

    @Benchmark
    public List<Recall> hybridTop10(QueryCursor cursor) {
        int j = cursor.next();
        return memory.read(queryScopes[j], queries[j]);
    }

    /** The memory, for tests. */
    Memory memory() {
        return memory;
    }

    /** Its directory, for tests. */
    LociMemories.Place place() {
        return place;
    }
}
