package dev.loci.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.Query;
import dev.loci.Recall;
import dev.loci.Scope;
import dev.loci.testkit.TestEmbedder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole memory under {@code kill -9}: a child JVM ({@link MemoryCrashChild}) writes from 1 to 8 threads in sync
 * mode while consolidating, reporting each acknowledged write over its stdout pipe; the parent kills it with
 * SIGKILL after a random number of acknowledgements (0 to 400, counted, not timed), reopens the memory from the
 * same directory and checks: the open succeeds, every acknowledged write is there, nothing that was never sent is,
 * and each writer's recovered notes are a prefix of what it sent (its writes were sequential). The cycles of a run
 * of {@value #CYCLES} reuse one directory, so later cycles recover from earlier crashes too; the long profile makes
 * {@code loci.test.iterations} such runs, each in a fresh directory (one directory for all would make every
 * reopen replay and check the history of all the cycles before it: the 1,000-cycle run slowed to 30 s a cycle). A
 * failure names the seed ({@code -Dloci.test.seed} replays the choices).
 */
class MemoryCrashLoopTest {
    static final int CYCLES = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void acknowledgedWritesSurviveKillNineAndNothingElseAppears() throws Exception {
        long seed = Long.getLong("loci.test.seed", new SplittableRandom().nextLong());
        SplittableRandom random = new SplittableRandom(seed);
        int cycles = CYCLES * Integer.getInteger("loci.test.iterations", 1);
        Path directory = tmp;
        Map<String, Integer> acknowledged = new HashMap<>(); // user -> highest acknowledged note + 1
        for (int cycle = 0; cycle < cycles; cycle++) {
            if (cycle % CYCLES == 0) { // a fresh directory for each run of CYCLES cycles
                directory = tmp.resolve("memory-" + cycle / CYCLES);
                acknowledged.clear();
            }
            int threads = 1 + random.nextInt(8);
            int kills = random.nextInt(401);
            Path childErr = tmp.resolve("child-" + cycle + ".err");
            String context = "cycle " + cycle + " (" + threads + " writers, kill after " + kills
                    + " acks, seed " + seed + ", child stderr in " + childErr + ")";
            Map<Integer, Integer> acked = runAndKill(directory, threads, cycle, kills, childErr, context);
            int c = cycle;
            acked.forEach((writer, count) -> acknowledged.put(MemoryCrashChild.user(c, writer), count));
            verify(directory, acknowledged, context);
        }
    }

    private static Map<Integer, Integer> runAndKill(Path directory, int threads, int cycle, int acks, Path childErr,
                                                    String context) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                MemoryCrashChild.class.getName(), directory.toString(), Integer.toString(threads),
                Integer.toString(cycle))
                .redirectError(childErr.toFile())
                .start();
        Map<Integer, Integer> acked = new HashMap<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String ready = out.readLine();
            assertThat(ready).as(context + ": the child opened the memory; stderr: " + stderr(childErr))
                    .isEqualTo("ready");
            for (int seen = 0; seen < acks; seen++) {
                String line = out.readLine();
                if (line == null) {
                    throw new AssertionError(context + ": child exited early: " + stderr(childErr));
                }
                int space = line.indexOf(' ');
                int writer = Integer.parseInt(line.substring(0, space));
                int note = Integer.parseInt(line.substring(space + 1));
                acked.merge(writer, note + 1, Math::max);
            }
            child.destroyForcibly(); // SIGKILL on Linux
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as(context + ": child was killed").isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as(context + ": exit value of the killed child").isNotZero();
        return acked;
    }

    private static void verify(Path directory, Map<String, Integer> acknowledged, String context) {
        try (Memory memory = Loci.builder().directory(directory).embedder(new TestEmbedder())
                .longTermStore(LuceneStore.onDisk()).manualTicks().build()) {
            Map<String, List<Integer>> notes = recoveredNotes(memory, context);
            for (Map.Entry<String, List<Integer>> writer : notes.entrySet()) {
                List<Integer> got = writer.getValue();
                for (int i = 0; i < got.size(); i++) {
                    assertThat(got.get(i)).as(context + ": writer " + writer.getKey()
                            + " recovered a prefix of what it sent").isEqualTo(i);
                }
            }
            acknowledged.forEach((writer, count) -> assertThat(notes.getOrDefault(writer, List.of()).size())
                    .as(context + ": writer " + writer + " acknowledged " + count + " notes")
                    .isGreaterThanOrEqualTo(count));
            memory.flush(); // the replayed tail indexed: reads rank by content again (not by recency, as while pending)
            acknowledged.forEach((user, count) -> {
                if (count > 0) {
                    String last = MemoryCrashChild.text(writer(user), count - 1);
                    List<Recall> hits = memory.read(Scope.user(user), Query.text(last).limit(3));
                    assertThat(hits).as(context + ": the last acknowledged note of " + user + " is readable")
                            .extracting(r -> r.record().text()).contains(last);
                }
            });
        }
    }

    private static int writer(String user) {
        return Integer.parseInt(user.substring(user.indexOf("-w") + 2));
    }

    /** user -> its recovered note numbers, sorted; fails on any record no writer sent. */
    private static Map<String, List<Integer>> recoveredNotes(Memory memory, String context) {
        StringWriter export = new StringWriter();
        memory.exportTo(export);
        Map<String, List<Integer>> notes = new HashMap<>();
        for (String line : export.toString().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode record;
            try {
                record = JSON.readTree(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String user = record.at("/scope/user").asText();
            String text = record.get("text").asText();
            int writer = writer(user);
            int note = Integer.parseInt(text.split(" ")[3]);
            assertThat(text).as(context + ": a record no writer sent").isEqualTo(MemoryCrashChild.text(writer, note));
            assertThat(record.at("/scope/session").asText()).as(context + ": the session of " + text)
                    .isEqualTo("s" + (note / 50));
            notes.computeIfAbsent(user, u -> new ArrayList<>()).add(note);
        }
        notes.values().forEach(list -> list.sort(Integer::compare));
        return notes;
    }

    private static String stderr(Path file) {
        try {
            return Files.exists(file) ? String.join("\n", Files.readAllLines(file)) : "(none)";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
