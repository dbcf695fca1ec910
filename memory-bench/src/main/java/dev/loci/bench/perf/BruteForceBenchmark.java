package dev.loci.bench.perf;

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
 * Baseline: the latency of an exact cosine top-10 over all {@code size} vectors of {@link SyntheticData}, scanned
 * with the JDK Vector API ({@link ExactSearch}), single-threaded: what a search costs with no index at all, and the
 * answer that gives recall 1. SampleTime in microseconds. Holds the vectors in one array: at 1,000,000 documents
 * 1.5 GB of heap. The fork adds {@code jdk.incubator.vector}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BruteForceBenchmark {
    static final int K = 10;

    @Param({"10000", "100000", "1000000"})
    public int size;

    private float[] vectors;
    private float[][] queries;

    @Setup(Level.Trial)
    public void setUp() {
        SyntheticData data = SyntheticData.of(size);
        vectors = data.flatVectors();
        queries = new float[QueryCursor.QUERIES][];
        for (int j = 0; j < QueryCursor.QUERIES; j++) {
            queries[j] = data.query(j).vector();
        }
    }

    @Benchmark
    public ExactSearch.Hits exactTop10(QueryCursor cursor) {
        return ExactSearch.top(vectors, queries[cursor.next()], K);
    }
}
