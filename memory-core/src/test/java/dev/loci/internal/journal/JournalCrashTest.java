package dev.loci.internal.journal;

import static dev.loci.internal.journal.Journals.replayed;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a real child JVM (SIGKILL on Linux) in the middle of sync-mode appends, then checks every acknowledgement. */
class JournalCrashTest {
    private static final int ACKS = 200;

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedAppendSurvivesSigkill() throws Exception {
        int iterations = Integer.getInteger("loci.test.iterations", 1);
        for (int iteration = 0; iteration < iterations; iteration++) {
            Path dir = tmp.resolve("journal-" + iteration);
            Path childErr = tmp.resolve("child-" + iteration + ".err");
            Map<Long, String> acknowledged = runAndKill(dir, childErr);
            String context = "iteration " + iteration + ", child stderr in " + childErr;
            assertThat(acknowledged).as(context).hasSizeGreaterThanOrEqualTo(ACKS);
            try (Journal journal = Journal.open(dir, Journal.Options.sync().withSegmentBytes(8192))) {
                Map<Long, String> recovered = replayed(journal);
                assertThat(recovered).as(context).containsAllEntriesOf(acknowledged);
                long highest = recovered.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
                assertThat(recovered).as(context + ": no gaps").hasSize((int) highest);
                assertThat(journal.lastSequence()).isEqualTo(highest);
            }
        }
    }

    private static Map<Long, String> runAndKill(Path dir, Path childErr) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                JournalCrashChild.class.getName(), dir.toString(), "8192")
                .redirectError(childErr.toFile())
                .start();
        Map<Long, String> acknowledged = new HashMap<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            while (acknowledged.size() < ACKS) {
                String line = out.readLine();
                if (line == null) {
                    throw new AssertionError("child exited early with its stderr: " + Files.readAllLines(childErr));
                }
                int space = line.indexOf(' ');
                acknowledged.put(Long.parseLong(line.substring(0, space)), line.substring(space + 1));
            }
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child was killed").isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as("exit value of the killed child").isNotZero();
        return acknowledged;
    }
}
