package dev.loci.bench.perf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The deterministic synthetic corpus every performance benchmark shares, baselines and Loci's own alike, so that
 * their numbers can be divided by each other.
 *
 * <p>Document {@code i} (for {@code 0 <= i < size}) has:
 * <ul>
 *   <li>a unit vector of {@value #DIMENSION} components: one of {@value #CLUSTERS} random unit cluster centres plus
 *       Gaussian noise of standard deviation {@value #NOISE} per component, normalised (cosine to its centre about
 *       0.7, to another point of its cluster about 0.5, to any other point about 0);</li>
 *   <li>a text of {@value #MIN_WORDS} to {@value #MAX_WORDS} words drawn from a Zipf distribution (exponent
 *       {@value #ZIPF_EXPONENT}) over {@value #VOCABULARY} synthetic words. Every word is letters {@code [a-z]}
 *       ending in {@code k}, which Lucene's {@code EnglishAnalyzer} keeps unchanged (no stop word, nothing for the
 *       Porter stemmer to strip).</li>
 * </ul>
 * Query {@code j} (any {@code j >= 0}, independent of the size) is a vector drawn like a document's, near a random
 * cluster centre, and a text of {@value #QUERY_TERMS} distinct words drawn from the same Zipf distribution restricted
 * to ranks {@value #QUERY_MIN_RANK} and above: the most frequent synthetic words stand for the stop words a real
 * analyser removes, and a query made of them would match nearly every document.
 *
 * <p>Everything is computed from the seed and the index alone, with our own SplitMix64 generator and Box–Muller
 * transform over {@link StrictMath}, so the same seed gives the same data bit for bit on any JVM, and the data of a
 * smaller size is a prefix of the data of a larger one. Nothing but the {@value #CLUSTERS} centres and the
 * vocabulary is held (about 2 MB); each document is generated on demand, so a caller decides what to keep. Holding
 * all vectors of a million documents ({@link #flatVectors()}) takes 1,000,000 × 384 × 4 bytes = 1.5 GB of heap.
 *
 * <p>Immutable and thread-safe; no method blocks. Generating one vector costs some tens of microseconds (384
 * Gaussians): a million take about 15 s on two cores with {@link #flatVectors()}, which works in parallel.
 */
public final class SyntheticData {
    /** The seed the benchmarks use. */
    public static final long DEFAULT_SEED = 0x10C1_2026L;
    /** Components per vector, as e5-small-v2's. */
    public static final int DIMENSION = 384;
    /** Number of cluster centres, fixed so that the data of a smaller size is a prefix of a larger one. */
    public static final int CLUSTERS = 1024;
    /** Standard deviation of the Gaussian noise added to each component of a centre. */
    public static final float NOISE = 0.05f;
    /** Number of distinct words. */
    public static final int VOCABULARY = 20_000;
    /** The Zipf exponent s: word of rank r (from 1) has probability proportional to 1 / r^s. */
    public static final double ZIPF_EXPONENT = 1.0;
    /** Fewest words in a document's text. */
    public static final int MIN_WORDS = 15;
    /** Most words in a document's text. */
    public static final int MAX_WORDS = 30;
    /** Words in a query's text. */
    public static final int QUERY_TERMS = 3;
    /** Query words are drawn from ranks (from 0) at least this. */
    public static final int QUERY_MIN_RANK = 100;

    private static final long CENTRE_STREAM = 1;
    private static final long DOC_STREAM = 2;
    private static final long QUERY_STREAM = 3;
    private static final String CONSONANTS = "bdfgkmnprtvz";
    private static final String VOWELS = "aiou";

    private final long seed;
    private final int size;
    /** CLUSTERS unit vectors, one after another. */
    private final float[] centres;
    private final String[] words;
    /** cumulative[r]: probability of a word of rank at most r. */
    private final double[] cumulative;

    /** The data the benchmarks use: {@link #DEFAULT_SEED}, {@code size} documents. */
    public static SyntheticData of(int size) {
        return new SyntheticData(DEFAULT_SEED, size);
    }

    /**
     * @throws IllegalArgumentException if {@code size} is negative
     */
    public SyntheticData(long seed, int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, was " + size);
        }
        this.seed = seed;
        this.size = size;
        this.centres = new float[CLUSTERS * DIMENSION];
        for (int c = 0; c < CLUSTERS; c++) {
            SplitMix64 random = new SplitMix64(mix(seed, CENTRE_STREAM, c));
            for (int k = 0; k < DIMENSION; k++) {
                centres[c * DIMENSION + k] = (float) random.nextGaussian();
            }
            normalise(centres, c * DIMENSION);
        }
        this.words = new String[VOCABULARY];
        for (int r = 0; r < VOCABULARY; r++) {
            words[r] = spell(r);
        }
        this.cumulative = new double[VOCABULARY];
        double sum = 0;
        for (int r = 0; r < VOCABULARY; r++) {
            sum += 1 / StrictMath.pow(r + 1, ZIPF_EXPONENT);
            cumulative[r] = sum;
        }
        for (int r = 0; r < VOCABULARY; r++) {
            cumulative[r] /= sum;
        }
        cumulative[VOCABULARY - 1] = 1.0;
    }

    /** A document: its id, text and unit vector. The vector is copied on the way in and out. */
    public record Doc(String id, String text, float[] vector) {
        public Doc {
            vector = vector.clone();
        }

        @Override
        public float[] vector() {
            return vector.clone();
        }
    }

    /** A query: a text of {@value #QUERY_TERMS} words and a unit vector. The vector is copied on the way in and out. */
    public record Query(String text, float[] vector) {
        public Query {
            vector = vector.clone();
        }

        @Override
        public float[] vector() {
            return vector.clone();
        }
    }

    public long seed() {
        return seed;
    }

    /** Number of documents. */
    public int size() {
        return size;
    }

    /** Document {@code i}. */
    public Doc doc(int i) {
        return new Doc(id(i), text(i), vector(i));
    }

    /** The id of document {@code i}: {@code d} and the index, zero-padded to 7 digits. */
    public String id(int i) {
        checkIndex(i);
        return String.format("d%07d", i);
    }

    /** The vector of document {@code i}, a new array. */
    public float[] vector(int i) {
        float[] vector = new float[DIMENSION];
        vectorInto(i, vector, 0);
        return vector;
    }

    /** Writes the vector of document {@code i} into {@code target} from {@code offset}. */
    public void vectorInto(int i, float[] target, int offset) {
        checkIndex(i);
        SplitMix64 random = new SplitMix64(mix(seed, DOC_STREAM, i));
        randomVector(random, target, offset);
    }

    /**
     * All document vectors in one new array, document {@code i} at {@code i * DIMENSION}; generated in parallel.
     *
     * @throws IllegalStateException if they do not fit in one array (more than about 5.5 million documents)
     */
    public float[] flatVectors() {
        long length = (long) size * DIMENSION;
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(size + " vectors of " + DIMENSION + " components do not fit in one array");
        }
        float[] all = new float[(int) length];
        IntStream.range(0, size).parallel().forEach(i -> vectorInto(i, all, i * DIMENSION));
        return all;
    }

    /** The text of document {@code i}: {@value #MIN_WORDS} to {@value #MAX_WORDS} words separated by spaces. */
    public String text(int i) {
        checkIndex(i);
        // The text's own stream, offset from the vector's, so neither depends on how many numbers the other draws.
        SplitMix64 random = new SplitMix64(mix(seed, DOC_STREAM, i) ^ 0x5DEECE66DL);
        int count = MIN_WORDS + random.nextInt(MAX_WORDS - MIN_WORDS + 1);
        StringBuilder text = new StringBuilder(count * 8);
        for (int w = 0; w < count; w++) {
            if (w > 0) {
                text.append(' ');
            }
            text.append(words[rank(random.nextDouble())]);
        }
        return text.toString();
    }

    /** Query {@code j}, for any {@code j >= 0}; the same whatever the size. */
    public Query query(int j) {
        if (j < 0) {
            throw new IllegalArgumentException("query index must not be negative, was " + j);
        }
        SplitMix64 random = new SplitMix64(mix(seed, QUERY_STREAM, j));
        float[] vector = new float[DIMENSION];
        randomVector(random, vector, 0);
        double low = cumulative[QUERY_MIN_RANK - 1];
        List<String> terms = new ArrayList<>(QUERY_TERMS);
        while (terms.size() < QUERY_TERMS) {
            String word = words[rank(low + (1 - low) * random.nextDouble())];
            if (!terms.contains(word)) {
                terms.add(word);
            }
        }
        return new Query(String.join(" ", terms), vector);
    }

    /** Queries {@code 0 .. count - 1}. */
    public List<Query> queries(int count) {
        List<Query> queries = new ArrayList<>(count);
        for (int j = 0; j < count; j++) {
            queries.add(query(j));
        }
        return List.copyOf(queries);
    }

    /** The word of Zipf rank {@code rank} (0 is the most frequent). */
    public String word(int rank) {
        if (rank < 0 || rank >= VOCABULARY) {
            throw new IllegalArgumentException("rank must be within 0.." + (VOCABULARY - 1) + ", was " + rank);
        }
        return words[rank];
    }

    /** Cluster centre {@code c} (a new array), for tests. */
    float[] centre(int c) {
        return Arrays.copyOfRange(centres, c * DIMENSION, (c + 1) * DIMENSION);
    }

    private void randomVector(SplitMix64 random, float[] target, int offset) {
        int centre = random.nextInt(CLUSTERS) * DIMENSION;
        for (int k = 0; k < DIMENSION; k++) {
            target[offset + k] = centres[centre + k] + NOISE * (float) random.nextGaussian();
        }
        normalise(target, offset);
    }

    private static void normalise(float[] vector, int offset) {
        double squares = 0;
        for (int k = 0; k < DIMENSION; k++) {
            squares += (double) vector[offset + k] * vector[offset + k];
        }
        double norm = StrictMath.sqrt(squares);
        for (int k = 0; k < DIMENSION; k++) {
            vector[offset + k] = (float) (vector[offset + k] / norm);
        }
    }

    /** The rank whose cumulative probability first reaches {@code u}. */
    private int rank(double u) {
        int found = Arrays.binarySearch(cumulative, u);
        return Math.min(found >= 0 ? found : -found - 1, VOCABULARY - 1);
    }

    /**
     * Rank {@code r} spelt in bijective base 48 with consonant-vowel syllables ({@code ba}, {@code bi}, ...), then
     * {@code k}: distinct for distinct ranks, shorter for more frequent words.
     */
    private static String spell(int rank) {
        int syllables = CONSONANTS.length() * VOWELS.length();
        StringBuilder word = new StringBuilder();
        for (int n = rank + 1; n > 0; n = (n - 1) / syllables) {
            int s = (n - 1) % syllables;
            word.append(CONSONANTS.charAt(s / VOWELS.length())).append(VOWELS.charAt(s % VOWELS.length()));
        }
        return word.append('k').toString();
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("document index " + i + " is outside 0.." + (size - 1));
        }
    }

    /** A seed for one (stream, index) pair: SplitMix64's finaliser over the three, so nearby indexes decorrelate. */
    private static long mix(long seed, long stream, long index) {
        long z = seed + stream * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * SplitMix64 (Steele, Lea and Flood), written out here rather than taken from the JDK so that the sequence can
     * never change under us, with Box–Muller Gaussians computed by {@link StrictMath}. Not thread-safe; one per use.
     */
    static final class SplitMix64 {
        private long state;
        private double spare = Double.NaN;

        SplitMix64(long seed) {
            this.state = seed;
        }

        long nextLong() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /** Uniform in [0, 1). */
        double nextDouble() {
            return (nextLong() >>> 11) * 0x1.0p-53;
        }

        /** Uniform in [0, bound), by Lemire's multiply-shift (bias below 2^-32 for our bounds). */
        int nextInt(int bound) {
            return (int) (((nextLong() >>> 32) * bound) >>> 32);
        }

        double nextGaussian() {
            if (!Double.isNaN(spare)) {
                double result = spare;
                spare = Double.NaN;
                return result;
            }
            double radius = StrictMath.sqrt(-2 * StrictMath.log(1 - nextDouble())); // 1 - u is in (0, 1]
            double angle = 2 * StrictMath.PI * nextDouble();
            spare = radius * StrictMath.sin(angle);
            return radius * StrictMath.cos(angle);
        }
    }
}
