package dev.loci.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks that forgetting is real: which files under a directory still hold a text's bytes. Stateless.
 *
 * <pre>{@code
 * memory.forget(Scope.user("bob"), Forget.everything().purge());
 * assertThat(DiskScan.filesContaining(memoryDirectory, "bob's secret")).isEmpty();
 * }</pre>
 */
public final class DiskScan {
    private DiskScan() {
    }

    /**
     * The regular files under {@code directory} (recursively) whose bytes contain {@code text} encoded in UTF-8;
     * empty if there are none or the directory does not exist. Reads whole files: meant for test-sized data.
     *
     * @throws UncheckedIOException if a file cannot be read
     */
    public static List<Path> filesContaining(Path directory, String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("text must not be empty");
        }
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        // ISO-8859-1 maps every byte to one char, so a byte search becomes String.contains.
        String needle = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).filter(file -> read(file).contains(needle)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan " + directory, e);
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
