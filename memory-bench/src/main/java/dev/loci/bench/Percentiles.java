package dev.loci.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of durations measured in nanoseconds. Stateless. */
final class Percentiles {
    private Percentiles() {
    }

    /**
     * The nearest-rank percentile: the smallest sample such that at least {@code p}% of the samples are at most it.
     *
     * @throws IllegalArgumentException if there are no samples or {@code p} is not within (0, 100]
     */
    static double millis(long[] nanos, double p) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be within (0, 100], was " + p);
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1] / 1_000_000.0;
    }
}
