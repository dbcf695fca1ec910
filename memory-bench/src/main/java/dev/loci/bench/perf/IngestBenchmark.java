package dev.loci.bench.perf;

import dev.loci.Durability;
import dev.loci.Kind;
import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.Scope;
import dev.loci.Write;
import dev.loci.langchain4j.E5Embedder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loci's ingest with its real embedder: records per second through write, embed and index ({@link #ingest}). Each
 * call writes {@value #BATCH} {@link SyntheticData} texts as {@link Kind#FACT}s without embeddings (the same texts
 * as {@link EmbedderBenchmark}'s, round and round) and then {@link Memory#flush()}es, which returns once the
 * background indexer has embedded them with {@link E5Embedder} (in batches of its {@code maxBatchSize}), indexed them
 * in the Lucene store and committed. JMH counts each call as {@value #BATCH} operations, so the throughput is
 * records per second; divide by {@link EmbedderBenchmark#batch32} (sentences per second of the model alone) for
 * Loci's share.
 *
 * <p>Writes are acknowledged asynchronously ({@code Durability.async(1 s)}), so that the figure is the embed and
 * index pipeline's and not one fsync per write ({@link LociWriteBenchmark} measures that); the flush makes the
 * journal durable. Records stay in one scope, whose short-term tier (default bound, default policy) evicts and
 * promotes as it fills, as an agent's memory would. One memory per trial in a scratch directory, no automatic
 * ticks; the model loads during set-up. With {@code store=exact} (the testkit's map instead of Lucene) the figure
 * shows what the store's indexing costs beside the model on the same cores.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class IngestBenchmark {
    static final int BATCH = 256;
    static final Scope SCOPE = Scope.user("ingest");

    /** Records per call; {@value #BATCH} but for tests (the reported rate assumes {@value #BATCH}). */
    int batch = BATCH;

    /** {@code lucene} (the default) or {@code exact}: see {@link LociMemories#store}. */
    @Param({"lucene"})
    public String store = "lucene"; // JMH sets it; the default is for tests that build the benchmark

    // Set by setUp, which JMH runs before any benchmark method.
    private Path directory;
    private Memory memory;
    private Write[] writes;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        SyntheticData data = SyntheticData.of(QueryCursor.QUERIES);
        writes = new Write[QueryCursor.QUERIES];
        for (int i = 0; i < QueryCursor.QUERIES; i++) {
            writes[i] = Write.text(data.text(i)).kind(Kind.FACT);
        }
        E5Embedder embedder = new E5Embedder();
        embedder.embedQuery("load the model"); // outside the measurement
        directory = TempDirs.create("loci-perf-ingest-");
        memory = Loci.builder()
                .directory(directory)
                .embedder(embedder)
                .longTermStore(LociMemories.store(store))
                .durability(Durability.async(Duration.ofSeconds(1)))
                .manualTicks()
                .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        LociMemories.closeAndDelete(memory, directory);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Memory ingest() {
        for (int n = 0; n < batch; n++) {
            memory.write(SCOPE, writes[next]);
            next = (next + 1) % writes.length;
        }
        memory.flush();
        return memory;
    }
}
