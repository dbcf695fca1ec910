package dev.loci.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loci.bench.perf.PerfCommand;
import dev.loci.lucene.LuceneStore;
import dev.loci.testkit.ExactLongTermStore;
import dev.loci.testkit.TestEmbedder;
import dev.loci.spi.LongTermStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicInteger runnersMade = new AtomicInteger();
    private final List<PerfCommand.Settings> perfRuns = new ArrayList<>();

    private int run(LongTermStore.Factory store, String... args) {
        Cli cli = new Cli(() -> {
            runnersMade.incrementAndGet();
            return new LocomoRunner(new TestEmbedder(), store, dir);
        }, perfRuns::add, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return cli.run(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void usageErrorsExitWithTwoNameTheFaultAndLoadNothing() throws IOException {
        Path data = TinyLocomo.write(dir);
        String d = data.toString();
        String o = dir.resolve("o.json").toString();
        List<List<String>> cases = List.of(
                List.of(),
                List.of("longmemeval", "--data", d, "--out", o),
                List.of("locomo", "--data", d, "--out", o, "--bogus", "1"),
                List.of("locomo", "--out", o),
                List.of("locomo", "--data", d),
                List.of("locomo", "--data", d, "--out"),
                List.of("locomo", "--data", d, "--out", o, "--data", d),
                List.of("locomo", "--data", dir.resolve("missing.json").toString(), "--out", o),
                List.of("locomo", "--data", d, "--out", o, "--config", "graph"),
                List.of("locomo", "--data", d, "--out", o, "--k", "1,x"),
                List.of("locomo", "--data", d, "--out", o, "--k", "0"),
                List.of("locomo", "--data", d, "--out", o, "--budget-words", ""));
        List<String> expected = List.of("missing command", "unknown command \"longmemeval\"",
                "unknown flag \"--bogus\"", "missing --data", "missing --out", "--out needs a value",
                "--data is given twice", "no such file", "unknown config \"graph\"", "--k: \"x\"", "--k: \"0\"",
                "--budget-words: \"\"");
        for (int i = 0; i < cases.size(); i++) {
            err.reset();
            assertThat(run(LuceneStore.inMemory(), cases.get(i).toArray(String[]::new))).as(cases.get(i).toString())
                    .isEqualTo(Cli.USAGE);
            assertThat(err()).as(cases.get(i).toString()).contains(expected.get(i)).contains("usage:");
        }
        assertThat(runnersMade).hasValue(0);
        assertThat(dir.resolve("o.json")).doesNotExist();
    }

    @Test
    void perfUsageErrorsExitWithTwoNameTheArgumentAndRunNothing() {
        String o = dir.resolve("perf.json").toString();
        List<List<String>> cases = List.of(
                List.of("perf"),
                List.of("perf", "--quick"),
                List.of("perf", "--out", o, "--fast"),
                List.of("perf", "--out"),
                List.of("perf", "--out", o, "--quick", "--quick"),
                List.of("perf", "--out", o, "--out", o),
                List.of("perf", "--out", o, "--include", "read-(hybrid"),
                List.of("perf", "--out", o, "--include", "graph-walk"),
                List.of("perf", "--out", o, "--include", "--quick"),
                List.of("perf", "--out", o, "--jmh-args", "-f many"),
                List.of("perf", "--out", o, "--jmh-args", "RawLucene.*"));
        List<String> expected = List.of("missing --out", "missing --out", "unknown flag \"--fast\"",
                "--out needs a value", "--quick is given twice", "--out is given twice",
                "--include: \"read-(hybrid\" is not a regular expression", "--include: \"graph-walk\" matches no case",
                "--include needs a value", "--jmh-args:", "--jmh-args: give JMH options only");
        for (int i = 0; i < cases.size(); i++) {
            err.reset();
            assertThat(run(LuceneStore.inMemory(), cases.get(i).toArray(String[]::new))).as(cases.get(i).toString())
                    .isEqualTo(Cli.USAGE);
            assertThat(err()).as(cases.get(i).toString()).contains(expected.get(i)).contains("usage:");
        }
        assertThat(perfRuns).isEmpty();
    }

    @Test
    void perfPassesItsCheckedSettingsOn() {
        Path o = dir.resolve("perf.json");
        assertThat(run(LuceneStore.inMemory(), "perf", "--include", "brute|inmemory", "--quick", "--jmh-args",
                " -wi 2  -i 3 ", "--out", o.toString())).as(err()).isEqualTo(Cli.OK);
        assertThat(run(LuceneStore.inMemory(), "perf", "--out", o.toString())).isEqualTo(Cli.OK);

        assertThat(perfRuns).hasSize(2);
        PerfCommand.Settings first = perfRuns.getFirst();
        assertThat(first.quick()).isTrue();
        assertThat(first.out()).isEqualTo(o);
        assertThat(first.include()).isNotNull();
        assertThat(first.include().pattern()).isEqualTo("brute|inmemory");
        assertThat(first.jmhArgs()).containsExactly("-wi", "2", "-i", "3");
        PerfCommand.Settings second = perfRuns.get(1);
        assertThat(second.quick()).isFalse();
        assertThat(second.include()).isNull();
        assertThat(second.jmhArgs()).isEmpty();
    }

    @Test
    void malformedJsonExitsWithOneNamingWhere() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.json"), "[ {\"sample_id\": ");
        int code = run(LuceneStore.inMemory(), "locomo", "--data", bad.toString(), "--out",
                dir.resolve("o.json").toString());
        assertThat(code).isEqualTo(Cli.DATA_ERROR);
        assertThat(err()).contains("malformed JSON").contains("bad.json").contains("line 1");
    }

    @Test
    void bm25OnlyRunOnATinyConversationGivesThePredictedNumbers() throws IOException {
        Path data = TinyLocomo.write(dir);
        Path outFile = dir.resolve("runs/bm25.json");

        int code = run(LuceneStore.inMemory(), "locomo", "--data", data.toString(), "--config", "bm25-only",
                "--k", "5,1", "--budget-words", "1000,1", "--out", outFile.toString());

        assertThat(code).as(err()).isEqualTo(Cli.OK);
        JsonNode json = new ObjectMapper().readTree(outFile.toFile());
        assertThat(json.get("config").asText()).isEqualTo("bm25-only");
        assertThat(json.get("data").asText()).isEqualTo("tiny-locomo.json");
        assertThat(json.get("sha256").asText()).isEqualTo(Cli.sha256(data)).hasSize(64);
        assertThat(json.get("conversations").asInt()).isEqualTo(1);
        assertThat(json.get("turns").asInt()).isEqualTo(6);
        assertThat(json.get("questions").asInt()).isEqualTo(4);
        assertThat(json.at("/skipped/adversarial").asInt()).isEqualTo(1);
        assertThat(json.at("/skipped/noEvidence").asInt()).isEqualTo(2);
        // Each question's words point at its evidence alone; the multi-hop one has two evidence turns, one per rank.
        assertThat(json.at("/recall/1").asDouble()).isEqualTo(0.875);
        assertThat(json.at("/recall/5").asDouble()).isEqualTo(1.0);
        assertThat(json.at("/hit/1").asDouble()).isEqualTo(0.75);
        assertThat(json.at("/hit/5").asDouble()).isEqualTo(1.0);
        assertThat(json.at("/budgetedRecall/1").asDouble()).isZero(); // no result has a single word
        assertThat(json.at("/budgetedRecall/1000").asDouble()).isEqualTo(1.0);
        assertThat(json.get("byCategory").properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactly("single-hop", "multi-hop", "temporal", "open-domain");
        assertThat(json.at("/byCategory/multi-hop/recall/1").asDouble()).isEqualTo(0.5);
        assertThat(json.at("/byCategory/multi-hop/questions").asInt()).isEqualTo(1);
        assertThat(json.at("/byCategory/temporal/recall/1").asDouble()).isEqualTo(1.0);
        assertThat(json.at("/readLatencyMs/p50").isNumber()).isTrue();
        assertThat(json.at("/readLatencyMs/p99").asDouble()).isGreaterThanOrEqualTo(
                json.at("/readLatencyMs/p50").asDouble());
        assertThat(json.at("/readLatencyMs/count").asInt()).isEqualTo(4);
        assertThat(json.at("/writeLatencyMs/count").asInt()).isEqualTo(6);
        assertThat(json.get("diskBytes").asLong()).isPositive(); // the journal, even with the store in RAM
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("config bm25-only").contains("R@1 0.875")
                .contains("multi-hop");
        try (var left = Files.list(dir)) {
            assertThat(left).as("per-conversation memories are deleted")
                    .noneMatch(p -> p.getFileName().toString().startsWith("loci-bench-"));
        }
    }

    @Test
    void everyConfigRunsOnlyOnItsStoreChannels() throws IOException {
        Path data = TinyLocomo.write(dir);
        for (String config : List.of("default", "plain-rrf", "knn-only", "bm25-only")) {
            Path outFile = dir.resolve(config + ".json");
            int code = run(LuceneStore.onDisk(), "locomo", "--data", data.toString(), "--config", config, "--k",
                    "1,6", "--out", outFile.toString());
            assertThat(code).as(config + ": " + err()).isEqualTo(Cli.OK);
            JsonNode json = new ObjectMapper().readTree(outFile.toFile());
            if (!config.equals("bm25-only")) { // the semantic channel ranks every turn: six turns, k = 6
                assertThat(json.at("/recall/6").asDouble()).as(config).isEqualTo(1.0);
            }
        }
        // The reference store has no lexical channel at all, so knn-only on it is the same as default.
        assertThat(run(ExactLongTermStore.factory(), "locomo", "--data", data.toString(), "--config", "knn-only",
                "--out", dir.resolve("exact.json").toString())).isEqualTo(Cli.OK);
    }
}
