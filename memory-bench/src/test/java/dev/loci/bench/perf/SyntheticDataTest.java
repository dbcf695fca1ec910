package dev.loci.bench.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class SyntheticDataTest {
    private static final SyntheticData DATA = SyntheticData.of(2_000);

    @Test
    void theSameSeedGivesTheSameDataBitForBit() {
        SyntheticData again = new SyntheticData(SyntheticData.DEFAULT_SEED, 2_000);
        for (int i = 0; i < DATA.size(); i += 7) {
            assertThat(again.vector(i)).isEqualTo(DATA.vector(i)); // Arrays.equals: same bits
            assertThat(again.text(i)).isEqualTo(DATA.text(i));
            assertThat(again.id(i)).isEqualTo(DATA.id(i));
        }
        for (int j = 0; j < 50; j++) {
            assertThat(again.query(j).text()).isEqualTo(DATA.query(j).text());
            assertThat(again.query(j).vector()).isEqualTo(DATA.query(j).vector());
        }
        assertThat(again.flatVectors()).isEqualTo(DATA.flatVectors());
    }

    @Test
    void theGeneratorHasNotChanged() {
        // Pinned: a change here means results measured before are not comparable with results measured after.
        CRC32 crc = new CRC32();
        for (int i = 0; i < 100; i++) {
            for (float v : DATA.vector(i)) {
                int bits = Float.floatToRawIntBits(v);
                crc.update(new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits});
            }
            crc.update(DATA.text(i).getBytes(StandardCharsets.UTF_8));
            crc.update(DATA.query(i).text().getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Long.toHexString(crc.getValue())).isEqualTo("da513dbe");
    }

    @Test
    void anotherSeedGivesOtherData() {
        SyntheticData other = new SyntheticData(SyntheticData.DEFAULT_SEED + 1, 10);
        assertThat(other.vector(0)).isNotEqualTo(DATA.vector(0));
        assertThat(other.text(0)).isNotEqualTo(DATA.text(0));
        assertThat(other.word(0)).isEqualTo(DATA.word(0)); // the vocabulary is fixed
    }

    @Test
    void aSmallerSizeIsAPrefixOfALargerOne() {
        SyntheticData small = SyntheticData.of(10);
        for (int i = 0; i < 10; i++) {
            assertThat(small.vector(i)).isEqualTo(DATA.vector(i));
            assertThat(small.text(i)).isEqualTo(DATA.text(i));
        }
        assertThat(small.query(3).text()).isEqualTo(DATA.query(3).text());
        assertThatThrownBy(() -> small.vector(10)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void vectorsAreUnitLengthAndFlatVectorsHoldThemInOrder() {
        float[] flat = DATA.flatVectors();
        assertThat(flat).hasSize(DATA.size() * SyntheticData.DIMENSION);
        for (int i = 0; i < DATA.size(); i++) {
            float[] vector = DATA.vector(i);
            assertThat(norm(vector)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
            assertThat(Arrays.copyOfRange(flat, i * SyntheticData.DIMENSION, (i + 1) * SyntheticData.DIMENSION))
                    .isEqualTo(vector);
        }
        for (int j = 0; j < 100; j++) {
            assertThat(norm(DATA.query(j).vector())).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void vectorsLieNearTheirClusterCentres() {
        double nearestSum = 0;
        for (int i = 0; i < 200; i++) {
            float[] vector = DATA.vector(i);
            double nearest = -1;
            for (int c = 0; c < SyntheticData.CLUSTERS; c++) {
                nearest = Math.max(nearest, dot(vector, DATA.centre(c)));
            }
            nearestSum += nearest;
        }
        // Centre weight 1 against noise of norm 0.05 * sqrt(384) = 0.98: cosine about 0.71.
        assertThat(nearestSum / 200).isBetween(0.6, 0.8);
        // Unrelated points are nearly orthogonal.
        assertThat(Math.abs(dot(DATA.vector(0), DATA.vector(1)))).isLessThan(0.3);
    }

    @Test
    void textsAreFifteenToThirtyWordsOfTheVocabulary() {
        Set<String> vocabulary = vocabulary().keySet();
        assertThat(vocabulary).hasSize(SyntheticData.VOCABULARY);
        for (int i = 0; i < DATA.size(); i++) {
            List<String> words = List.of(DATA.text(i).split(" "));
            assertThat(words.size()).isBetween(SyntheticData.MIN_WORDS, SyntheticData.MAX_WORDS);
            assertThat(vocabulary.containsAll(words)).as("text %d is of vocabulary words", i).isTrue();
        }
        assertThat(vocabulary).allMatch(word -> word.matches("[a-z]+k"));
    }

    @Test
    void wordFrequenciesFollowZipf() {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < DATA.size(); i++) {
            for (String word : DATA.text(i).split(" ")) {
                counts.merge(word, 1, Integer::sum);
            }
        }
        String mostFrequent = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertThat(mostFrequent).isEqualTo(DATA.word(0));
        int first = counts.get(DATA.word(0));
        int tenth = counts.getOrDefault(DATA.word(9), 0);
        int hundredth = counts.getOrDefault(DATA.word(99), 0);
        // Expected ratios 10 and 100 for s = 1; loose bounds for a sample of about 45,000 words.
        assertThat(first).isGreaterThan(5 * tenth).isGreaterThan(30 * hundredth);
        assertThat(hundredth).isPositive();
    }

    @Test
    void queriesHaveThreeDistinctWordsBelowTheTopRanks() {
        Map<String, Integer> ranks = vocabulary();
        for (int j = 0; j < 200; j++) {
            List<String> terms = List.of(DATA.query(j).text().split(" "));
            assertThat(terms).hasSize(SyntheticData.QUERY_TERMS).doesNotHaveDuplicates();
            assertThat(terms).allMatch(term -> ranks.get(term) >= SyntheticData.QUERY_MIN_RANK);
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new SyntheticData(1, -1)).hasMessageContaining("size").hasMessageContaining("-1");
        assertThatThrownBy(() -> DATA.query(-1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> DATA.word(SyntheticData.VOCABULARY)).hasMessageContaining("20000");
    }

    private static Map<String, Integer> vocabulary() {
        Map<String, Integer> ranks = new HashMap<>();
        for (int r = 0; r < SyntheticData.VOCABULARY; r++) {
            ranks.put(DATA.word(r), r);
        }
        assertThat(new HashSet<>(ranks.keySet())).hasSize(SyntheticData.VOCABULARY);
        return ranks;
    }

    private static double norm(float[] vector) {
        return Math.sqrt(dot(vector, vector));
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            sum += (double) a[k] * b[k];
        }
        return sum;
    }
}
