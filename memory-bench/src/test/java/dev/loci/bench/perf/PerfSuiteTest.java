package dev.loci.bench.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.loci.bench.perf.Measure.Fixed;
import dev.loci.bench.perf.Measure.Jmh;
import dev.loci.bench.perf.Measure.RecallAt10;
import dev.loci.bench.perf.Measure.Run;
import dev.loci.bench.perf.Measure.Stat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cases' numbers, ratios and notes, from made-up JMH results: nothing is run or timed. */
class PerfSuiteTest {
    /** Answers from a table of made-up results; a benchmark not in it is "not found", as JMH would say. */
    private static final class FakeBench implements Bench {
        final Map<String, JmhStats> results = new HashMap<>();
        final List<Run> runs = new ArrayList<>();
        Value recall = Value.missing("not measured: no VectorRecall here");

        FakeBench with(String benchmark, JmhStats stats) {
            results.put(benchmark, stats);
            return this;
        }

        @Override
        public Outcome run(Run run) {
            runs.add(run);
            JmhStats stats = results.get(run.benchmark());
            return stats == null ? Outcome.missing("benchmark not found: " + run.benchmark()) : Outcome.of(stats);
        }

        @Override
        public Value recallAt10(Measure.RecallAt10 measure) {
            return recall;
        }

        @Override
        public Value footprint(Measure.Footprint measure) {
            return Value.missing("not measured: no index here");
        }
    }

    private static Run run(String benchmark) {
        return new Run(benchmark, Map.of("size", "10000"), 1);
    }

    @Test
    void theRatioIsLociOverTheBaselineFromTheRawValuesInTheCaseUnit() {
        FakeBench bench = new FakeBench()
                .with("loci.read", new JmhStats("us/op", 2600, 2000, 9000))
                .with("raw.read", new JmhStats("us/op", 1100, 1000, 2000));
        PerfCase p50 = new PerfCase("read-p50", "ms-p50", new Jmh(run("loci.read"), Stat.P50, Scale.MILLIS), "raw",
                new Jmh(run("raw.read"), Stat.P50, Scale.MILLIS), 1.5, true, true);
        PerfCase p99 = new PerfCase("read-p99", "ms-p99", new Jmh(run("loci.read"), Stat.P99, Scale.MILLIS), "raw",
                new Jmh(run("raw.read"), Stat.P99, Scale.MILLIS), 5.0, true, true);

        List<CaseResult> results = new PerfSuite(bench).run(List.of(p50, p99), false);

        CaseResult first = results.getFirst();
        assertThat(first.loci()).isEqualTo(2.0); // 2000 us in ms
        assertThat(first.baselineValue()).isEqualTo(1.0);
        assertThat(first.ratio()).isEqualTo(2.0);
        assertThat(first.met()).isFalse(); // 2.0 > 1.5
        assertThat(first.note()).isNull();
        CaseResult second = results.get(1);
        assertThat(second.loci()).isEqualTo(9.0);
        assertThat(second.ratio()).isEqualTo(4.5);
        assertThat(second.met()).isTrue(); // 4.5 <= 5
        assertThat(bench.runs).as("a run shared by cases is made once").hasSize(2);
    }

    @Test
    void higherIsBetterMeetsItsTargetFromBelow() {
        FakeBench bench = new FakeBench()
                .with("loci.write", new JmhStats("ops/ms", 9, 9, 9))
                .with("journal", new JmhStats("ops/s", 10_000, 10_000, 10_000));
        PerfCase write = new PerfCase("write", "ops/s",
                new Jmh(new Run("loci.write", Map.of(), 8), Stat.SCORE, Scale.PER_SECOND), "journal",
                new Jmh(new Run("journal", Map.of(), 1), Stat.SCORE, Scale.PER_SECOND), 0.8, false, true);
        PerfCase tooHigh = new PerfCase("write-strict", "ops/s",
                new Jmh(new Run("loci.write", Map.of(), 8), Stat.SCORE, Scale.PER_SECOND), "journal",
                new Jmh(new Run("journal", Map.of(), 1), Stat.SCORE, Scale.PER_SECOND), 0.95, false, true);

        List<CaseResult> results = new PerfSuite(bench).run(List.of(write, tooHigh), false);

        assertThat(results.getFirst().loci()).isEqualTo(9000.0); // 9 ops/ms
        assertThat(results.getFirst().ratio()).isCloseTo(0.9, within(1e-12)); // still loci / baseline
        assertThat(results.getFirst().met()).isTrue();
        assertThat(results.get(1).met()).isFalse();
        assertThat(bench.runs).extracting(Run::threads).containsExactly(8, 1);
    }

    @Test
    void aMissingBenchmarkLeavesItsNumberOutWithANoteAndTheRunGoesOn() {
        FakeBench bench = new FakeBench().with("raw.read", new JmhStats("us/op", 1100, 1000, 2000));
        PerfCase read = new PerfCase("read", "ms-p50", new Jmh(run("loci.read"), Stat.P50, Scale.MILLIS), "raw",
                new Jmh(run("raw.read"), Stat.P50, Scale.MILLIS), 1.5, true, true);
        PerfCase absolute = new PerfCase("short-term", "us-p99", new Jmh(run("loci.short"), Stat.P99, Scale.MICROS),
                "absolute", new Fixed(100), 1.0, true, true);

        List<CaseResult> results = new PerfSuite(bench).run(List.of(read, absolute), false);

        CaseResult first = results.getFirst();
        assertThat(first.loci()).isNull();
        assertThat(first.baselineValue()).isEqualTo(1.0);
        assertThat(first.ratio()).isNull();
        assertThat(first.met()).isNull();
        assertThat(first.target()).isEqualTo(1.5);
        assertThat(first.note()).isEqualTo("loci: benchmark not found: loci.read");
        assertThat(results.get(1).baselineValue()).isEqualTo(100.0);
        assertThat(results.get(1).note()).contains("benchmark not found");
    }

    @Test
    void aCaseWithoutBaselineHasNoRatioAndNoTarget() {
        FakeBench bench = new FakeBench().with("consolidate", new JmhStats("ops/s", 50, 50, 50));
        PerfCase consolidate = new PerfCase("consolidate", "ops/s",
                new Jmh(run("consolidate"), Stat.SCORE, Scale.PER_SECOND), null, null, null, false, true);

        CaseResult result = new PerfSuite(bench).run(List.of(consolidate), false).getFirst();

        assertThat(result.loci()).isEqualTo(50.0);
        assertThat(result.baseline()).isNull();
        assertThat(result.baselineValue()).isNull();
        assertThat(result.ratio()).isNull();
        assertThat(result.met()).isNull();
    }

    @Test
    void aUnitOfTheWrongKindIsANoteNotAWrongNumber() {
        FakeBench bench = new FakeBench().with("loci.read", new JmhStats("ops/s", 500, 500, 500));
        PerfCase read = new PerfCase("read", "ms-p50", new Jmh(run("loci.read"), Stat.P50, Scale.MILLIS), "absolute",
                new Fixed(1), 1.0, true, true);

        CaseResult result = new PerfSuite(bench).run(List.of(read), false).getFirst();

        assertThat(result.loci()).isNull();
        assertThat(result.note()).contains("loci.read").contains("reports a rate (ops/s)");
    }

    @Test
    void recallComesFromVectorRecallAgainstTheExactOne() {
        FakeBench bench = new FakeBench();
        PerfCase recall = new PerfCase("vector-recall", "recall@10", new RecallAt10(10_000, 100), "exact",
                new Fixed(1.0), 0.95, false, true);
        CaseResult missing = new PerfSuite(bench).run(List.of(recall), false).getFirst();
        assertThat(missing.loci()).isNull();
        assertThat(missing.baselineValue()).isEqualTo(1.0);
        assertThat(missing.note()).startsWith("loci: not measured");

        bench.recall = Value.of(0.97);
        CaseResult measured = new PerfSuite(bench).run(List.of(recall), false).getFirst();
        assertThat(measured.ratio()).isEqualTo(0.97);
        assertThat(measured.met()).isTrue();
    }

    @Test
    void quickRunsTheTenThousandCasesAndListsTheLargerOnesAsSkipped() {
        FakeBench bench = new FakeBench();
        List<PerfCase> all = PerfCases.all();

        List<CaseResult> results = new PerfSuite(bench).run(all, true);

        assertThat(results).extracting(CaseResult::name).containsExactlyElementsOf(
                all.stream().map(PerfCase::name).toList());
        for (CaseResult result : results) {
            boolean large = result.name().matches(".*-(100k|1m)(-.*)?");
            if (large) {
                assertThat(result.note()).as(result.name()).isEqualTo(CaseResult.SKIPPED_QUICK);
                assertThat(result.loci()).isNull();
                assertThat(result.baselineValue()).isNull();
            } else {
                assertThat(result.note()).as(result.name()).isNotEqualTo(CaseResult.SKIPPED_QUICK);
            }
        }
        assertThat(bench.runs).as("no run at 100K or 1M")
                .allSatisfy(run -> assertThat(run.params().getOrDefault("size", "10000")).isEqualTo("10000"));
        assertThat(bench.runs).extracting(Run::benchmark).contains(PerfCases.LOCI_READ, PerfCases.RAW_HYBRID,
                PerfCases.IN_MEMORY, PerfCases.BRUTE_FORCE, PerfCases.LOCI_WRITE_LATENCY, PerfCases.INGEST);
    }
}
