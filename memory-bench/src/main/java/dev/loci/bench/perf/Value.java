package dev.loci.bench.perf;

import org.jspecify.annotations.Nullable;

/** A measured number, or none and why ({@code note}); a number may carry a note too. Immutable. */
record Value(@Nullable Double value, @Nullable String note) {
    Value {
        if (value == null && note == null) {
            throw new IllegalArgumentException("a missing value needs a note saying why");
        }
        if (value != null && !Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be finite, was " + value);
        }
    }

    static Value of(double value) {
        return new Value(value, null);
    }

    static Value missing(String note) {
        return new Value(null, note);
    }
}
