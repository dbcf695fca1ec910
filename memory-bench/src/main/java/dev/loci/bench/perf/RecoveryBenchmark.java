package dev.loci.bench.perf;

import dev.loci.Durability;
import dev.loci.Memory;
import dev.loci.lucene.LuceneStore;
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
import org.jspecify.annotations.Nullable;

/**
 * Loci's recovery: the time to open a memory whose process died after its last store commit. The directory holds
 * {@code committed} records (default 100,000) committed to the Lucene store, built as {@link LociMemories} builds
 * (one scope; cached under {@code -D}{@value RawLuceneBenchmark#INDEX_CACHE} like the read benchmark's), and a
 * journal tail of {@code tail} more records (default 10,000; the next documents of {@link SyntheticData}, written the
 * same way) that the store never committed: they were written through a store whose commit does nothing, then the
 * memory was closed, and the Lucene store drops uncommitted changes on close. Opening must replay the tail.
 * <ul>
 *   <li>{@link #reopen}: {@code Loci.builder()...build()} and {@link Memory#flush()}: the memory open, and the tail
 *       re-indexed and committed.</li>
 *   <li>{@link #openOnly}: {@code build()} alone: the memory usable (reads see the tail at once, through the
 *       indexer's pending records); the re-indexing goes on in the background, and is not measured.</li>
 * </ul>
 * SingleShotTime in seconds; each iteration opens a fresh copy of the directory (copied before it, unmeasured), and
 * the memory is closed after it, unmeasured. Single-threaded.
 *
 * <p>Embeddings: the tail's records carry the caller's embeddings, so their journal entries hold the vectors and
 * recovery embeds nothing (the memory's embedder, {@link LociMemories.QueryLookupEmbedder}, would fail if asked to).
 * A tail of records that Loci embedded itself costs about the same: the indexer logs what it embeds (an
 * {@code EMBEDDED} entry each in the embeddings' log, about as large as a caller's vector in the record's entry) and
 * recovery reads that log too and reuses them.
 * Opening also replays the whole journal, committed part included (it rebuilds the short-term tier and reads every
 * entry's JSON), so both methods grow with {@code committed} too.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class RecoveryBenchmark {
    @Param({"100000"})
    public int committed;

    @Param({"10000"})
    public int tail;

    // Set by setUp, which JMH runs before any benchmark method.
    private LociMemories.Place base;
    private Path crashed;
    private SyntheticData data;
    private @Nullable Path copy;
    private @Nullable Memory memory;

    @Setup(Level.Trial)
    public void setUp() {
        if (committed < 0 || tail < 0) {
            throw new IllegalArgumentException("committed and tail must not be negative, were " + committed + " and "
                    + tail);
        }
        data = SyntheticData.of(committed + tail);
        SyntheticData committedData = SyntheticData.of(committed);
        base = LociMemories.place(committedData, 1);
        LociMemories.openOrBuild(committedData, 1, base.path());
        crashed = TempDirs.create("loci-perf-crashed-");
        LociMemories.copy(base.path(), crashed);
        try (Memory dying = LociMemories.builder(crashed, new LociMemories.QueryLookupEmbedder(List.of()),
                        LociMemories.neverCommitting(LuceneStore.onDisk()))
                .durability(Durability.async(Duration.ofSeconds(1)))
                .shortTerm(1, Duration.ofDays(3650))
                .build()) {
            LociMemories.writeDocs(dying, data, committed, committed + tail, 1);
            dying.scheduler().tick(); // promotes the one record left in the scope
            dying.flush(); // the journal durable and the tail applied to the store, which commits nothing
        }
    }

    @Setup(Level.Iteration)
    public void copyTheCrashedDirectory() {
        Path path = TempDirs.create("loci-perf-recover-");
        copy = path;
        LociMemories.copy(crashed, path);
    }

    @TearDown(Level.Iteration)
    public void closeAndDelete() {
        closeMemory();
        Path path = copy;
        copy = null;
        if (path != null) {
            TempDirs.delete(path);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (crashed != null) {
            TempDirs.delete(crashed);
        }
        if (base != null) {
            base.release();
        }
    }

    @Benchmark
    public Memory reopen() {
        Memory opened = open();
        opened.flush();
        return opened;
    }

    @Benchmark
    public Memory openOnly() {
        return open();
    }

    private Memory open() {
        Path path = copy;
        if (path == null) {
            throw new IllegalStateException("no copy of the crashed directory: the iteration set-up did not run");
        }
        Memory opened = LociMemories.openForReads(path, data);
        memory = opened;
        return opened;
    }

    /** Closes the memory the last call opened, if any (waiting for the re-indexing and committing). */
    void closeMemory() {
        Memory open = memory;
        memory = null;
        if (open != null) {
            open.close();
        }
    }

    /** The directory the last call opened, for tests. */
    @Nullable Path copy() {
        return copy;
    }
}
