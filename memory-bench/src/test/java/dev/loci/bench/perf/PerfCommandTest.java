package dev.loci.bench.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loci.bench.perf.Measure.Fixed;
import dev.loci.bench.perf.Measure.Footprint;
import dev.loci.bench.perf.Measure.Footprint.Part;
import dev.loci.bench.perf.Measure.Jmh;
import dev.loci.bench.perf.Measure.Run;
import dev.loci.bench.perf.Measure.Stat;
import dev.loci.lucene.LuceneStore.Quantization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.TimeValue;

/** The perf command end to end: JMH's options for a case, and one real in-process JMH run of a tiny case. */
class PerfCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeAll
    static void shareTheMachine() {
        // JMH refuses to start while another JMH holds its lock file; this test times nothing, so it need not care.
        System.setProperty("jmh.ignoreLock", "true");
    }

    private PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    @Test
    void quickSetsShortRunsUnlessJmhArgsSayOtherwiseAndTheCaseSetsParamsAndThreads() {
        Run run = new Run(PerfCases.LOCI_READ, Map.of("size", "10000", "scopes", "1"), 8);
        Options quick = new JmhBench(List.of(), true, print(log)).options(run);
        assertThat(quick.getIncludes()).containsExactly("^\\Q" + PerfCases.LOCI_READ + "\\E$");
        assertThat(quick.getForkCount().get()).isEqualTo(1);
        assertThat(quick.getWarmupIterations().get()).isEqualTo(1);
        assertThat(quick.getMeasurementIterations().get()).isEqualTo(2);
        assertThat(quick.getMeasurementTime().get()).isEqualTo(TimeValue.seconds(1));
        assertThat(quick.getThreads().get()).isEqualTo(8);
        assertThat(quick.getParameter("size").get()).containsExactly("10000");
        assertThat(quick.getParameter("scopes").get()).containsExactly("1");

        Options full = new JmhBench(List.of("-f", "3", "-p", "recordBytes=300", "-t", "4"), false, print(log))
                .options(run);
        assertThat(full.getForkCount().get()).isEqualTo(3);
        assertThat(full.getWarmupIterations().hasValue()).as("the benchmark's own").isFalse();
        assertThat(full.getParameter("recordBytes").get()).containsExactly("300");
        assertThat(full.getThreads().get()).as("the case decides").isEqualTo(8);
        Options quickButThree = new JmhBench(List.of("-f", "3"), true, print(log)).options(run);
        assertThat(quickButThree.getForkCount().get()).isEqualTo(3);
    }

    @Test
    void theIndexCacheIsPassedOnToTheForks() {
        Run run = new Run(PerfCases.RAW_HYBRID, Map.of("size", "10000"), 1);
        String before = System.getProperty(JmhBench.INDEX_CACHE);
        System.setProperty(JmhBench.INDEX_CACHE, dir.toString());
        try {
            Options options = new JmhBench(List.of(), false, print(log)).options(run);
            assertThat(options.getJvmArgsPrepend().get()).contains("-D" + JmhBench.INDEX_CACHE + "=" + dir);
        } finally {
            if (before == null) {
                System.clearProperty(JmhBench.INDEX_CACHE);
            } else {
                System.setProperty(JmhBench.INDEX_CACHE, before);
            }
        }
    }

    @Test
    void jmhArgsMustBeJmhOptionsWithoutBenchmarks() {
        assertThatThrownBy(() -> PerfCommand.checkJmhArgs(List.of("-f", "x"))).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> PerfCommand.checkJmhArgs(List.of("Raw.*"))).hasMessageContaining("Raw.*")
                .hasMessageContaining("--include");
        PerfCommand.checkJmhArgs(List.of("-wi", "2", "-i", "3"));
    }

    @Test
    void footprintsCountEveryFileOfTheIndexAndQuantisedVectorsShrinkWhatHnswReads() {
        JmhBench bench = new JmhBench(List.of(), true, print(log));
        int size = 300;
        double raw = bench.footprint(new Footprint(size, true, Quantization.NONE, Part.INDEX)).value();
        double floats = bench.footprint(new Footprint(size, false, Quantization.NONE, Part.INDEX)).value();
        double floatsSearched = bench.footprint(new Footprint(size, false, Quantization.NONE, Part.SEARCHED))
                .value();
        Value int8 = bench.footprint(new Footprint(size, false, Quantization.INT8, Part.INDEX));
        double int8Searched = bench.footprint(new Footprint(size, false, Quantization.INT8, Part.SEARCHED)).value();
        double journal = bench.footprint(new Footprint(size, false, Quantization.NONE, Part.JOURNAL)).value();
        int floatBytes = SyntheticData.DIMENSION * Float.BYTES;
        assertThat(raw).as("the raw index holds each float vector").isGreaterThan(floatBytes);
        assertThat(floats).as("Loci's index holds more than the raw one: the record, its filters").isGreaterThan(raw);
        assertThat(floatsSearched).as("floats and graph").isGreaterThan(floatBytes).isLessThan(floats);
        assertThat(int8.value()).as("the int8 copy beside the floats").isGreaterThan(floats);
        assertThat(int8.note()).contains("veq=").contains("vec=");
        assertThat(int8Searched).as("a byte a dimension instead of four, and the graph").isLessThan(floatsSearched)
                .isGreaterThan(SyntheticData.DIMENSION);
        assertThat(journal).as("the caller's vector as base64 in the written entry").isGreaterThan(floatBytes);
    }

    @Test
    void anIndexsFootprintIsAllItsFiles(@TempDir Path dir) {
        SyntheticData data = SyntheticData.of(200);
        Path memory = LociMemories.openOrBuild(data, 1, dir.resolve("m"));
        Map<String, Long> bytes = IndexFootprint.byExtension(memory.resolve("long-term"));
        assertThat(IndexFootprint.total(bytes)).as("a closed index holds only its last commit")
                .isEqualTo(TempDirs.size(memory.resolve("long-term")));
        assertThat(bytes).containsKeys("vec", "vex", "segments");
        assertThat(IndexFootprint.searched(bytes)).isEqualTo(bytes.get("vec") + bytes.get("vex"));
    }

    @Test
    void recallIsMeasuredWithTheTimeOfTheSearchesInItsNote() {
        Value recall = new JmhBench(List.of(), true, print(log)).recallAt10(new Measure.RecallAt10(300, 25));
        assertThat(recall.value()).as("300 records are searched exactly").isEqualTo(1.0);
        assertThat(recall.note()).startsWith("candidates 25: the semantic channel's median").contains(" ms over ");
    }

    @Test
    void aTinyRealRunWritesPerfJsonWithMeasuredNumbersAndNotesForTheMissing() throws IOException {
        // The brute-force scan over 500 documents, in this JVM (no fork), one iteration of 100 ms; and a benchmark
        // that does not exist, as Loci's own are missing on a branch without them.
        PerfCase brute = new PerfCase("brute-500", "ms-p50",
                new Jmh(new Run(PerfCases.BRUTE_FORCE, Map.of("size", "500"), 1), Stat.P50, Scale.MILLIS), "absolute",
                new Fixed(1), 1.0, true, true);
        PerfCase missing = new PerfCase("missing", "ms-p50",
                new Jmh(new Run(PerfCases.PACKAGE + "NoSuchBenchmark.read", Map.of(), 1), Stat.P50, Scale.MILLIS),
                "exact-scan", new Jmh(new Run(PerfCases.BRUTE_FORCE, Map.of("size", "500"), 1), Stat.P99,
                Scale.MILLIS), null, true, true);
        PerfCase large = new PerfCase("large", "ms-p50", new Fixed(1), "absolute", new Fixed(1), null, true, false);
        Path file = dir.resolve("runs/perf.json");
        PerfCommand.Settings settings = new PerfCommand.Settings(true, file, Pattern.compile("brute|missing|large"),
                List.of("-f", "0", "-wi", "0", "-i", "1", "-r", "100ms"));
        PerfCommand command = new PerfCommand(print(out), print(log),
                Clock.fixed(Instant.parse("2026-12-01T02:00:00Z"), ZoneOffset.UTC));

        command.run(settings, List.of(brute, missing, large), new JmhBench(settings.jmhArgs(), true, print(log)));

        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.get("cases")).hasSize(3);
        JsonNode first = json.get("cases").get(0);
        assertThat(first.get("name").asText()).isEqualTo("brute-500");
        assertThat(first.get("loci").isNumber()).as(log.toString(StandardCharsets.UTF_8)).isTrue();
        assertThat(first.get("loci").asDouble()).isPositive();
        assertThat(first.get("ratio").asDouble()).isEqualTo(first.get("loci").asDouble()); // over 1
        JsonNode second = json.get("cases").get(1);
        assertThat(second.get("loci").isNull()).isTrue();
        assertThat(second.get("note").asText()).contains("benchmark not found");
        assertThat(second.get("baselineValue").isNumber()).as("the run shared with the first case").isTrue();
        assertThat(json.get("cases").get(2).get("note").asText()).isEqualTo("skipped (--quick)");
        assertThat(json.at("/machine/date").asText()).isEqualTo("2026-12-01T02:00:00Z");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("| brute-500 | ms-p50 |")
                .contains("wrote " + file);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("BruteForceBenchmark.exactTop10");
    }
}
