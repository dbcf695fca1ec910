package dev.loci.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.loci.spi.Embedder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Embedder} keeps, as a JUnit 5 suite: extend it and implement {@link #embedder()}.
 *
 * <pre>{@code
 * class MyEmbedderTest extends EmbedderContract {
 *     protected Embedder embedder() { return new MyEmbedder(); }
 * }
 * }</pre>
 */
public abstract class EmbedderContract {
    private static final List<String> TEXTS = List.of("I am allergic to peanuts", "The train leaves at noon",
            "My sister lives in Kyoto", "Send the reminders at 7am");

    private Embedder embedder;

    /** A fresh (or shared, thread-safe) embedder under test. */
    protected abstract Embedder embedder();

    @BeforeEach
    void createEmbedder() {
        embedder = embedder();
    }

    @Test
    void describesItself() {
        assertThat(embedder.modelId()).isNotBlank();
        assertThat(embedder.dimension()).isPositive();
        assertThat(embedder.maxBatchSize()).isPositive();
    }

    @Test
    void everyVectorHasTheDimensionAndIsFinite() {
        List<float[]> vectors = new ArrayList<>(embedder.embedDocuments(TEXTS));
        vectors.add(embedder.embedQuery("what can't I eat?"));
        assertThat(vectors).hasSize(TEXTS.size() + 1);
        for (float[] vector : vectors) {
            assertThat(vector).hasSize(embedder.dimension());
            for (float component : vector) {
                assertThat(Float.isFinite(component)).isTrue();
            }
            double norm = 0;
            for (float component : vector) {
                norm += component * component;
            }
            assertThat(norm).as("no all-zero vector: it has no cosine").isPositive();
        }
    }

    @Test
    void isDeterministicAndKeepsTheOrder() {
        List<float[]> first = embedder.embedDocuments(TEXTS);
        List<float[]> again = embedder.embedDocuments(TEXTS.reversed());
        for (int i = 0; i < TEXTS.size(); i++) {
            assertClose(first.get(i), again.get(TEXTS.size() - 1 - i));
        }
        assertClose(embedder.embedQuery("peanuts"), embedder.embedQuery("peanuts"));
    }

    @Test
    void aBatchEmbedsLikeSingleTexts() {
        List<float[]> batch = embedder.embedDocuments(TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertClose(batch.get(i), embedder.embedDocuments(List.of(TEXTS.get(i))).getFirst());
        }
        assertThat(embedder.embedDocuments(List.of())).isEmpty();
    }

    @Test
    void returnedVectorsAreTheCallersToChange() {
        float[] vector = embedder.embedQuery("peanuts");
        float[] copy = vector.clone();
        Arrays.fill(vector, 0f);
        assertClose(embedder.embedQuery("peanuts"), copy);
    }

    @Test
    void blankOrNullTextIsRejected() {
        assertThatThrownBy(() -> embedder.embedQuery(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> embedder.embedQuery(null)).isInstanceOfAny(IllegalArgumentException.class,
                NullPointerException.class);
        assertThatThrownBy(() -> embedder.embedDocuments(List.of("fine", "\t")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("component %d", i).isCloseTo(expected[i], within(1e-5f));
        }
    }
}
