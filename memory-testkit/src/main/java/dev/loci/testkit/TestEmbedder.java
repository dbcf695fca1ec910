package dev.loci.testkit;

import dev.loci.spi.Embedder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A deterministic {@link Embedder} for tests: no model, microseconds per text. Each lower-cased word and each
 * character trigram of a word (so that "peanut" and "peanuts" overlap) is hashed to a signed component of a vector
 * of {@link #dimension()} components (64 by default), which is then scaled to unit length. Texts sharing words are
 * therefore closer (by cosine or dot product) than unrelated texts, though with far less sense than a real model.
 * A text with no letters or digits still gets a unit vector, from a hash of the whole text. Documents and queries are
 * embedded alike. The model id is {@code "loci-test-hash-<dimension>"}.
 *
 * <p>It records how it was called: {@link #batchSizes()}, {@link #documentCalls()}, {@link #queryCalls()}. It refuses
 * a batch larger than {@link #maxBatchSize()}, so a test notices a caller that does not split its batches.
 *
 * <p>A {@linkplain #gated() gated} embedder blocks every {@link #embedDocuments} call until the test calls
 * {@link #openGate()}, which lets a test prove that a write does not wait for embedding:
 *
 * <pre>{@code
 * TestEmbedder embedder = TestEmbedder.gated();
 * memory.write(scope, "text");                                  // returns although embedding cannot finish
 * assertThat(embedder.awaitDocumentCall(Duration.ofSeconds(5))).isTrue();
 * embedder.openGate();
 * }</pre>
 *
 * <p>Thread-safe. {@link #embedDocuments} of a gated embedder blocks until the gate opens (at most
 * {@link #GATE_TIMEOUT}, so a forgotten gate fails the test instead of hanging it); nothing else blocks.
 */
public final class TestEmbedder implements Embedder {
    /** The dimension of {@link #TestEmbedder()}. */
    public static final int DEFAULT_DIMENSION = 64;
    /** The {@link #maxBatchSize()} unless the builder sets another. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 32;
    /** The largest allowed dimension. */
    public static final int MAX_DIMENSION = 4096;
    /** How long a gated call waits for {@link #openGate()} before it fails with {@link IllegalStateException}. */
    public static final Duration GATE_TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final float TRIGRAM_WEIGHT = 0.5f;

    private final int dimension;
    private final int maxBatchSize;
    private final String modelId;
    private final CountDownLatch gate;
    private final CountDownLatch firstDocumentCall = new CountDownLatch(1);
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final AtomicInteger queryCalls = new AtomicInteger();

    /** An ungated embedder of {@value #DEFAULT_DIMENSION} dimensions and batches of at most 32. */
    public TestEmbedder() {
        this(DEFAULT_DIMENSION);
    }

    /**
     * An ungated embedder of {@code dimension} dimensions and batches of at most {@value #DEFAULT_MAX_BATCH_SIZE}.
     *
     * @throws IllegalArgumentException if {@code dimension} is not in 1..{@value #MAX_DIMENSION}
     */
    public TestEmbedder(int dimension) {
        this(dimension, DEFAULT_MAX_BATCH_SIZE, false);
    }

    private TestEmbedder(int dimension, int maxBatchSize, boolean gated) {
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw new IllegalArgumentException("dimension must be in 1.." + MAX_DIMENSION + ", was " + dimension);
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be at least 1, was " + maxBatchSize);
        }
        this.dimension = dimension;
        this.maxBatchSize = maxBatchSize;
        this.modelId = "loci-test-hash-" + dimension;
        this.gate = new CountDownLatch(gated ? 1 : 0);
    }

    /** A gated embedder of {@value #DEFAULT_DIMENSION} dimensions: document calls block until {@link #openGate()}. */
    public static TestEmbedder gated() {
        return builder().gated().build();
    }

    /** Settings for an embedder other than the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int maxBatchSize() {
        return maxBatchSize;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the list is larger than {@link #maxBatchSize()} or a text is null or blank
     * @throws IllegalStateException    if gated and the gate stays shut for {@link #GATE_TIMEOUT}, or interrupted
     */
    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        Objects.requireNonNull(texts, "texts must not be null");
        batchSizes.add(texts.size());
        firstDocumentCall.countDown();
        if (texts.size() > maxBatchSize) {
            throw new IllegalArgumentException(
                    "batch of " + texts.size() + " texts exceeds maxBatchSize " + maxBatchSize);
        }
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            vectors.add(embed(texts.get(i), "text " + i));
        }
        awaitGate();
        return vectors;
    }

    /**
     * {@inheritDoc} Never gated.
     *
     * @throws IllegalArgumentException if {@code text} is null or blank
     */
    @Override
    public float[] embedQuery(String text) {
        queryCalls.incrementAndGet();
        return embed(text, "query");
    }

    /** The size of each {@link #embedDocuments} call so far, in call order; recorded when a call starts. */
    public List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }

    /** How many {@link #embedDocuments} calls have started. */
    public int documentCalls() {
        return batchSizes.size();
    }

    /** How many {@link #embedQuery} calls have been made. */
    public int queryCalls() {
        return queryCalls.get();
    }

    /**
     * Waits until at least one {@link #embedDocuments} call has started (and, if gated, is waiting at the gate).
     *
     * @return whether a call started within {@code timeout}
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitDocumentCall(Duration timeout) throws InterruptedException {
        return firstDocumentCall.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Lets every waiting and future {@link #embedDocuments} call proceed. Does nothing if not gated or open. */
    public void openGate() {
        gate.countDown();
    }

    private void awaitGate() {
        try {
            if (!gate.await(GATE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("TestEmbedder gate was not opened within " + GATE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the TestEmbedder gate", e);
        }
    }

    private float[] embed(String text, String what) {
        if (text == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank, was " + text.length() + " whitespace chars");
        }
        float[] vector = new float[dimension];
        boolean anyToken = false;
        for (String token : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
            if (token.isEmpty()) {
                continue;
            }
            anyToken = true;
            add(vector, "w:" + token, 1f);
            String padded = "^" + token + "$";
            for (int i = 0; i + 3 <= padded.length(); i++) {
                add(vector, "t:" + padded.substring(i, i + 3), TRIGRAM_WEIGHT);
            }
        }
        if (!anyToken) {
            add(vector, "x:" + text.strip(), 1f);
        }
        double norm = 0;
        for (float v : vector) {
            norm += (double) v * v;
        }
        if (norm == 0) { // features cancelled out: fall back to the whole text's hash, which cannot cancel
            add(vector, "x:" + text.strip(), 1f);
            norm = 1;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimension; i++) {
            vector[i] *= scale;
        }
        return vector;
    }

    private void add(float[] vector, String feature, float weight) {
        long hash = fnv1a64(feature);
        int index = (int) Long.remainderUnsigned(hash, dimension);
        vector[index] += (hash >>> 63) == 0 ? weight : -weight;
    }

    private static long fnv1a64(String s) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        // final avalanche (SplitMix64) so that index and sign bits are well mixed
        hash ^= hash >>> 30;
        hash *= 0xbf58476d1ce4e5b9L;
        hash ^= hash >>> 27;
        hash *= 0x94d049bb133111ebL;
        return hash ^ (hash >>> 31);
    }

    @Override
    public String toString() {
        return "TestEmbedder[" + modelId + ", maxBatchSize " + maxBatchSize
                + (gate.getCount() > 0 ? ", gate shut]" : "]");
    }

    /** Settings of a {@link TestEmbedder}, checked by {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private int dimension = DEFAULT_DIMENSION;
        private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
        private boolean gated;

        private Builder() {
        }

        /** The vector length, in 1..{@value TestEmbedder#MAX_DIMENSION}; 64 by default. */
        public Builder dimension(int dimension) {
            this.dimension = dimension;
            return this;
        }

        /** The largest batch {@link TestEmbedder#embedDocuments} accepts, at least 1; 32 by default. */
        public Builder maxBatchSize(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        /** Makes document calls block until {@link TestEmbedder#openGate()}. */
        public Builder gated() {
            this.gated = true;
            return this;
        }

        /**
         * The embedder.
         *
         * @throws IllegalArgumentException naming the setting, if the dimension or the batch size is out of range
         */
        public TestEmbedder build() {
            return new TestEmbedder(dimension, maxBatchSize, gated);
        }
    }
}
