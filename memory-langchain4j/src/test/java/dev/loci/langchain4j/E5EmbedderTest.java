package dev.loci.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.loci.spi.Embedder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Runs the real quantised e5-small-v2 model: no mocks. */
class E5EmbedderTest {
    private static final float TOLERANCE = 1e-5f;

    private final E5Embedder embedder = new E5Embedder();

    @Test
    void describesTheModel() {
        assertThat(embedder.modelId()).isEqualTo("intfloat/e5-small-v2-q");
        assertThat(embedder.dimension()).isEqualTo(384);
        assertThat(embedder.maxBatchSize()).isEqualTo(32);
    }

    @Test
    void vectorsHaveTheDimensionAndUnitLength() {
        float[] document = embedder.embedDocuments(List.of("I am allergic to peanuts")).getFirst();
        float[] query = embedder.embedQuery("what food can't I eat?");

        for (float[] vector : List.of(document, query)) {
            assertThat(vector).hasSize(384);
            assertThat(norm(vector)).isCloseTo(1.0, within(1e-4));
        }
    }

    @Test
    void aParaphraseIsCloserThanAnUnrelatedSentence() {
        List<float[]> documents = embedder.embedDocuments(List.of("I am allergic to peanuts",
                "The train leaves at noon"));
        float[] question = embedder.embedQuery("what food can't I eat?");

        double related = dot(question, documents.get(0));
        double unrelated = dot(question, documents.get(1));

        assertThat(related).isGreaterThan(unrelated);
    }

    @Test
    void documentsAndQueriesGetTheirOwnPrefix() {
        String text = "I am allergic to peanuts";

        float[] asDocument = embedder.embedDocuments(List.of(text)).getFirst();
        float[] asQuery = embedder.embedQuery(text);

        assertThat(maxDifference(asDocument, asQuery)).isGreaterThan(1e-3f);
        assertThat(dot(asDocument, asQuery)).isGreaterThan(0.8); // still the same meaning
    }

    @Test
    void blankOrNullTextIsRejectedBeforeTheModelRuns() {
        assertThatThrownBy(() -> embedder.embedQuery(" \t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text must not be blank");
        assertThatThrownBy(() -> embedder.embedQuery(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text must not be null");
        assertThatThrownBy(() -> embedder.embedDocuments(List.of("fine", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("texts[1] must not be blank");
        assertThatThrownBy(() -> embedder.embedDocuments(Arrays.asList("fine", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("texts[1] must not be null");
        assertThatThrownBy(() -> embedder.embedDocuments(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("texts");
    }

    @Test
    void aListLargerThanOneBatchIsSplitAndKeepsItsOrder() {
        int count = embedder.maxBatchSize() + 3;
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            texts.add("note number " + i + " about " + (i % 2 == 0 ? "cooking pasta" : "repairing bicycles"));
        }

        List<float[]> vectors = embedder.embedDocuments(texts);

        assertThat(vectors).hasSize(count);
        assertThat(vectors).allSatisfy(v -> assertThat(v).hasSize(384));
        // The last texts came from a second model call; they must match single calls and stay in order.
        for (int i = count - 3; i < count; i++) {
            assertClose(vectors.get(i), embedder.embedDocuments(List.of(texts.get(i))).getFirst(), "text " + i);
        }
        assertClose(vectors.getFirst(), embedder.embedDocuments(List.of(texts.getFirst())).getFirst(), "text 0");
    }

    @Test
    void concurrentCallersGetTheSameVectorsAsOneCaller() throws Exception {
        List<String> questions = List.of("where do I live?", "what do I eat?", "when is my train?",
                "who is my sister?");
        List<float[]> expected = questions.stream().map(embedder::embedQuery).toList();

        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (String question : questions) {
                    futures.add(pool.submit(() -> new E5Embedder().embedQuery(question)));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertClose(futures.get(i).get(), expected.get(i % questions.size()), "future " + i);
            }
        }
    }

    @Test
    void theServiceLoaderFindsIt() {
        Embedder found = ServiceLoader.load(Embedder.class).findFirst().orElseThrow();

        assertThat(found).isInstanceOf(E5Embedder.class);
        assertThat(found.modelId()).isEqualTo(E5Embedder.MODEL_ID);
    }

    private static void assertClose(float[] actual, float[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        assertThat(maxDifference(actual, expected)).as(what).isLessThanOrEqualTo(TOLERANCE);
    }

    private static float maxDifference(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    private static double norm(float[] v) {
        return Math.sqrt(dot(v, v));
    }
}
