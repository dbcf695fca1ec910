package dev.loci.bench.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.jspecify.annotations.Nullable;

/**
 * Baseline: the cost of making a journal record durable with nothing but a {@link FileChannel}, single-threaded, the
 * way Loci's journal writes (a positional write, then {@code force(false)}, i.e. {@code fdatasync}), with no
 * encoding, checksum or locking. A record is {@code recordBytes} long, 1 KiB unless {@code -p recordBytes=...} says
 * otherwise (set it to the size of Loci's journal entries to compare like with like).
 * <ul>
 *   <li>{@link #appendForce}: one record, one force; records per second.</li>
 *   <li>{@link #appendForceLatency}: the same, as the latency of one durable append, in microseconds.</li>
 *   <li>{@link #groupCommit64}: {@value #GROUP} records written one by one, then one force; records per second (JMH
 *       counts each invocation as {@value #GROUP} operations). This is the ceiling of group commit for one writer;
 *       concurrent writers waiting on a shared force are not modelled.</li>
 * </ul>
 * The file lives in a scratch directory ({@link TempDirs}; the disk is what is measured) and is truncated to empty
 * before every iteration, so it stays small and every write extends it, as journal appends do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class JournalAppendBenchmark {
    static final int GROUP = 64;

    @Param({"1024"})
    public int recordBytes;

    // Set by setUp, which JMH runs before any benchmark method.
    private @Nullable Path directory;
    private FileChannel channel;
    private ByteBuffer record;
    private long position;

    @Setup(Level.Trial)
    public void setUp() {
        if (recordBytes < 1) {
            throw new IllegalArgumentException("recordBytes must be at least 1, was " + recordBytes);
        }
        record = ByteBuffer.allocateDirect(recordBytes);
        for (int i = 0; i < recordBytes; i++) {
            record.put(i, (byte) ('a' + i % 26));
        }
        Path path = TempDirs.create("loci-perf-journal-");
        directory = path;
        try {
            channel = FileChannel.open(path.resolve("journal"), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Setup(Level.Iteration)
    public void emptyTheFile() throws IOException {
        channel.truncate(0);
        channel.force(true);
        position = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (channel != null) {
            channel.close();
        }
        if (directory != null) {
            TempDirs.delete(directory);
        }
    }

    @Benchmark
    public long appendForce() throws IOException {
        append();
        channel.force(false);
        return position;
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long appendForceLatency() throws IOException {
        return appendForce();
    }

    @Benchmark
    @OperationsPerInvocation(GROUP)
    public long groupCommit64() throws IOException {
        for (int i = 0; i < GROUP; i++) {
            append();
        }
        channel.force(false);
        return position;
    }

    /** Bytes written since the file was last emptied, for tests. */
    long position() {
        return position;
    }

    long fileSize() throws IOException {
        return channel.size();
    }

    private void append() throws IOException {
        ByteBuffer source = record.duplicate().clear();
        while (source.hasRemaining()) {
            position += channel.write(source, position);
        }
    }
}
