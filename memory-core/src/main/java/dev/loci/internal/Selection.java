package dev.loci.internal;

import dev.loci.Embedding;
import dev.loci.Query;
import dev.loci.Recall;
import dev.loci.spi.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * What a read returns of the fused ranking: at most the query's limit, diversified by maximal marginal relevance if
 * the query asks for {@linkplain Query#diversity() diversity}, then packed to its {@linkplain Query#budget()
 * budget}. Pure functions.
 */
final class Selection {
    private Selection() {
    }

    /** How many fused candidates a read should hand to {@link #select}. */
    static int pool(Query query) {
        return query.diversity() > 0 ? Math.min(Query.MAX_LIMIT, query.limit() * 3) : query.limit();
    }

    static List<Recall> select(List<Recall> ranked, Query query, Tokenizer tokenizer) {
        List<Recall> chosen = query.diversity() > 0 ? diversify(ranked, query.diversity(), query.limit())
                : ranked.subList(0, Math.min(query.limit(), ranked.size()));
        return query.budget() > 0 ? pack(chosen, query.budget(), tokenizer) : List.copyOf(chosen);
    }

    /**
     * Carbonell and Goldstein's MMR: repeatedly take the candidate maximising {@code (1 - diversity) * relevance -
     * diversity * (its greatest cosine similarity to one already taken)}, relevance being the fused score divided by
     * the best one. A record not embedded yet is similar to nothing.
     */
    static List<Recall> diversify(List<Recall> ranked, double diversity, int limit) {
        if (ranked.isEmpty()) {
            return List.of();
        }
        double best = ranked.get(0).score();
        List<Recall> left = new ArrayList<>(ranked);
        List<Recall> chosen = new ArrayList<>();
        while (!left.isEmpty() && chosen.size() < limit) {
            Recall pick = null;
            double pickValue = Double.NEGATIVE_INFINITY;
            for (Recall candidate : left) { // in rank order, so ties keep the fused order
                double relevance = best > 0 ? candidate.score() / best : 0;
                double value = (1 - diversity) * relevance - diversity * maxSimilarity(candidate, chosen);
                if (value > pickValue) {
                    pick = candidate;
                    pickValue = value;
                }
            }
            chosen.add(pick);
            left.remove(pick);
        }
        return chosen;
    }

    private static double maxSimilarity(Recall candidate, List<Recall> chosen) {
        Embedding e = candidate.record().embedding();
        double max = 0;
        for (Recall other : chosen) {
            Embedding o = other.record().embedding();
            if (e != null && o != null && e.dimension() == o.dimension()) {
                max = Math.max(max, e.cosine(o.vector()));
            }
        }
        return max;
    }

    /** The results in rank order while their texts fit the budget together; the first that does not ends the list. */
    static List<Recall> pack(List<Recall> ranked, int budget, Tokenizer tokenizer) {
        List<Recall> packed = new ArrayList<>();
        int used = 0;
        for (Recall recall : ranked) {
            int tokens = tokenizer.count(recall.record().text());
            if (used + tokens > budget) {
                break;
            }
            used += tokens;
            packed.add(recall);
        }
        return List.copyOf(packed);
    }
}
