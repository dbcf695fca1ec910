package dev.loci.bench.perf;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Where one number of a {@link PerfCase} comes from. Immutable. */
sealed interface Measure {
    /** A statistic of the primary result of one JMH run, converted to {@code scale}. */
    record Jmh(Run run, Stat stat, Scale scale) implements Measure {
        public Jmh {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(stat, "stat");
            Objects.requireNonNull(scale, "scale");
        }
    }

    /** A constant: an absolute bound stated by the issue, or the exact search's recall of 1. */
    record Fixed(double value) implements Measure {
    }

    /**
     * Loci's recall@10 against the exact top 10 over {@code size} documents ({@code VectorRecall}), the store's HNSW
     * looking for {@code candidates} neighbours ({@code LuceneStoreFactory.candidates}).
     */
    record RecallAt10(int size, int candidates) implements Measure {
    }

    /**
     * One JMH run: the benchmark method's full name ({@code dev.loci.bench.perf.RawLuceneBenchmark.knnPlusBm25}),
     * the {@code @Param} values it overrides, and the number of benchmark threads. Runs are equal when all three are,
     * so cases that share a run measure it once.
     */
    record Run(String benchmark, Map<String, String> params, int threads) {
        public Run {
            Objects.requireNonNull(benchmark, "benchmark");
            params = Map.copyOf(params);
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, was " + threads);
            }
        }

        /** The parameters in name order, for messages. */
        @Override
        public String toString() {
            return benchmark + (params.isEmpty() ? "" : " " + new TreeMap<>(params)) + (threads == 1 ? ""
                    : " threads=" + threads);
        }
    }

    /** Which number of a JMH result a case takes. */
    enum Stat {
        /** The median of the samples (SampleTime); over iterations in other modes. */
        P50,
        /** The 99th percentile of the samples (SampleTime). */
        P99,
        /** JMH's score: the mean time per operation, or operations per time unit. */
        SCORE;

        double of(JmhStats stats) {
            return switch (this) {
                case P50 -> stats.p50();
                case P99 -> stats.p99();
                case SCORE -> stats.score();
            };
        }
    }
}
