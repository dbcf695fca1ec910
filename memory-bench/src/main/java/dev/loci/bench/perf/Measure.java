package dev.loci.bench.perf;

import dev.loci.lucene.LuceneStore.Quantization;
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
    record RecallAt10(int size, int candidates, Quantization quantization) implements Measure {
        public RecallAt10 {
            Objects.requireNonNull(quantization, "quantization");
        }

        RecallAt10(int size, int candidates) {
            this(size, candidates, Quantization.NONE);
        }
    }

    /**
     * Bytes per record of an index over {@code size} documents: Loci's long-term store ({@code LociMemories}, one
     * scope) with the given quantisation, or the raw Lucene baseline's index ({@code RawLuceneIndex}) if
     * {@code raw}; all of it, or only what an HNSW search keeps reading ({@link Part#SEARCHED}).
     */
    record Footprint(int size, boolean raw, Quantization quantization, Part part) implements Measure {
        public Footprint {
            Objects.requireNonNull(quantization, "quantization");
            Objects.requireNonNull(part, "part");
            if (raw && quantization != Quantization.NONE) {
                throw new IllegalArgumentException("the raw index has float vectors only");
            }
        }

        /** Which bytes a footprint counts. */
        enum Part {
            /** Every file of the index's last commit. */
            INDEX,
            /** The HNSW graph and the vectors it walks on (the quantised ones where there are). */
            SEARCHED,
            /** Loci's journal (not for the raw index). */
            JOURNAL
        }
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
