package dev.loci.bench;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The per-question metrics, pure functions of a ranking and the question's evidence ids. Stateless.
 *
 * <ul>
 *   <li><b>recall@k</b>: the share of the evidence ids found among the source ids of the first {@code k} results
 *       (all results if there are fewer than {@code k}).</li>
 *   <li><b>hit@k</b>: 1 if recall@k is 1 (every evidence id was found), else 0.</li>
 *   <li><b>budgeted recall@B</b>: results are taken in rank order while the total words of their text stay within
 *       {@code B}; the first result that would take the total past {@code B} is <em>not</em> taken, and nothing after
 *       it either. Recall is then measured over the results taken.</li>
 * </ul>
 */
final class Scoring {
    private Scoring() {
    }

    /**
     * One result as the metrics see it.
     *
     * @param sourceIds the ids of the turns it came from
     * @param words     how many words its text has
     */
    record Ranked(List<String> sourceIds, int words) {
        Ranked {
            sourceIds = List.copyOf(sourceIds);
            if (words < 0) {
                throw new IllegalArgumentException("words must not be negative, was " + words);
            }
        }
    }

    /** Words of a text: runs of non-whitespace characters. */
    static int words(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? 0 : stripped.split("\\s+").length;
    }

    static double recallAt(List<Ranked> ranking, List<String> evidence, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        return covered(ranking.subList(0, Math.min(k, ranking.size())), evidence);
    }

    static double hitAt(List<Ranked> ranking, List<String> evidence, int k) {
        return recallAt(ranking, evidence, k) == 1.0 ? 1.0 : 0.0;
    }

    static double budgetedRecall(List<Ranked> ranking, List<String> evidence, int budgetWords) {
        if (budgetWords < 1) {
            throw new IllegalArgumentException("budget must be at least 1 word, was " + budgetWords);
        }
        int taken = 0;
        int total = 0;
        while (taken < ranking.size() && total + ranking.get(taken).words() <= budgetWords) {
            total += ranking.get(taken).words();
            taken++;
        }
        return covered(ranking.subList(0, taken), evidence);
    }

    private static double covered(List<Ranked> results, List<String> evidence) {
        Set<String> wanted = new HashSet<>(Objects.requireNonNull(evidence, "evidence must not be null"));
        if (wanted.isEmpty()) {
            throw new IllegalArgumentException("a scored question needs at least one evidence id");
        }
        Set<String> found = new HashSet<>();
        for (Ranked result : results) {
            for (String id : result.sourceIds()) {
                if (wanted.contains(id)) {
                    found.add(id);
                }
            }
        }
        return (double) found.size() / wanted.size();
    }
}
