package dev.loci.bench.perf;

import dev.loci.langchain4j.E5Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Baseline: how many texts per second Loci's default embedder ({@link E5Embedder}, e5-small-v2 quantised, ONNX
 * Runtime in process) turns into vectors, through {@link E5Embedder#embedDocuments}: {@link #batch1} one text per
 * call, {@link #batch32} 32 per call (JMH counts each text as one operation, so both report sentences/s).
 *
 * <p>The texts are the first {@value QueryCursor#QUERIES} of {@link SyntheticData}. Their made-up words split into
 * more word pieces than English words do (a 15-30 word text is several times as many tokens), and the model's cost
 * grows with tokens, so these numbers are lower than for English text of the same word count; they are a baseline
 * for Loci's own embedding path over the same texts, not a figure for the model. The model loads during setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EmbedderBenchmark {
    static final int BATCH = 32;

    private E5Embedder embedder;
    private List<List<String>> singles;
    private List<List<String>> batches;

    @Setup(Level.Trial)
    public void setUp() {
        SyntheticData data = SyntheticData.of(QueryCursor.QUERIES);
        List<List<String>> one = new ArrayList<>();
        List<List<String>> many = new ArrayList<>();
        for (int i = 0; i < QueryCursor.QUERIES; i++) {
            one.add(List.of(data.text(i)));
            List<String> batch = new ArrayList<>(BATCH);
            for (int b = 0; b < BATCH; b++) {
                batch.add(data.text((i + b) % QueryCursor.QUERIES));
            }
            many.add(List.copyOf(batch));
        }
        singles = List.copyOf(one);
        batches = List.copyOf(many);
        embedder = new E5Embedder();
        embedder.embedDocuments(singles.getFirst()); // loads the model outside the measurement
    }

    @Benchmark
    public List<float[]> batch1(QueryCursor cursor) {
        return embedder.embedDocuments(singles.get(cursor.next()));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<float[]> batch32(QueryCursor cursor) {
        return embedder.embedDocuments(batches.get(cursor.next()));
    }
}
