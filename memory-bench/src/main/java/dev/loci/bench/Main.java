package dev.loci.bench;

import dev.loci.spi.LongTermStore;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * The benchmark's entry point ({@code java -jar memory-bench.jar locomo ...}; see {@link Cli}). Uses the embedder
 * and long-term store that {@code Loci.builder()} finds on the class path, and the system's temporary directory.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Cli cli = new Cli(() -> new LocomoRunner(null, defaultStore(),
                Path.of(System.getProperty("java.io.tmpdir"))), System.out, System.err);
        System.exit(cli.run(args));
    }

    private static LongTermStore.Factory defaultStore() {
        return ServiceLoader.load(LongTermStore.Factory.class, Main.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no LongTermStore.Factory on the class path"));
    }
}
