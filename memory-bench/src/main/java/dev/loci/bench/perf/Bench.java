package dev.loci.bench.perf;

import org.jspecify.annotations.Nullable;

/** What measures the cases' numbers: JMH ({@link JmhBench}), or made-up numbers in tests. */
interface Bench {
    /** Runs one benchmark; never throws for a benchmark that is missing or fails, but says so in the outcome. */
    Outcome run(Measure.Run run);

    /** Loci's recall@10, or none and why. */
    Value recallAt10(Measure.RecallAt10 recall);

    /** An index's bytes per record, or none and why. */
    Value footprint(Measure.Footprint footprint);

    /** The numbers of one run, or none and why. */
    record Outcome(@Nullable JmhStats stats, @Nullable String note) {
        public Outcome {
            if (stats == null && note == null) {
                throw new IllegalArgumentException("an outcome without numbers needs a note saying why");
            }
        }

        static Outcome of(JmhStats stats) {
            return new Outcome(stats, null);
        }

        static Outcome missing(String note) {
            return new Outcome(null, note);
        }
    }
}
