package dev.loci;

import java.util.Objects;
import java.util.Set;

/**
 * A question for {@link Memory#read}: the text, how many results, and which kinds (empty = all). Start with
 * {@link #text(String)}. Immutable.
 *
 * @param text  the question, not blank, at most {@value MemoryRecord#MAX_TEXT_LENGTH} characters
 * @param limit how many results at most, 1..{@value #MAX_LIMIT}; {@value #DEFAULT_LIMIT} by default
 * @param kinds the kinds to return; empty for all
 */
public record Query(String text, int limit, Set<Kind> kinds) {
    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 1_000;

    public Query {
        Objects.requireNonNull(text, "query text must not be null");
        if (text.isBlank()) {
            throw new IllegalArgumentException("query text must not be blank");
        }
        if (text.length() > MemoryRecord.MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException("query text is " + text.length() + " characters long; the limit is "
                    + MemoryRecord.MAX_TEXT_LENGTH);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("query limit must be within 1.." + MAX_LIMIT + ", was " + limit);
        }
        kinds = Set.copyOf(Objects.requireNonNull(kinds, "query kinds must not be null"));
    }

    public static Query text(String text) {
        return new Query(text, DEFAULT_LIMIT, Set.of());
    }

    public Query limit(int limit) {
        return new Query(text, limit, kinds);
    }

    public Query kinds(Kind... kinds) {
        return new Query(text, limit, Set.of(kinds));
    }

    /** True if a record of this kind may be returned. */
    public boolean accepts(Kind kind) {
        return kinds.isEmpty() || kinds.contains(kind);
    }
}
