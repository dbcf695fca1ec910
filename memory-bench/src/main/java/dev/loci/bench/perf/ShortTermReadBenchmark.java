package dev.loci.bench.perf;

import dev.loci.Durability;
import dev.loci.Embedding;
import dev.loci.Kind;
import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.Query;
import dev.loci.Recall;
import dev.loci.Scope;
import dev.loci.Tier;
import dev.loci.Write;
import dev.loci.lucene.LuceneStore;
import dev.loci.policy.PromotionPolicy;
import java.nio.file.Path;
import java.time.Duration;
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
 * Loci's read of a working set: the latency of one {@link Memory#read} of the top 10 of the short-term tier
 * ({@link #read}: {@code Query.tiers(Tier.SHORT_TERM)}) in a scope holding {@code records} (default 200)
 * short-term records and nothing else: written with the caller's embeddings (the first {@code records} documents
 * of {@link SyntheticData}), never promoted (the policy keeps everything, the tier's bound is above
 * {@code records}). Such a read is answered from memory, without the long-term store: a scan of the working set by
 * cosine, fusion, and counting each returned record as accessed. The target is a p99 of at most 100 µs.
 * {@link #readAllTiers} is the same question without the tier, for reference: the whole read path, the Lucene
 * store's channels included (the indexer indexes short-term records too, so the store holds the same 200).
 * SampleTime in microseconds.
 *
 * <p>The question's vector is looked up ({@link LociMemories.QueryLookupEmbedder}) and cached by the memory after its
 * first use. The memory is new for each trial, in a scratch directory, flushed before measuring (so the indexer is
 * idle).
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ShortTermReadBenchmark {
    static final int K = 10;
    static final Scope SCOPE = Scope.user("working");

    @Param({"200"})
    public int records;

    // Set by setUp, which JMH runs before any benchmark method.
    private Path directory;
    private Memory memory;
    private Query[] queries;
    private Query[] workingSetQueries;

    @Setup(Level.Trial)
    public void setUp() {
        if (records < 1) {
            throw new IllegalArgumentException("records must be at least 1, was " + records);
        }
        SyntheticData data = SyntheticData.of(records);
        directory = TempDirs.create("loci-perf-short-term-");
        memory = Loci.builder()
                .directory(directory)
                .embedder(new LociMemories.QueryLookupEmbedder(data.queries(QueryCursor.QUERIES)))
                .longTermStore(LuceneStore.onDisk())
                .durability(Durability.async(Duration.ofSeconds(1)))
                .shortTerm(Math.max(records, Loci.Builder.DEFAULT_SHORT_TERM_RECORDS), Duration.ofDays(3650))
                .promotionPolicy((record, trigger, now) -> PromotionPolicy.Decision.KEEP)
                .manualTicks()
                .build();
        for (int i = 0; i < records; i++) {
            memory.write(SCOPE, Write.text(data.text(i)).kind(Kind.FACT).tags(data.id(i))
                    .embedding(new Embedding(LociMemories.MODEL, data.vector(i))));
        }
        memory.flush();
        queries = new Query[QueryCursor.QUERIES];
        workingSetQueries = new Query[QueryCursor.QUERIES];
        for (int j = 0; j < QueryCursor.QUERIES; j++) {
            queries[j] = Query.text(data.query(j).text()).limit(K);
            workingSetQueries[j] = queries[j].tiers(Tier.SHORT_TERM);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        LociMemories.closeAndDelete(memory, directory);
    }

    @Benchmark
    public List<Recall> read(QueryCursor cursor) {
        return memory.read(SCOPE, workingSetQueries[cursor.next()]);
    }

    @Benchmark
    public List<Recall> readAllTiers(QueryCursor cursor) {
        return memory.read(SCOPE, queries[cursor.next()]);
    }
}
