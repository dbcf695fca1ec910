package dev.loci.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loci.Query;
import dev.loci.bench.perf.PerfCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * The command line: {@code locomo --data FILE [--k 1,5,10,20] [--budget-words 200,500] [--config NAME] --out FILE},
 * or {@code perf [--quick] [--include REGEX] [--jmh-args "..."] --out FILE} (see {@link PerfCommand}).
 * Exit codes: 0 done, 1 the data could not be used (unreadable or malformed file) or the output cannot be written,
 * 2 usage error (unknown or missing flag, bad value, missing data file). Not thread-safe; {@link #run} blocks for the
 * whole evaluation.
 */
final class Cli {
    static final int OK = 0;
    static final int DATA_ERROR = 1;
    static final int USAGE = 2;

    static final String USAGE_TEXT = """
            usage: java -jar memory-bench.jar locomo --data FILE [--k 1,5,10,20] [--budget-words 200,500]
                                                     [--config NAME] --out FILE.json
              --data          a LoCoMo JSON file (an array of samples, as upstream locomo10.json)
              --k             the cut-offs of recall@k and hit@k (default 1,5,10,20)
              --budget-words  the word budgets of budgeted recall (default 200,500)
              --config        %s (default default)
              --out           where to write the metrics as JSON
            usage: java -jar memory-bench.jar perf [--quick] [--include REGEX] [--jmh-args "JMH OPTIONS"] --out FILE.json
              --quick         10K documents only (larger cases are listed as skipped), 1 fork, 1 warmup and
                              2 measurement iterations of 1 s
              --include       run only the cases whose name contains a match of REGEX
              --jmh-args      JMH options for every run, split at spaces (e.g. "-f 2 -i 10"; no benchmark names)
              --out           where to write the results as JSON (a Markdown table goes to stdout)
            """.formatted(BenchConfig.names());

    /** Runs the perf command with checked settings. */
    @FunctionalInterface
    interface Perf {
        void run(PerfCommand.Settings settings) throws IOException;
    }

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Supplier<LocomoRunner> runners;
    private final Perf perf;
    private final PrintStream out;
    private final PrintStream err;

    /**
     * @param runners makes the runner once the arguments are valid (so a usage error loads no model)
     * @param perf    runs the perf command once its arguments are valid
     * @param out     where the summary goes
     * @param err     where errors and the usage go
     */
    Cli(Supplier<LocomoRunner> runners, Perf perf, PrintStream out, PrintStream err) {
        this.runners = runners;
        this.perf = perf;
        this.out = out;
        this.err = err;
    }

    /** Runs the command and returns its exit code; never calls {@link System#exit}. */
    int run(String... args) {
        if (args.length > 0 && args[0].equals("perf")) {
            return perf(args);
        }
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE_TEXT);
            return USAGE;
        }
        try {
            List<Locomo.Conversation> conversations = LocomoLoader.load(arguments.data());
            String sha256 = sha256(arguments.data());
            Scoreboard board = runners.get().run(conversations, arguments.config(), arguments.ks(),
                    arguments.budgets());
            ObjectNode json = board.toJson(arguments.config().configName(),
                    arguments.data().getFileName().toString(), sha256);
            Path parent = arguments.out().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            MAPPER.writeValue(arguments.out().toFile(), json);
            summary(json, arguments);
            return OK;
        } catch (DataException e) {
            err.println("error: " + e.getMessage());
            return DATA_ERROR;
        } catch (IOException e) {
            err.println("error: cannot write " + arguments.out() + ": " + e.getMessage());
            return DATA_ERROR;
        }
    }

    private int perf(String... args) {
        PerfCommand.Settings settings;
        try {
            settings = PerfArguments.parse(args);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE_TEXT);
            return USAGE;
        }
        try {
            perf.run(settings);
            return OK;
        } catch (IOException e) {
            err.println("error: cannot write " + settings.out() + ": " + e.getMessage());
            return DATA_ERROR;
        }
    }

    private void summary(ObjectNode json, Arguments arguments) {
        out.printf(Locale.ROOT, "LoCoMo %s (sha256 %s), config %s: %d conversations, %d turns, %d questions"
                        + " (skipped: %d adversarial, %d without usable evidence)%n",
                json.get("data").asText(), json.get("sha256").asText().substring(0, 12), json.get("config").asText(),
                json.get("conversations").asInt(), json.get("turns").asInt(), json.get("questions").asInt(),
                json.at("/skipped/adversarial").asInt(), json.at("/skipped/noEvidence").asInt());
        out.println("  overall      " + line(json, arguments));
        json.get("byCategory").properties().forEach(c -> out.printf(Locale.ROOT, "  %-12s %s  (%d questions)%n",
                c.getKey(), line(c.getValue(), arguments), c.getValue().get("questions").asInt()));
        out.printf(Locale.ROOT, "  read p50 %.1f ms, p99 %.1f ms; write p50 %.2f ms, p99 %.2f ms; ingest %.1f s"
                        + " (%.1f ms CPU per turn); %.1f MB on disk%n",
                json.at("/readLatencyMs/p50").asDouble(), json.at("/readLatencyMs/p99").asDouble(),
                json.at("/writeLatencyMs/p50").asDouble(), json.at("/writeLatencyMs/p99").asDouble(),
                json.get("ingestSeconds").asDouble(), json.get("ingestCpuMsPerTurn").asDouble(),
                json.get("diskBytes").asLong() / 1e6);
        out.println("  wrote " + arguments.out());
    }

    private static String line(JsonNode node, Arguments arguments) {
        StringBuilder line = new StringBuilder();
        for (int k : arguments.ks()) {
            line.append(String.format(Locale.ROOT, "R@%d %.3f  ", k, node.at("/recall/" + k).asDouble()));
        }
        int hitK = arguments.ks().contains(10) ? 10 : arguments.ks().getLast();
        line.append(String.format(Locale.ROOT, "hit@%d %.3f", hitK, node.at("/hit/" + hitK).asDouble()));
        for (int b : arguments.budgets()) {
            line.append(String.format(Locale.ROOT, "  R@%dw %.3f", b, node.at("/budgetedRecall/" + b).asDouble()));
        }
        return line.toString();
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** A wrong command line; the message names the flag or value at fault. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** The parsed command line. */
    record Arguments(Path data, Path out, BenchConfig config, List<Integer> ks, List<Integer> budgets) {
        static Arguments parse(String... args) throws UsageException {
            if (args.length == 0) {
                throw new UsageException("missing command: the commands are locomo and perf");
            }
            if (!args[0].equals("locomo")) {
                throw new UsageException("unknown command \"" + args[0] + "\": the commands are locomo and perf");
            }
            Map<String, String> flags = new LinkedHashMap<>();
            for (int i = 1; i < args.length; i += 2) {
                String flag = args[i];
                if (!List.of("--data", "--k", "--budget-words", "--config", "--out").contains(flag)) {
                    throw new UsageException("unknown flag \"" + flag + "\"");
                }
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new UsageException(flag + " needs a value");
                }
                if (flags.put(flag, args[i + 1]) != null) {
                    throw new UsageException(flag + " is given twice");
                }
            }
            Path data = Path.of(required(flags, "--data"));
            if (!Files.isRegularFile(data)) {
                throw new UsageException("--data: no such file: " + data);
            }
            Path out = Path.of(required(flags, "--out"));
            BenchConfig config;
            try {
                config = BenchConfig.named(flags.getOrDefault("--config", BenchConfig.DEFAULT.configName()));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--config: " + e.getMessage());
            }
            return new Arguments(data, out, config, positiveInts(flags, "--k", "1,5,10,20", Query.MAX_LIMIT),
                    positiveInts(flags, "--budget-words", "200,500", Query.MAX_LIMIT));
        }

        private static String required(Map<String, String> flags, String flag) throws UsageException {
            String value = flags.get(flag);
            if (value == null) {
                throw new UsageException("missing " + flag);
            }
            return value;
        }

        private static List<Integer> positiveInts(Map<String, String> flags, String flag, String fallback, int max)
                throws UsageException {
            TreeSet<Integer> values = new TreeSet<>();
            for (String part : flags.getOrDefault(flag, fallback).split(",", -1)) {
                try {
                    int value = Integer.parseInt(part.strip());
                    if (value < 1 || value > max) {
                        throw new NumberFormatException();
                    }
                    values.add(value);
                } catch (NumberFormatException e) {
                    throw new UsageException(flag + ": \"" + part + "\" is not a whole number within 1.." + max
                            + " (give a comma-separated list such as " + fallback + ")");
                }
            }
            return new ArrayList<>(values);
        }
    }

    /** The perf command line: {@code perf [--quick] [--include REGEX] [--jmh-args "..."] --out FILE}. */
    static final class PerfArguments {
        private PerfArguments() {
        }

        static PerfCommand.Settings parse(String... args) throws UsageException {
            boolean quick = false;
            Map<String, String> flags = new LinkedHashMap<>();
            for (int i = 1; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--quick")) {
                    if (quick) {
                        throw new UsageException("--quick is given twice");
                    }
                    quick = true;
                    continue;
                }
                if (!List.of("--out", "--include", "--jmh-args").contains(flag)) {
                    throw new UsageException("unknown flag \"" + flag + "\" (perf takes --quick, --include,"
                            + " --jmh-args and --out)");
                }
                // --jmh-args takes JMH's own options, which start with a dash.
                if (i + 1 >= args.length || args[i + 1].startsWith("--") && !flag.equals("--jmh-args")) {
                    throw new UsageException(flag + " needs a value");
                }
                if (flags.put(flag, args[++i]) != null) {
                    throw new UsageException(flag + " is given twice");
                }
            }
            Path out = Path.of(Arguments.required(flags, "--out"));
            Pattern include = include(flags.get("--include"));
            List<String> jmhArgs = flags.containsKey("--jmh-args")
                    ? List.of(flags.get("--jmh-args").strip().split("\\s+")) : List.of();
            if (jmhArgs.equals(List.of(""))) {
                jmhArgs = List.of();
            }
            try {
                PerfCommand.checkJmhArgs(jmhArgs);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--jmh-args: " + e.getMessage());
            }
            return new PerfCommand.Settings(quick, out, include, jmhArgs);
        }

        private static @Nullable Pattern include(@Nullable String regex) throws UsageException {
            if (regex == null) {
                return null;
            }
            Pattern pattern;
            try {
                pattern = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new UsageException("--include: \"" + regex + "\" is not a regular expression: "
                        + e.getDescription());
            }
            if (PerfCommand.caseNames().stream().noneMatch(name -> pattern.matcher(name).find())) {
                throw new UsageException("--include: \"" + regex + "\" matches no case (the cases: "
                        + String.join(", ", PerfCommand.caseNames()) + ")");
            }
            return pattern;
        }
    }
}
