package dev.loci.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the scores of one run and renders them as the benchmark's JSON. Metrics are means over questions, overall
 * and per category. Not thread-safe: one runner fills it.
 */
final class Scoreboard {
    /** The category numbers in the order the dataset's own code prints them: single-hop, multi-hop, temporal, ... */
    static final List<Integer> CATEGORY_ORDER = List.of(4, 1, 2, 3);

    private final List<Integer> ks;
    private final List<Integer> budgets;
    private final Map<Integer, Sums> byCategory = new LinkedHashMap<>();
    private final Sums overall;
    private final List<Long> writeNanos = new ArrayList<>();
    private final List<Long> readNanos = new ArrayList<>();
    private int conversations;
    private int turns;
    private int skippedNoEvidence;
    private int skippedCategory;
    private long ingestNanos;
    private long ingestCpuNanos;
    private long diskBytes;

    Scoreboard(List<Integer> ks, List<Integer> budgets) {
        this.ks = List.copyOf(ks);
        this.budgets = List.copyOf(budgets);
        this.overall = new Sums(this.ks.size(), this.budgets.size());
    }

    List<Integer> ks() {
        return ks;
    }

    List<Integer> budgets() {
        return budgets;
    }

    /** Scores one asked question against its (repaired, non-empty) evidence. */
    void score(int category, List<Scoring.Ranked> ranking, List<Scoring.Ranked> budgetRanking, List<String> evidence) {
        Sums sums = byCategory.computeIfAbsent(category, c -> new Sums(ks.size(), budgets.size()));
        for (Sums s : List.of(overall, sums)) {
            s.questions++;
            for (int i = 0; i < ks.size(); i++) {
                s.recall[i] += Scoring.recallAt(ranking, evidence, ks.get(i));
                s.hit[i] += Scoring.hitAt(ranking, evidence, ks.get(i));
            }
            for (int i = 0; i < budgets.size(); i++) {
                s.budget[i] += Scoring.budgetedRecall(budgetRanking, evidence, budgets.get(i));
            }
        }
    }

    void skippedNoEvidence() {
        skippedNoEvidence++;
    }

    void skippedCategory() {
        skippedCategory++;
    }

    void write(long nanos) {
        writeNanos.add(nanos);
    }

    void read(long nanos) {
        readNanos.add(nanos);
    }

    /** One conversation ingested: its turns, the wall and CPU time from first write to flushed, its size on disk. */
    void ingested(int turnCount, long wallNanos, long cpuNanos, long bytes) {
        conversations++;
        turns += turnCount;
        ingestNanos += wallNanos;
        ingestCpuNanos += cpuNanos;
        diskBytes += bytes;
    }

    int questions() {
        return overall.questions;
    }

    /** Mean recall@k over every asked question. */
    double recall(int k) {
        return overall.mean(overall.recall[indexOf(ks, k, "k")]);
    }

    ObjectNode toJson(String config, String data, String sha256) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("config", config);
        root.put("data", data);
        root.put("sha256", sha256);
        root.put("conversations", conversations);
        root.put("turns", turns);
        root.put("questions", overall.questions);
        ObjectNode skipped = root.putObject("skipped");
        skipped.put("adversarial", skippedCategory);
        skipped.put("noEvidence", skippedNoEvidence);
        metrics(root, overall);
        ObjectNode categories = root.putObject("byCategory");
        for (int category : CATEGORY_ORDER) {
            Sums sums = byCategory.get(category);
            if (sums != null) {
                ObjectNode node = categories.putObject(Locomo.categoryName(category));
                node.put("questions", sums.questions);
                metrics(node, sums);
            }
        }
        latency(root.putObject("readLatencyMs"), readNanos);
        latency(root.putObject("writeLatencyMs"), writeNanos);
        root.put("ingestSeconds", round(ingestNanos / 1e9, 3));
        root.put("ingestCpuMsPerTurn", turns == 0 ? 0 : round(ingestCpuNanos / 1e6 / turns, 3));
        root.put("diskBytes", diskBytes);
        return root;
    }

    private void metrics(ObjectNode node, Sums sums) {
        ObjectNode recall = node.putObject("recall");
        ObjectNode hit = node.putObject("hit");
        for (int i = 0; i < ks.size(); i++) {
            recall.put(String.valueOf(ks.get(i)), round(sums.mean(sums.recall[i]), 4));
            hit.put(String.valueOf(ks.get(i)), round(sums.mean(sums.hit[i]), 4));
        }
        ObjectNode budget = node.putObject("budgetedRecall");
        for (int i = 0; i < budgets.size(); i++) {
            budget.put(String.valueOf(budgets.get(i)), round(sums.mean(sums.budget[i]), 4));
        }
    }

    private static void latency(ObjectNode node, List<Long> nanos) {
        if (nanos.isEmpty()) {
            return;
        }
        long[] samples = nanos.stream().mapToLong(Long::longValue).toArray();
        node.put("p50", round(Percentiles.millis(samples, 50), 3));
        node.put("p99", round(Percentiles.millis(samples, 99), 3));
        node.put("count", samples.length);
    }

    private static int indexOf(List<Integer> values, int value, String what) {
        int i = values.indexOf(value);
        if (i < 0) {
            throw new IllegalArgumentException(what + " " + value + " was not measured; measured: " + values);
        }
        return i;
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    /** Running sums of one group of questions. */
    private static final class Sums {
        int questions;
        final double[] recall;
        final double[] hit;
        final double[] budget;

        Sums(int ks, int budgets) {
            recall = new double[ks];
            hit = new double[ks];
            budget = new double[budgets];
        }

        double mean(double sum) {
            return questions == 0 ? 0 : sum / questions;
        }
    }
}
