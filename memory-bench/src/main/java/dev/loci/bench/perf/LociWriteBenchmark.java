package dev.loci.bench.perf;

import dev.loci.Durability;
import dev.loci.Kind;
import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.MemoryRecord;
import dev.loci.Scope;
import dev.loci.Write;
import dev.loci.spi.Embedder;
import java.nio.file.Path;
import java.util.Arrays;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loci's durable write: one {@link Memory#write} of a {@link Kind#FACT} of about {@code recordBytes} characters
 * (default 1 KiB, {@link SyntheticData} texts joined; the journal entry adds the record's other fields as JSON) into a
 * memory with the default {@link Durability#sync()}, so each call returns once its journal entry is fsynced, sharing
 * the fsync with concurrent writers (group commit). {@link #writeLatency}: SampleTime in microseconds; {@link
 * #writeThroughput}: writes per second; {@link #writeBatchThroughput}: {@link Memory#writeAll} of {@value #BATCH} such
 * writes (one journal group, one fsync), in records per second (JMH counts each call as {@value #BATCH} operations), to
 * compare with {@link JournalAppendBenchmark#groupCommit64}. Threads come from JMH's {@code -t} (1, 2, 8): they share
 * one memory and write into one scope. Compare with {@link JournalAppendBenchmark} (a bare {@code fdatasync}ed append).
 *
 * <p>The writes carry no embedding: the memory's background indexer embeds them ({@link
 * LociMemories.HashingEmbedder}, microseconds per text, so no model competes for the cores) and indexes them in the
 * store, off the writers' threads but on the same two cores: the Lucene store ({@code store=lucene}, the default;
 * its HNSW insertion costs about a millisecond of CPU a record, more than a write), or {@code store=exact}, the
 * testkit's map, which costs next to nothing and so shows what the indexer's work takes from the writers. The memory
 * is new for each trial, in a scratch directory ({@link TempDirs}), with the default promotion policy and no
 * automatic ticks. A scope's short-term tier holds {@code shortTermRecords} records (the builder's default, 256,
 * unless {@code -p shortTermRecords=...} says otherwise): once it is full, each write evicts one record, and once 64
 * evicted records wait, the writing thread hands them to the promotion policy and journals its decisions as one group
 * (one more fsync per 64 writes) under the memory's write lock. Set the bound above the number of writes of a run
 * (say 10000000) to measure the write alone.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LociWriteBenchmark {
    static final Scope SCOPE = Scope.user("writer");
    /** The writes of one {@link #writeBatchThroughput} call, as many as the raw group commit's records. */
    static final int BATCH = JournalAppendBenchmark.GROUP;

    @Param({"1024"})
    public int recordBytes;

    @Param({"256"})
    public int shortTermRecords;

    @Param({"lucene"})
    public String store = "lucene"; // JMH sets it; the default is for tests that build the benchmark

    // Set by setUp, which JMH runs before any benchmark method.
    private Path directory;
    private Memory memory;
    private Write[] writes;

    @Setup(Level.Trial)
    public void setUp() {
        setUp(new LociMemories.HashingEmbedder());
    }

    /** The set-up with the given embedder (tests block it). */
    void setUp(Embedder embedder) {
        if (recordBytes < 1) {
            throw new IllegalArgumentException("recordBytes must be at least 1, was " + recordBytes);
        }
        writes = new Write[QueryCursor.QUERIES];
        SyntheticData data = SyntheticData.of(QueryCursor.QUERIES);
        for (int j = 0; j < QueryCursor.QUERIES; j++) {
            writes[j] = Write.text(text(data, j, recordBytes)).kind(Kind.FACT);
        }
        directory = TempDirs.create("loci-perf-write-");
        memory = Loci.builder()
                .directory(directory)
                .embedder(embedder)
                .longTermStore(LociMemories.store(store))
                .shortTerm(shortTermRecords, Loci.Builder.DEFAULT_SHORT_TERM_AGE)
                .manualTicks()
                .build();
    }

    /** Texts {@code j, j + 1, ...} of the data joined by spaces, cut to {@code length} characters (not at a space). */
    static String text(SyntheticData data, int j, int length) {
        StringBuilder text = new StringBuilder(length + 256);
        for (int i = j; text.length() < length; i = (i + 1) % data.size()) {
            text.append(text.isEmpty() ? "" : " ").append(data.text(i));
        }
        text.setLength(length);
        String cut = text.toString().strip();
        return cut.isEmpty() ? data.text(j) : cut;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        LociMemories.closeAndDelete(memory, directory);
    }

    @Benchmark
    public MemoryRecord writeThroughput(QueryCursor cursor) {
        return memory.write(SCOPE, writes[cursor.next()]);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<MemoryRecord> writeBatchThroughput(QueryCursor cursor) {
        int from = cursor.next() * BATCH % writes.length; // QUERIES is a multiple of BATCH: always a full batch
        return memory.writeAll(SCOPE, Arrays.asList(writes).subList(from, from + BATCH));
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public MemoryRecord writeLatency(QueryCursor cursor) {
        return memory.write(SCOPE, writes[cursor.next()]);
    }

    /** The memory, for tests. */
    Memory memory() {
        return memory;
    }
}
