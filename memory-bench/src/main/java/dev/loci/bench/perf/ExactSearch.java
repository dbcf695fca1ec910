package dev.loci.bench.perf;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Exact top-k by dot product over vectors laid one after another in a {@code float[]}, with the JDK Vector API
 * ({@link FloatVector#SPECIES_PREFERRED}): for unit vectors, the exact cosine top-k. Needs
 * {@code --add-modules jdk.incubator.vector}. Stateless and thread-safe; a search does not block.
 */
public final class ExactSearch {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private ExactSearch() {
    }

    /** The {@code k} best documents, best first, ties to the lower index. The arrays are copied in and out. */
    public record Hits(int[] docs, float[] scores) {
        public Hits {
            docs = docs.clone();
            scores = scores.clone();
        }

        @Override
        public int[] docs() {
            return docs.clone();
        }

        @Override
        public float[] scores() {
            return scores.clone();
        }
    }

    /**
     * The top {@code k} of the {@code vectors.length / query.length} vectors by dot product with {@code query}
     * (fewer if there are fewer vectors).
     */
    public static Hits top(float[] vectors, float[] query, int k) {
        int dimension = query.length;
        int count = vectors.length / dimension;
        int[] docs = new int[Math.min(k, count)];
        float[] scores = new float[docs.length];
        Arrays.fill(scores, Float.NEGATIVE_INFINITY);
        int bound = SPECIES.loopBound(dimension);
        for (int doc = 0, offset = 0; doc < count; doc++, offset += dimension) {
            FloatVector sum = FloatVector.zero(SPECIES);
            int i = 0;
            for (; i < bound; i += SPECIES.length()) {
                FloatVector q = FloatVector.fromArray(SPECIES, query, i);
                sum = q.fma(FloatVector.fromArray(SPECIES, vectors, offset + i), sum);
            }
            float score = sum.reduceLanes(VectorOperators.ADD);
            for (; i < dimension; i++) {
                score += query[i] * vectors[offset + i];
            }
            if (docs.length > 0 && score > scores[docs.length - 1]) {
                int at = docs.length - 1;
                while (at > 0 && score > scores[at - 1]) {
                    scores[at] = scores[at - 1];
                    docs[at] = docs[at - 1];
                    at--;
                }
                scores[at] = score;
                docs[at] = doc;
            }
        }
        return new Hits(docs, scores);
    }
}
