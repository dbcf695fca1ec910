package dev.loci.bench.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code perf} command: runs the cases of issue 6 through JMH, writes perf.json and prints the same results as a
 * Markdown table. A case whose benchmark is missing or fails is listed without its number and with a note; the run
 * goes on. Not thread-safe; {@link #run} blocks for the whole run (minutes with {@code --quick}, hours without).
 */
public final class PerfCommand {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * A checked command line.
     *
     * @param quick   10K only, short JMH runs
     * @param out     where perf.json goes
     * @param include the cases to run, by a regular expression found in their names; null for all
     * @param jmhArgs JMH options applied to every run (checked by {@link #checkJmhArgs})
     */
    public record Settings(boolean quick, Path out, @Nullable Pattern include, List<String> jmhArgs) {
        public Settings {
            Objects.requireNonNull(out, "out");
            jmhArgs = List.copyOf(jmhArgs);
        }
    }

    private final PrintStream out;
    private final PrintStream log;
    private final Clock clock;

    /**
     * @param out   where the summary and the Markdown table go
     * @param log   where JMH's report goes
     * @param clock dates the run
     */
    public PerfCommand(PrintStream out, PrintStream log, Clock clock) {
        this.out = out;
        this.log = log;
        this.clock = clock;
    }

    /** The names of every case, in order. */
    public static List<String> caseNames() {
        return PerfCases.all().stream().map(PerfCase::name).toList();
    }

    /**
     * @throws IllegalArgumentException naming the fault, if {@code args} are not JMH options or name benchmarks
     */
    public static void checkJmhArgs(List<String> args) {
        JmhBench.parseJmhArgs(args);
    }

    /**
     * Runs the chosen cases through JMH and writes perf.json.
     *
     * @throws IOException if perf.json cannot be written
     */
    public void run(Settings settings) throws IOException {
        run(settings, PerfCases.all(), new JmhBench(settings.jmhArgs(), settings.quick(), log));
    }

    /** Runs {@code cases} (those the settings include) with {@code bench}; returns what it wrote. */
    ObjectNode run(Settings settings, List<PerfCase> cases, Bench bench) throws IOException {
        Pattern include = settings.include();
        List<PerfCase> chosen = include == null ? cases
                : cases.stream().filter(c -> include.matcher(c.name()).find()).toList();
        Double loadAtStart = Machine.loadAverage();
        Instant start = clock.instant();
        List<CaseResult> results = new PerfSuite(bench).run(chosen, settings.quick());
        ObjectNode json = PerfReport.json(Machine.describe(start, loadAtStart, Machine.loadAverage()),
                settings.quick(), results);
        Path parent = settings.out().toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        MAPPER.writeValue(settings.out().toFile(), json);
        long met = results.stream().filter(r -> Boolean.TRUE.equals(r.met())).count();
        long missed = results.stream().filter(r -> Boolean.FALSE.equals(r.met())).count();
        long measured = results.stream().filter(r -> r.loci() != null).count();
        out.printf(Locale.ROOT, "perf%s: %d cases, %d with Loci's number; targets met %d, missed %d; wrote %s%n%n",
                settings.quick() ? " --quick" : "", results.size(), measured, met, missed, settings.out());
        out.print(PerfReport.markdown(results));
        return json;
    }
}
