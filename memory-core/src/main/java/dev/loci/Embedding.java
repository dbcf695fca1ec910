package dev.loci;

import java.util.Arrays;
import java.util.Objects;

/**
 * A vector with the id of the model that produced it. The array is copied on the way in and out. Immutable.
 *
 * @param model  the embedder's model id, not blank
 * @param vector the components, at least one, all finite
 */
public record Embedding(String model, float[] vector) {
    public Embedding {
        Objects.requireNonNull(model, "embedding model must not be null");
        Objects.requireNonNull(vector, "embedding vector must not be null");
        if (model.isBlank()) {
            throw new IllegalArgumentException("embedding model must not be blank");
        }
        if (vector.length == 0) {
            throw new IllegalArgumentException("embedding vector must not be empty");
        }
        vector = vector.clone();
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new IllegalArgumentException("embedding vector component " + i + " is " + vector[i]);
            }
        }
    }

    @Override
    public float[] vector() {
        return vector.clone();
    }

    public int dimension() {
        return vector.length;
    }

    /**
     * The cosine similarity of this vector and {@code other} ({@link dev.loci.spi.Vectors#cosine}), without copying
     * this one as {@link #vector()} does.
     *
     * @throws IllegalArgumentException if the dimensions differ
     */
    public double cosine(float[] other) {
        return dev.loci.spi.Vectors.cosine(vector, other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Embedding e && model.equals(e.model) && Arrays.equals(vector, e.vector);
    }

    @Override
    public int hashCode() {
        return 31 * model.hashCode() + Arrays.hashCode(vector);
    }

    @Override
    public String toString() {
        return "Embedding[" + model + ", " + vector.length + " dimensions]";
    }
}
