package dev.loci.bench.perf;

import dev.loci.lucene.LuceneStore.Quantization;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs each benchmark through JMH's {@link Runner}, one run a call, and reads the primary result. The benchmark's
 * own annotations set forks, iterations and JVM options, unless {@code --quick} (1 fork, 1 warmup and 2
 * measurement iterations of 1 s) or the JMH options given with {@code --jmh-args} say otherwise; the case always sets
 * its {@code @Param} values and threads. The system properties {@value #INDEX_CACHE} and {@value #SCRATCH} are
 * passed on to the forks when set. JMH's own report goes to {@code log}. Not thread-safe; calls block for the run.
 */
final class JmhBench implements Bench {
    static final String INDEX_CACHE = "loci.perf.indexCache";
    static final String SCRATCH = "loci.perf.dir";

    private final Options jmhArgs;
    private final boolean quick;
    private final PrintStream log;

    /**
     * @param jmhArgs JMH command-line options, checked by {@link #parseJmhArgs}
     * @param log     where JMH's report goes; it is never closed
     */
    JmhBench(List<String> jmhArgs, boolean quick, PrintStream log) {
        this.jmhArgs = parseJmhArgs(jmhArgs);
        this.quick = quick;
        this.log = new PrintStream(new FilterOutputStream(log) {
            @Override
            public void close() throws IOException {
                flush(); // JMH closes its output after every run
            }
        }, true, StandardCharsets.UTF_8);
    }

    /**
     * @throws IllegalArgumentException if the options are not JMH's or name benchmarks (the cases choose those)
     */
    static Options parseJmhArgs(List<String> args) {
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (!options.getIncludes().isEmpty()) {
            throw new IllegalArgumentException("give JMH options only, not benchmark patterns "
                    + options.getIncludes() + " (--include chooses the cases)");
        }
        return options;
    }

    @Override
    public Outcome run(Measure.Run run) {
        Collection<RunResult> results;
        try {
            results = new Runner(options(run), OutputFormatFactory.createFormatInstance(log,
                    jmhArgs.verbosity().orElse(VerboseMode.NORMAL))).run();
        } catch (NoBenchmarksException e) {
            return Outcome.missing("benchmark not found: " + run.benchmark());
        } catch (RunnerException | RuntimeException e) {
            return Outcome.missing("failed: " + run + ": " + messages(e));
        }
        if (results.isEmpty()) {
            return Outcome.missing("no result: " + run + " (see JMH's output)");
        }
        Result<?> primary = results.iterator().next().getPrimaryResult();
        JmhStats stats = new JmhStats(primary.getScoreUnit(), primary.getScore(),
                primary.getStatistics().getPercentile(50.0), primary.getStatistics().getPercentile(99.0));
        return results.size() == 1 ? Outcome.of(stats) : new Outcome(stats, "JMH gave " + results.size()
                + " results for " + run + " (another @Param has several values); the first is used");
    }

    Options options(Measure.Run run) {
        ChainedOptionsBuilder options = new OptionsBuilder().parent(jmhArgs)
                .include("^" + Pattern.quote(run.benchmark()) + "$")
                .shouldFailOnError(true)
                .threads(run.threads());
        run.params().forEach(options::param);
        if (quick) {
            if (!jmhArgs.getForkCount().hasValue()) {
                options.forks(1);
            }
            if (!jmhArgs.getWarmupIterations().hasValue()) {
                options.warmupIterations(1);
            }
            if (!jmhArgs.getWarmupTime().hasValue()) {
                options.warmupTime(TimeValue.seconds(1));
            }
            if (!jmhArgs.getMeasurementIterations().hasValue()) {
                options.measurementIterations(2);
            }
            if (!jmhArgs.getMeasurementTime().hasValue()) {
                options.measurementTime(TimeValue.seconds(1));
            }
        }
        // A fork starts with the starting JVM's command-line options, but not with properties set since.
        List<String> properties = new ArrayList<>();
        for (String name : List.of(INDEX_CACHE, SCRATCH)) {
            String value = System.getProperty(name);
            if (value != null) {
                properties.add("-D" + name + "=" + value);
            }
        }
        if (!properties.isEmpty() && !jmhArgs.getJvmArgsPrepend().hasValue()) {
            options.jvmArgsPrepend(properties.toArray(String[]::new));
        }
        return options.build();
    }

    /**
     * Loci's recall@10 over {@code size} documents in one scope, run in this JVM (not a fork): the memory the read
     * benchmark uses ({@link LociMemories#place} and {@link LociMemories#openOrBuild}: built, or reused under
     * {@value #INDEX_CACHE}), measured by {@link VectorRecall#measure} over {@value QueryCursor#QUERIES} queries.
     */
    @Override
    public Value recallAt10(Measure.RecallAt10 recall) {
        SyntheticData data = SyntheticData.of(recall.size());
        LociMemories.Place place = LociMemories.place(data, 1, recall.quantization());
        try {
            Path memory = LociMemories.openOrBuild(data, 1, place.path(), recall.quantization());
            VectorRecall.Result result = VectorRecall.measure(memory, data, 1, QueryCursor.QUERIES,
                    recall.candidates(), recall.quantization());
            return new Value(result.recall(), String.format(Locale.ROOT,
                    "candidates %d%s: the semantic channel's median %.3f ms over %d queries (timed in this JVM, not"
                            + " by JMH)", recall.candidates(), recall.quantization() == Quantization.NONE ? ""
                            : ", " + recall.quantization(), result.medianMillis(), QueryCursor.QUERIES));
        } catch (RuntimeException e) {
            return Value.missing("failed: recall@10 at " + recall.size() + " with " + recall.candidates()
                    + " candidates, " + recall.quantization() + ": " + messages(e));
        } finally {
            place.release();
        }
    }

    @Override
    public Value footprint(Measure.Footprint footprint) {
        SyntheticData data = SyntheticData.of(footprint.size());
        String cache = System.getProperty(RawLuceneBenchmark.INDEX_CACHE);
        Path scratch = cache == null ? TempDirs.create("loci-perf-footprint-") : null;
        LociMemories.Place place = footprint.raw() ? null : LociMemories.place(data, 1, footprint.quantization());
        try {
            Path files;
            if (footprint.raw()) {
                Path path = scratch != null ? scratch : Path.of(cache, RawLuceneBenchmark.cacheName(data));
                RawLuceneIndex.openOrBuild(data, path).close();
                files = path;
            } else {
                Path memory = LociMemories.openOrBuild(data, 1, place.path(), footprint.quantization());
                files = memory.resolve(footprint.part() == Measure.Footprint.Part.JOURNAL ? "journal" : "long-term");
            }
            long bytes;
            String note;
            if (footprint.part() == Measure.Footprint.Part.JOURNAL) {
                bytes = TempDirs.size(files);
                note = "the journal's files";
            } else {
                Map<String, Long> byExtension = IndexFootprint.byExtension(files);
                bytes = footprint.part() == Measure.Footprint.Part.INDEX ? IndexFootprint.total(byExtension)
                        : IndexFootprint.searched(byExtension);
                note = "bytes by file extension: " + byExtension;
            }
            return new Value((double) bytes / footprint.size(), note);
        } catch (RuntimeException e) {
            return Value.missing("failed: footprint " + footprint + ": " + messages(e));
        } finally {
            if (place != null) {
                place.release();
            }
            if (scratch != null) {
                TempDirs.delete(scratch);
            }
        }
    }

    /** The messages of a throwable and its causes, for a note. */
    static String messages(@Nullable Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 5; t = t.getCause()) {
            parts.add(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip());
        }
        return String.join(": ", parts);
    }
}
