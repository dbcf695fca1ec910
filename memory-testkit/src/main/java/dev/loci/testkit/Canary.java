package dev.loci.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * What a test of forgetting plants and then looks for with {@link ErasureCheck}: unusual tokens to put in the texts it
 * writes, the ids of the records that carry them, and the vectors made of them (embeddings the caller supplied or
 * the store computed). Immutable: the vectors are copied on the way in and out.
 *
 * <p>A token is lower-case letters and digits ending in a digit, at least {@value #MIN_TOKEN_LENGTH} characters: an
 * analyser that splits words, lower-cases and stems English keeps it whole, so an index holds it unchanged as a term,
 * and it occurs nowhere by chance.
 *
 * @param tokens    the tokens, at least one
 * @param recordIds the ids of the records that carried them (no entry or document of theirs may remain)
 * @param vectors   vectors that must not remain (each non-empty)
 */
public record Canary(List<String> tokens, Set<String> recordIds, List<float[]> vectors) {
    /** The shortest token accepted. */
    public static final int MIN_TOKEN_LENGTH = 8;
    private static final Pattern TOKEN = Pattern.compile("[a-z0-9]*[0-9]");
    private static final String LETTERS = "bcdfghjklmnpqrstvwxz";
    private static final String DIGITS = "0123456789";

    public Canary {
        tokens = List.copyOf(Objects.requireNonNull(tokens, "canary tokens must not be null"));
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("a canary needs at least one token");
        }
        for (String token : tokens) {
            if (token.length() < MIN_TOKEN_LENGTH || !TOKEN.matcher(token).matches()) {
                throw new IllegalArgumentException("canary token '" + token + "' is not " + MIN_TOKEN_LENGTH
                        + "+ lower-case letters and digits ending in a digit");
            }
        }
        recordIds = Set.copyOf(Objects.requireNonNull(recordIds, "canary recordIds must not be null"));
        List<float[]> copies = new ArrayList<>();
        for (float[] vector : Objects.requireNonNull(vectors, "canary vectors must not be null")) {
            if (Objects.requireNonNull(vector, "canary vectors must not contain null").length == 0) {
                throw new IllegalArgumentException("canary vectors must not be empty");
            }
            copies.add(vector.clone());
        }
        vectors = List.copyOf(copies);
    }

    /**
     * {@code count} distinct random tokens of 12 characters (consonants and digits, ending in a digit); the same
     * generator state gives the same tokens.
     */
    public static List<String> randomTokens(RandomGenerator random, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        Set<String> tokens = new LinkedHashSet<>();
        while (tokens.size() < count) {
            StringBuilder token = new StringBuilder();
            for (int i = 0; i < 12; i++) {
                boolean digit = i % 3 == 2 || i == 11;
                token.append(digit ? DIGITS.charAt(random.nextInt(10)) : LETTERS.charAt(random.nextInt(20)));
            }
            tokens.add(token.toString());
        }
        return List.copyOf(tokens);
    }

    @Override
    public List<float[]> vectors() {
        return vectors.stream().map(float[]::clone).toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Canary c && tokens.equals(c.tokens) && recordIds.equals(c.recordIds)
                && vectors.size() == c.vectors.size()
                && IntStream.range(0, vectors.size()).allMatch(i -> Arrays.equals(vectors.get(i), c.vectors.get(i)));
    }

    @Override
    public int hashCode() {
        return Objects.hash(tokens, recordIds, vectors.stream().mapToInt(Arrays::hashCode).sum());
    }

    @Override
    public String toString() {
        return "Canary[" + tokens.size() + " tokens, " + recordIds.size() + " record ids, " + vectors.size()
                + " vectors]";
    }
}
