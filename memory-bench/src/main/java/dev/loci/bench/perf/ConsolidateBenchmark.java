package dev.loci.bench.perf;

import dev.loci.Consolidation;
import dev.loci.Durability;
import dev.loci.Embedding;
import dev.loci.Kind;
import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.Scope;
import dev.loci.Write;
import dev.loci.lucene.LuceneStore;
import dev.loci.policy.PromotionPolicy;
import dev.loci.policy.PromotionPolicy.Decision;
import dev.loci.policy.PromotionPolicy.Trigger;
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
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loci's consolidation: records promoted per second by {@link Memory#consolidate} ({@link #consolidate}). Before
 * each call (not measured) {@value #RECORDS} records, documents of {@link SyntheticData} with the caller's
 * embeddings, are written into a new scope and the memory is flushed, so that the indexer is idle; the policy keeps
 * them on every trigger but a consolidation, which promotes them. The call asks the policy about each, journals the
 * {@value #RECORDS} promotions as one group, fsyncs the journal and queues them and a store checkpoint for the
 * background indexer; it does not wait for the indexer (the next set-up's flush does, unmeasured). JMH counts each
 * call as {@value #RECORDS} operations, so the throughput it reports is records promoted per second.
 *
 * <p>One memory per trial in a scratch directory, writes acknowledged asynchronously (fast set-ups; consolidate
 * fsyncs the journal itself), no automatic ticks; its long-term store grows by {@value #RECORDS} records per call.
 * The per-call set-up makes JMH time each call on its own, which is fine at milliseconds per call. Single-threaded
 * (the set-up's scope counter is not shared safely).
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ConsolidateBenchmark {
    static final int RECORDS = 256;
    /** Keeps every record until a consolidation, which promotes it. */
    static final PromotionPolicy KEEP_UNTIL_CONSOLIDATE = (record, trigger, now) ->
            trigger == Trigger.CONSOLIDATE || trigger == Trigger.SESSION_END ? Decision.PROMOTE : Decision.KEEP;

    // Set by setUp, which JMH runs before any benchmark method.
    private Path directory;
    private Memory memory;
    private SyntheticData data;
    private int scopes;
    private Scope scope;

    @Setup(Level.Trial)
    public void setUp() {
        data = SyntheticData.of(QueryCursor.QUERIES);
        directory = TempDirs.create("loci-perf-consolidate-");
        memory = Loci.builder()
                .directory(directory)
                .embedder(new LociMemories.QueryLookupEmbedder(data.queries(1)))
                .longTermStore(LuceneStore.onDisk())
                .durability(Durability.async(Duration.ofSeconds(1)))
                .shortTerm(4 * RECORDS, Duration.ofDays(3650))
                .promotionPolicy(KEEP_UNTIL_CONSOLIDATE)
                .manualTicks()
                .build();
    }

    @Setup(Level.Invocation)
    public void writeRecords() {
        scope = Scope.user("c" + scopes++);
        int from = (scopes * RECORDS) % data.size();
        for (int n = 0; n < RECORDS; n++) {
            int i = (from + n) % data.size();
            memory.write(scope, Write.text(data.text(i)).kind(Kind.FACT).tags(data.id(i))
                    .embedding(new Embedding(LociMemories.MODEL, data.vector(i))));
        }
        memory.flush();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        LociMemories.closeAndDelete(memory, directory);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public Consolidation consolidate() {
        return memory.consolidate(scope);
    }

    /** The memory, for tests. */
    Memory memory() {
        return memory;
    }
}
