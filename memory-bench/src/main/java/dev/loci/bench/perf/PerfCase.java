package dev.loci.bench.perf;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One line of {@code perf.json}: Loci's number ({@code loci}, in {@code unit}) against a baseline's
 * ({@code baseline} names it, {@code baselineMeasure} measures it; both absent for a case without a baseline).
 * {@code target} bounds {@code loci / baselineValue}: at most the target if {@code lowerIsBetter}, at least it
 * otherwise; absent where the issue sets none. {@code quick} cases also run under {@code --quick}. Immutable.
 */
record PerfCase(String name, String unit, Measure loci, @Nullable String baseline, @Nullable Measure baselineMeasure,
                @Nullable Double target, boolean lowerIsBetter, boolean quick) {
    PerfCase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(loci, "loci");
        if ((baseline == null) != (baselineMeasure == null)) {
            throw new IllegalArgumentException(name + ": a baseline needs both a name and a measure");
        }
        if (target != null && baseline == null) {
            throw new IllegalArgumentException(name + ": a target bounds a ratio, which needs a baseline");
        }
    }
}
