package dev.loci.bench;

import dev.loci.bench.perf.PerfCommand;
import dev.loci.spi.LongTermStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ServiceLoader;

/**
 * The benchmark's entry point ({@code java -jar memory-bench.jar locomo ...} or {@code ... perf ...}; see
 * {@link Cli}). LoCoMo uses the embedder and long-term store that {@code Loci.builder()} finds on the class path, and
 * the system's temporary directory; perf prints its table to stdout and JMH's report to stderr.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Cli cli = new Cli(() -> new LocomoRunner(null, defaultStore(),
                Path.of(System.getProperty("java.io.tmpdir"))),
                settings -> new PerfCommand(System.out, System.err, Clock.systemUTC()).run(settings),
                System.out, System.err);
        System.exit(cli.run(args));
    }

    private static LongTermStore.Factory defaultStore() {
        return ServiceLoader.load(LongTermStore.Factory.class, Main.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no LongTermStore.Factory on the class path"));
    }
}
