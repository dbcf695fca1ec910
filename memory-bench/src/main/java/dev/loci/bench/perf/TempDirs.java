package dev.loci.bench.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Scratch directories for the benchmarks that write files. They go under the directory named by the system property
 * {@value #PROPERTY} (pass it to the JVM that starts JMH: the fork inherits it), else under {@code java.io.tmpdir};
 * the disk they land on is part of what the journal and Lucene numbers measure. Stateless; calls block on I/O.
 */
public final class TempDirs {
    /** The system property naming the parent directory of the scratch directories. */
    static final String PROPERTY = "loci.perf.dir";

    private TempDirs() {
    }

    /** A new empty directory. */
    static Path create(String prefix) {
        try {
            Path parent = Paths.get(System.getProperty(PROPERTY, System.getProperty("java.io.tmpdir")));
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory: " + e, e);
        }
    }

    /** The bytes of the regular files under the directory. */
    public static long size(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // a file removed while we walk (e.g. a merged-away segment) no longer counts
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + directory + ": " + e, e);
        }
    }

    /** Deletes the directory and everything under it. */
    static void delete(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the scratch directory " + directory + ": " + e, e);
        }
    }
}
