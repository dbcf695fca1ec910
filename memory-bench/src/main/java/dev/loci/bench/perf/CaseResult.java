package dev.loci.bench.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One measured case, as perf.json lists it. {@code ratio} is {@code loci / baselineValue} whenever both are there
 * (and the baseline is not zero), whatever the direction; {@code target} bounds the ratio, from above if
 * {@code lowerIsBetter}, from below otherwise. {@code note} says why a number is missing or what to keep in mind.
 * Immutable.
 */
record CaseResult(String name, String unit, @Nullable Double loci, @Nullable String baseline,
                  @Nullable Double baselineValue, @Nullable Double ratio, @Nullable Double target,
                  boolean lowerIsBetter, @Nullable String note) {
    static final String SKIPPED_QUICK = "skipped (--quick)";

    CaseResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
    }

    /** The result of {@code perfCase} from the two measured values; the ratio is computed here. */
    static CaseResult of(PerfCase perfCase, Value loci, @Nullable Value baseline) {
        List<String> notes = new ArrayList<>();
        if (loci.note() != null) {
            notes.add("loci: " + loci.note());
        }
        if (baseline != null && baseline.note() != null) {
            notes.add("baseline: " + baseline.note());
        }
        Double baselineValue = baseline == null ? null : baseline.value();
        Double ratio = loci.value() != null && baselineValue != null && baselineValue != 0
                ? loci.value() / baselineValue : null;
        return new CaseResult(perfCase.name(), perfCase.unit(), loci.value(), perfCase.baseline(), baselineValue,
                ratio, perfCase.target(), perfCase.lowerIsBetter(), notes.isEmpty() ? null : String.join("; ", notes));
    }

    /** The case, not run, with {@code note} saying why. */
    static CaseResult notRun(PerfCase perfCase, String note) {
        return new CaseResult(perfCase.name(), perfCase.unit(), null, perfCase.baseline(), null, null,
                perfCase.target(), perfCase.lowerIsBetter(), note);
    }

    /** Whether the ratio is within the target; absent when there is no target or no ratio. */
    @Nullable Boolean met() {
        if (target == null || ratio == null) {
            return null;
        }
        return lowerIsBetter ? ratio <= target : ratio >= target;
    }
}
