package dev.loci.bench.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** perf.json's shape, the Markdown table and the unit conversions, from made-up results. */
class PerfReportTest {
    private static final CaseResult MEASURED = new CaseResult("read-hybrid-100k", "ms-p50", 3.0, "raw-knn+bm25", 2.0,
            1.5, 1.5, true, null);
    private static final CaseResult MISSING = new CaseResult("ingest", "records/s", null, "e5-batch32", 120.0, null,
            0.85, false, "loci: benchmark not found: dev.loci.bench.perf.IngestBenchmark.ingest");

    @Test
    void jsonHasTheIssuesShape() {
        ObjectNode machine = JsonNodeFactory.instance.objectNode().put("cores", 2);
        JsonNode json = PerfReport.json(machine, true, List.of(MEASURED, MISSING));

        assertThat(json.get("machine").get("cores").asInt()).isEqualTo(2);
        assertThat(json.get("ratioIs").asText()).isEqualTo("loci / baselineValue");
        assertThat(json.get("quick").asBoolean()).isTrue();
        JsonNode first = json.get("cases").get(0);
        assertThat(first.properties()).extracting(java.util.Map.Entry::getKey).containsExactly("name", "unit", "loci",
                "baseline", "baselineValue", "ratio", "target", "lowerIsBetter");
        assertThat(first.get("loci").asDouble()).isEqualTo(3.0);
        assertThat(first.get("ratio").asDouble()).isEqualTo(1.5);
        assertThat(first.get("lowerIsBetter").asBoolean()).isTrue();
        JsonNode second = json.get("cases").get(1);
        assertThat(second.get("loci").isNull()).isTrue();
        assertThat(second.get("ratio").isNull()).isTrue();
        assertThat(second.get("target").asDouble()).isEqualTo(0.85);
        assertThat(second.get("note").asText()).contains("benchmark not found");
    }

    @Test
    void markdownShowsTheDirectionAndWhetherTheTargetIsMet() {
        CaseResult missed = new CaseResult("write-8-threads-throughput", "ops/s", 700.0, "journal", 1000.0, 0.7, 0.8,
                false, null);
        String table = PerfReport.markdown(List.of(MEASURED, MISSING, missed));

        assertThat(table.lines().toList()).hasSize(5);
        assertThat(table).contains("| read-hybrid-100k | ms-p50 | 3.00 | raw-knn+bm25 | 2.00 | 1.50 | ≤ 1.50 | yes |")
                .contains("| ingest | records/s | — | e5-batch32 | 120 | — | ≥ 0.85 | — | loci: benchmark not found")
                .contains("| 0.7 | ≥ 0.8 | **no** |");
    }

    @Test
    void numbersAreShortAndNeverExponentsAboveAThousandth() {
        assertThat(PerfReport.number(12345.678)).isEqualTo("12346");
        assertThat(PerfReport.number(12.345)).isEqualTo("12.3");
        assertThat(PerfReport.number(0.0213)).isEqualTo("0.0213");
        assertThat(PerfReport.number(1.0)).isEqualTo("1.00");
        assertThat(PerfReport.number(null)).isEqualTo("—");
    }

    @Test
    void unitsConvertWithinTheirKindOnly() {
        assertThat(Scale.MILLIS.convert(2500, "us/op")).isEqualTo(2.5);
        assertThat(Scale.MICROS.convert(3, "ms/op")).isEqualTo(3000);
        assertThat(Scale.SECONDS.convert(1500, "ms/op")).isEqualTo(1.5);
        assertThat(Scale.PER_SECOND.convert(2, "ops/ms")).isEqualTo(2000);
        assertThat(Scale.PER_SECOND.convert(120, "ops/min")).isEqualTo(2);
        assertThatThrownBy(() -> Scale.MILLIS.convert(1, "ops/s")).hasMessageContaining("reports a rate (ops/s)");
        assertThatThrownBy(() -> Scale.PER_SECOND.convert(1, "us/op")).hasMessageContaining("reports a time");
        assertThatThrownBy(() -> Scale.MILLIS.convert(1, "furlongs")).hasMessageContaining("\"furlongs\"");
    }

    @Test
    void machineSaysWhatRanWhere(@TempDir Path dir) throws IOException {
        JsonNode machine = Machine.describe(Instant.parse("2026-12-01T02:00:00Z"), 0.5, null);
        assertThat(machine.get("cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(machine.get("maxHeapBytes").asLong()).isPositive();
        assertThat(machine.get("javaVersion").asText()).isEqualTo(Runtime.version().toString());
        assertThat(machine.get("date").asText()).isEqualTo("2026-12-01T02:00:00Z");
        assertThat(machine.at("/load/start").asDouble()).isEqualTo(0.5);
        assertThat(machine.at("/load/end").isNull()).isTrue();
        assertThat(machine.at("/load/note").asText()).contains("1-minute load average");
        assertThat(machine.has("os") && machine.has("arch") && machine.has("cpu") && machine.has("commit")).isTrue();

        Path cpuinfo = Files.writeString(dir.resolve("cpuinfo"),
                "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\nprocessor\t: 1\n"
                        + "model name\t: AMD EPYC 7B13\n");
        assertThat(Machine.cpuModel(cpuinfo)).isEqualTo("AMD EPYC 7B13");
        assertThat(Machine.cpuModel(dir.resolve("missing"))).isNull();
    }
}
