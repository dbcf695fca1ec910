package dev.loci.bench.perf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Measures a list of cases with a {@link Bench}. A JMH run shared by several cases (Loci's read at 100K is the
 * numerator of four) is made once. A missing or failed benchmark leaves its number out with a note; nothing here
 * throws for it. Not thread-safe; {@link #run} blocks while the benchmarks run.
 */
final class PerfSuite {
    private final Bench bench;
    private final Map<Measure.Run, Bench.Outcome> runs = new HashMap<>();

    PerfSuite(Bench bench) {
        this.bench = bench;
    }

    /** Every case in order; with {@code quick}, the cases not marked quick are listed as skipped, not run. */
    List<CaseResult> run(List<PerfCase> cases, boolean quick) {
        List<CaseResult> results = new ArrayList<>(cases.size());
        for (PerfCase perfCase : cases) {
            if (quick && !perfCase.quick()) {
                results.add(CaseResult.notRun(perfCase, CaseResult.SKIPPED_QUICK));
                continue;
            }
            Value loci = measure(perfCase.loci());
            Measure baselineMeasure = perfCase.baselineMeasure();
            Value baseline = baselineMeasure == null ? null : measure(baselineMeasure);
            results.add(CaseResult.of(perfCase, loci, baseline));
        }
        return List.copyOf(results);
    }

    private Value measure(Measure measure) {
        return switch (measure) {
            case Measure.Fixed fixed -> Value.of(fixed.value());
            case Measure.RecallAt10 recall -> bench.recallAt10(recall);
            case Measure.Footprint footprint -> bench.footprint(footprint);
            case Measure.Jmh jmh -> fromJmh(jmh, runs.computeIfAbsent(jmh.run(), bench::run));
        };
    }

    private static Value fromJmh(Measure.Jmh jmh, Bench.Outcome outcome) {
        JmhStats stats = outcome.stats();
        if (stats == null) {
            return Value.missing(noteOrElse(outcome.note(), "no result"));
        }
        double value;
        try {
            value = jmh.scale().convert(jmh.stat().of(stats), stats.unit());
        } catch (IllegalArgumentException e) {
            return Value.missing(jmh.run().benchmark() + ": " + e.getMessage());
        }
        if (!Double.isFinite(value)) {
            return Value.missing(jmh.run().benchmark() + ": JMH gave no " + jmh.stat() + " (" + value + ")");
        }
        return new Value(value, outcome.note());
    }

    private static String noteOrElse(@Nullable String note, String fallback) {
        return note == null ? fallback : note;
    }
}
