package dev.loci.bench.perf;

import dev.loci.bench.perf.Measure.Fixed;
import dev.loci.bench.perf.Measure.Footprint;
import dev.loci.bench.perf.Measure.Footprint.Part;
import dev.loci.bench.perf.Measure.Jmh;
import dev.loci.bench.perf.Measure.RecallAt10;
import dev.loci.bench.perf.Measure.Run;
import dev.loci.bench.perf.Measure.Stat;
import dev.loci.lucene.LuceneStore.Quantization;
import dev.loci.lucene.LuceneStoreFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The cases of issue 6 ("Performance") and their targets. Loci's own benchmarks are named by strings, not class
 * literals, so this compiles and runs without them: a case whose benchmark is not in the jar reports no number and
 * says so. Every run is single-threaded unless the case says otherwise. Stateless.
 */
final class PerfCases {
    static final String PACKAGE = "dev.loci.bench.perf.";
    static final String LOCI_READ = PACKAGE + "LociReadBenchmark.hybridTop10";
    static final String RAW_HYBRID = PACKAGE + "RawLuceneBenchmark.knnPlusBm25";
    static final String IN_MEMORY = PACKAGE + "InMemoryStoreBenchmark.search";
    static final String BRUTE_FORCE = PACKAGE + "BruteForceBenchmark.exactTop10";
    static final String LOCI_WRITE_LATENCY = PACKAGE + "LociWriteBenchmark.writeLatency";
    static final String LOCI_WRITE_THROUGHPUT = PACKAGE + "LociWriteBenchmark.writeThroughput";
    static final String LOCI_WRITE_BATCH = PACKAGE + "LociWriteBenchmark.writeBatchThroughput";
    static final String JOURNAL_LATENCY = PACKAGE + "JournalAppendBenchmark.appendForceLatency";
    static final String JOURNAL_GROUP = PACKAGE + "JournalAppendBenchmark.groupCommit64";
    static final String INGEST = PACKAGE + "IngestBenchmark.ingest";
    static final String EMBED_BATCH = PACKAGE + "EmbedderBenchmark.batch32";
    static final String EMBED_ONE = PACKAGE + "EmbedderBenchmark.batch1";
    static final String SHORT_TERM_READ = PACKAGE + "ShortTermReadBenchmark.read";
    static final String RECOVERY = PACKAGE + "RecoveryBenchmark.reopen";
    static final String CONSOLIDATE = PACKAGE + "ConsolidateBenchmark.consolidate";

    /** The numbers of HNSW candidates the recall curve tries besides the store's default. */
    static final int[] CANDIDATES_CURVE = {10, 25, 100, 200};

    /** The size {@code --quick} keeps; cases over larger corpora are skipped. */
    static final int QUICK_SIZE = 10_000;

    private PerfCases() {
    }

    /** Every case, in the order perf.json lists them. */
    static List<PerfCase> all() {
        List<PerfCase> cases = new ArrayList<>();
        for (int size : new int[] {10_000, 100_000, 1_000_000}) {
            boolean quick = size == QUICK_SIZE;
            Run loci = lociRead(size, 1);
            Run raw = single(RAW_HYBRID, size);
            // The issue states targets for 100K and 1M; 10K is reported for reference.
            cases.add(new PerfCase("read-hybrid-" + label(size), "ms-p50", ms(loci, Stat.P50), "raw-knn+bm25",
                    ms(raw, Stat.P50), quick ? null : 1.5, true, quick));
            cases.add(new PerfCase("read-hybrid-" + label(size) + "-p99", "ms-p99", ms(loci, Stat.P99),
                    "raw-knn+bm25", ms(raw, Stat.P99), quick ? null : 3.0, true, quick));
        }
        for (int size : new int[] {100_000, 1_000_000}) {
            // For reference: the raw components asked for as many HNSW candidates as Loci's store, which is what
            // buys its recall (the issue measured recall@10 0.88 at 100K and 0.43 at 1M for k = 10).
            int candidates = LuceneStoreFactory.DEFAULT_CANDIDATES;
            cases.add(new PerfCase("read-hybrid-" + label(size) + "-raw-same-candidates", "ms-p50",
                    ms(lociRead(size, 1), Stat.P50), "raw-knn-" + candidates + "-candidates+bm25",
                    ms(new Run(RAW_HYBRID, Map.of("size", Integer.toString(size), "candidates",
                            Integer.toString(candidates)), 1), Stat.P50), null, true, false));
        }
        cases.add(new PerfCase("read-hybrid-100k-1000-scopes", "ms-p50", ms(lociRead(100_000, 1000), Stat.P50),
                "raw-knn+bm25", ms(single(RAW_HYBRID, 100_000), Stat.P50), 1.5, true, false));
        for (int size : new int[] {10_000, 100_000}) {
            boolean quick = size == QUICK_SIZE;
            // At least 50 times faster than LangChain4j's in-memory store: loci / store <= 1/50.
            cases.add(new PerfCase("read-vs-inmemorystore-" + label(size), "ms-p50", ms(lociRead(size, 1), Stat.P50),
                    "langchain4j-inmemory", ms(single(IN_MEMORY, size), Stat.P50), quick ? null : 0.02, true,
                    quick));
        }
        for (int size : new int[] {10_000, 100_000}) {
            boolean quick = size == QUICK_SIZE;
            // For reference, no target: the exact Vector API scan is what a search costs with no index at all.
            cases.add(new PerfCase("read-vs-brute-force-" + label(size), "ms-p50", ms(lociRead(size, 1), Stat.P50),
                    "brute-force-exact-scan", ms(single(BRUTE_FORCE, size), Stat.P50), null, true, quick));
        }
        for (int size : new int[] {100_000, 1_000_000}) {
            cases.add(new PerfCase("vector-recall-" + label(size), "recall@10",
                    new RecallAt10(size, LuceneStoreFactory.DEFAULT_CANDIDATES), "exact", new Fixed(1.0), 0.95, false,
                    false));
            // The curve the issue asks for: recall (and, in the note, time) for fewer and more HNSW candidates.
            for (int candidates : CANDIDATES_CURVE) {
                cases.add(new PerfCase("vector-recall-" + label(size) + "-candidates-" + candidates, "recall@10",
                        new RecallAt10(size, candidates), "exact", new Fixed(1.0), null, false, false));
            }
        }
        // Quantisation (issue 6: "default chosen by measurement") and footprint, at 100K: recall and search time of
        // each option, and bytes per record, of the whole index and of what HNSW keeps reading.
        int size = 100_000;
        Footprint floats = new Footprint(size, false, Quantization.NONE, Part.INDEX);
        Footprint floatsSearched = new Footprint(size, false, Quantization.NONE, Part.SEARCHED);
        cases.add(new PerfCase("footprint-100k-index", "bytes/record", floats, "raw-lucene-index",
                new Footprint(size, true, Quantization.NONE, Part.INDEX), null, true, false));
        cases.add(new PerfCase("footprint-100k-hnsw-working-set", "bytes/record", floatsSearched,
                "raw-lucene-hnsw-working-set", new Footprint(size, true, Quantization.NONE, Part.SEARCHED), null, true,
                false));
        cases.add(new PerfCase("footprint-100k-journal", "bytes/record",
                new Footprint(size, false, Quantization.NONE, Part.JOURNAL), null, null, null, true, false));
        for (Quantization q : List.of(Quantization.INT8, Quantization.INT4, Quantization.BINARY)) {
            String name = q.name().toLowerCase(Locale.ROOT);
            cases.add(new PerfCase("vector-recall-100k-" + name, "recall@10",
                    new RecallAt10(size, LuceneStoreFactory.DEFAULT_CANDIDATES, q), "exact", new Fixed(1.0), null,
                    false, false));
            cases.add(new PerfCase("footprint-100k-index-" + name, "bytes/record",
                    new Footprint(size, false, q, Part.INDEX), "loci-float-index", floats, null, true, false));
            cases.add(new PerfCase("footprint-100k-hnsw-working-set-" + name, "bytes/record",
                    new Footprint(size, false, q, Part.SEARCHED), "loci-float-hnsw-working-set", floatsSearched, null,
                    true, false));
        }
        cases.add(new PerfCase("write-1-thread-p50", "us-p50",
                new Jmh(new Run(LOCI_WRITE_LATENCY, Map.of(), 1), Stat.P50, Scale.MICROS), "raw-journal-append+force",
                new Jmh(new Run(JOURNAL_LATENCY, Map.of(), 1), Stat.P50, Scale.MICROS), 1.3, true, true));
        // For reference: the same write with the testkit's map as the store, so the indexer's Lucene work (HNSW) no
        // longer competes with the writer for the two cores.
        cases.add(new PerfCase("write-1-thread-p50-exact-store", "us-p50",
                new Jmh(new Run(LOCI_WRITE_LATENCY, Map.of("store", "exact"), 1), Stat.P50, Scale.MICROS),
                "raw-journal-append+force",
                new Jmh(new Run(JOURNAL_LATENCY, Map.of(), 1), Stat.P50, Scale.MICROS), null, true, true));
        for (int threads : new int[] {2, 8}) {
            cases.add(new PerfCase("write-" + threads + "-threads-throughput", "ops/s",
                    perSecond(new Run(LOCI_WRITE_THROUGHPUT, Map.of(), threads)), "raw-journal-group-commit-64",
                    perSecond(new Run(JOURNAL_GROUP, Map.of(), 1)), threads == 8 ? 0.8 : null, false, true));
        }
        // For reference: the batch write (Memory.writeAll) of as many records as the raw group commit's, one thread.
        cases.add(new PerfCase("write-batch-64-throughput", "records/s",
                perSecond(new Run(LOCI_WRITE_BATCH, Map.of(), 1)), "raw-journal-group-commit-64",
                perSecond(new Run(JOURNAL_GROUP, Map.of(), 1)), null, false, true));
        cases.add(new PerfCase("ingest", "records/s", perSecond(new Run(INGEST, Map.of(), 1)), "e5-batch32",
                perSecond(new Run(EMBED_BATCH, Map.of(), 1)), 0.85, false, true));
        // For reference: the model one text per call, what an embedding path without batching would reach.
        cases.add(new PerfCase("ingest-vs-e5-batch-1", "records/s", perSecond(new Run(INGEST, Map.of(), 1)),
                "e5-batch1", perSecond(new Run(EMBED_ONE, Map.of(), 1)), null, false, true));
        cases.add(new PerfCase("short-term-read-p99", "us-p99",
                new Jmh(new Run(SHORT_TERM_READ, Map.of(), 1), Stat.P99, Scale.MICROS), "absolute", new Fixed(100),
                1.0, true, true));
        cases.add(new PerfCase("recovery-100k-10k", "s",
                new Jmh(new Run(RECOVERY, Map.of(), 1), Stat.SCORE, Scale.SECONDS), "absolute", new Fixed(10), 1.0,
                true, false));
        cases.add(new PerfCase("consolidate", "records/s", perSecond(new Run(CONSOLIDATE, Map.of(), 1)), null,
                null, null, false, true));
        return List.copyOf(cases);
    }

    private static Run lociRead(int size, int scopes) {
        return new Run(LOCI_READ, Map.of("size", Integer.toString(size), "scopes", Integer.toString(scopes)), 1);
    }

    private static Run single(String benchmark, int size) {
        return new Run(benchmark, Map.of("size", Integer.toString(size)), 1);
    }

    private static Jmh ms(Run run, Stat stat) {
        return new Jmh(run, stat, Scale.MILLIS);
    }

    private static Jmh perSecond(Run run) {
        return new Jmh(run, Stat.SCORE, Scale.PER_SECOND);
    }

    /** 10000 as "10k", 1000000 as "1m". */
    static String label(int size) {
        if (size % 1_000_000 == 0) {
            return size / 1_000_000 + "m";
        }
        if (size % 1000 == 0) {
            return size / 1000 + "k";
        }
        return Integer.toString(size);
    }

    static @Nullable PerfCase named(List<PerfCase> cases, String name) {
        return cases.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }
}
