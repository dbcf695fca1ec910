package dev.loci.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's demo end to end with the real defaults (Lucene store, e5 embedder). The demo itself throws if
 * the memory breaks a promise (an answer lost across a restart, a purged user still readable or still on disk).
 */
class DemoTest {

    @Test
    void theDemoRunsEndToEnd(@TempDir Path directory) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Demo.run(directory.resolve("memory"), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(output)
                .contains("Writing 12 messages for alice and bob over 3 sessions")
                .contains("Question (alice): Which foods am I allergic to?")
                .contains("I'm allergic to peanuts")
                .contains("Closing the memory and opening it again")
                .contains("(the same answers as before the restart)")
                .contains("(nothing: the memory holds nothing for bob)")
                .contains("none of them is there any more");
    }
}
