package dev.loci.bench.perf;

import java.util.Objects;

/** The numbers taken from one JMH run's primary result, in its own {@code unit} ({@code us/op}, {@code ops/s}). */
record JmhStats(String unit, double score, double p50, double p99) {
    JmhStats {
        Objects.requireNonNull(unit, "unit");
    }
}
