package dev.loci.spi;

/** Vector arithmetic that stores and the memory share, so that every channel scores alike. Stateless. */
public final class Vectors {
    private Vectors() {
    }

    /**
     * The cosine similarity of two vectors, computed in double precision; 0 if either is all zeros.
     *
     * @throws IllegalArgumentException if the lengths differ
     */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of " + a.length + " and " + b.length
                    + " dimensions have no cosine");
        }
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            normA += (double) a[i] * a[i];
            normB += (double) b[i] * b[i];
        }
        return normA == 0 || normB == 0 ? 0 : dot / (Math.sqrt(normA) * Math.sqrt(normB));
    }
}
