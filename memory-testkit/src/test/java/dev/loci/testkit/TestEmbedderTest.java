package dev.loci.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestEmbedderTest {
    private final TestEmbedder embedder = new TestEmbedder();

    @Test
    void describesItself() {
        assertThat(embedder.modelId()).isEqualTo("loci-test-hash-64");
        assertThat(embedder.dimension()).isEqualTo(64);
        assertThat(embedder.maxBatchSize()).isEqualTo(32);
        TestEmbedder small = TestEmbedder.builder().dimension(8).maxBatchSize(2).build();
        assertThat(small.modelId()).isEqualTo("loci-test-hash-8");
        assertThat(small.maxBatchSize()).isEqualTo(2);
        assertThat(new TestEmbedder(16).dimension()).isEqualTo(16);
    }

    @Test
    void isDeterministicAcrossCallsAndInstances() {
        String text = "I'm allergic to peanuts";
        float[] first = embedder.embedQuery(text);

        assertThat(embedder.embedQuery(text)).containsExactly(first);
        assertThat(new TestEmbedder().embedQuery(text)).containsExactly(first);
        assertThat(embedder.embedDocuments(List.of(text)).get(0)).containsExactly(first);
        assertThat(embedder.embedQuery("I'M ALLERGIC, to peanuts!")).containsExactly(first);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "I'm allergic to peanuts", "!!!", "???", "  ünïcödé 東京 42 ", "a a a a a a a"})
    void vectorsHaveTheDimensionAndUnitLength(String text) {
        for (int dimension : new int[] {1, 7, 64, 384}) {
            float[] vector = new TestEmbedder(dimension).embedQuery(text);

            assertThat(vector).hasSize(dimension);
            double norm = 0;
            for (float v : vector) {
                assertThat(Float.isFinite(v)).isTrue();
                norm += v * v;
            }
            assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void textsWithoutWordsStillDiffer() {
        assertThat(embedder.embedQuery("!!!")).isNotEqualTo(embedder.embedQuery("???"));
    }

    @Test
    void similarTextsAreCloserThanUnrelatedOnes() {
        float[] peanuts = embedder.embedQuery("I'm allergic to peanuts");
        float[] butter = embedder.embedQuery("allergic to peanut butter");
        float[] train = embedder.embedQuery("the train leaves at noon");

        assertThat(dot(peanuts, butter)).isGreaterThan(dot(peanuts, train) + 0.2);
        float[] peanut = embedder.embedQuery("peanut");
        assertThat(dot(peanut, embedder.embedQuery("peanuts")))
                .isGreaterThan(dot(peanut, embedder.embedQuery("railway")) + 0.2);
    }

    @Test
    void rejectsNullAndBlankText() {
        assertThatThrownBy(() -> embedder.embedQuery(" \t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query must not be blank");
        assertThatThrownBy(() -> embedder.embedQuery(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query must not be null");
        assertThatThrownBy(() -> embedder.embedDocuments(List.of("fine", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text 1 must not be blank");
        assertThatThrownBy(() -> embedder.embedDocuments(Arrays.asList("fine", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text 1 must not be null");
    }

    @Test
    void recordsBatchSizesAndCalls() {
        TestEmbedder recording = TestEmbedder.builder().maxBatchSize(3).build();

        assertThat(recording.embedDocuments(List.of("a", "b", "c"))).hasSize(3);
        assertThat(recording.embedDocuments(List.of("d"))).hasSize(1);
        assertThat(recording.embedDocuments(List.of())).isEmpty();
        recording.embedQuery("e");

        assertThat(recording.batchSizes()).containsExactly(3, 1, 0);
        assertThat(recording.documentCalls()).isEqualTo(3);
        assertThat(recording.queryCalls()).isEqualTo(1);
    }

    @Test
    void refusesBatchesLargerThanItsMaximum() {
        TestEmbedder strict = TestEmbedder.builder().maxBatchSize(2).build();

        assertThatThrownBy(() -> strict.embedDocuments(List.of("a", "b", "c")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch of 3 texts exceeds maxBatchSize 2");
        assertThat(strict.batchSizes()).containsExactly(3);
    }

    @Test
    void builderNamesTheBadSetting() {
        assertThatThrownBy(() -> TestEmbedder.builder().dimension(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension").hasMessageContaining("0");
        assertThatThrownBy(() -> new TestEmbedder(TestEmbedder.MAX_DIMENSION + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension");
        assertThatThrownBy(() -> TestEmbedder.builder().maxBatchSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBatchSize");
    }

    @Test
    void gatedEmbedderBlocksDocumentCallsUntilTheGateOpens() throws Exception {
        TestEmbedder gated = TestEmbedder.gated();
        assertThat(gated.awaitDocumentCall(Duration.ZERO)).isFalse();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<List<float[]>> call = pool.submit(() -> gated.embedDocuments(List.of("a", "b")));

            assertThat(gated.awaitDocumentCall(Duration.ofSeconds(30))).isTrue();
            assertThat(call.isDone()).isFalse();
            assertThat(gated.embedQuery("queries are never gated")).hasSize(64);
            assertThat(call.isDone()).isFalse();

            gated.openGate();
            assertThat(call.get(30, TimeUnit.SECONDS)).hasSize(2);
            assertThat(gated.embedDocuments(List.of("c"))).hasSize(1); // stays open
            assertThat(gated.batchSizes()).containsExactly(2, 1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
