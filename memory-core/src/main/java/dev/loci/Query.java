package dev.loci;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A question for {@link Memory#read}: the text, how many results, and which records may answer it (kinds, tiers,
 * when they happened, what the memory held true at a moment; times compare to the millisecond). Start with
 * {@link #text(String)} and refine with the copying setters
 * ({@code Query.text("what did Mel do?").after(race).limit(5)}). Immutable.
 *
 * @param text   the question, not blank, at most {@value MemoryRecord#MAX_TEXT_LENGTH} characters
 * @param limit  how many results at most, 1..{@value #MAX_LIMIT}; {@value #DEFAULT_LIMIT} by default
 * @param kinds  the kinds to return; empty for all
 * @param tiers  the tiers to search; empty for both. {@code tiers(Tier.SHORT_TERM)} reads the scope's working set
 *               alone, from memory, without asking the long-term store: the cheapest read there is
 * @param after  only records that {@linkplain MemoryRecord#occurredAt() happened} at or after this instant; null for
 *               no lower bound
 * @param before only records that happened strictly before this instant; null for no upper bound; after
 *               {@code after} when both are set
 * @param asOf   what the memory held true at this instant: records it had {@linkplain MemoryRecord#recordedAt()
 *               learned} by then and that were {@linkplain MemoryRecord#validFrom() valid} then, including ones
 *               {@linkplain State#SUPERSEDED superseded} since; null for what it holds true now
 * @param budget    the most tokens (words, unless the memory has another {@link dev.loci.spi.Tokenizer}) the
 *                  results' texts may hold together: results are taken in rank order and the first that would
 *                  overflow the budget ends the list; 0 for no budget
 * @param diversity 0..1: how much to prefer results unlike those already chosen (maximal marginal relevance over
 *                  the embeddings; 0, the default, ranks by relevance alone)
 */
public record Query(String text, int limit, Set<Kind> kinds, Set<Tier> tiers, @Nullable Instant after,
                    @Nullable Instant before, @Nullable Instant asOf, int budget, double diversity) {
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
        tiers = tiers(Objects.requireNonNull(tiers, "query tiers must not be null"));
        after = millis(after);
        before = millis(before);
        asOf = millis(asOf);
        if (budget < 0) {
            throw new IllegalArgumentException("query budget must not be negative, was " + budget);
        }
        if (!(diversity >= 0.0 && diversity <= 1.0)) {
            throw new IllegalArgumentException("query diversity must be within 0..1, was " + diversity);
        }
        if (after != null && before != null && !before.isAfter(after)) {
            throw new IllegalArgumentException("query before (" + before + ") must be later than after (" + after
                    + ")");
        }
    }

    public static Query text(String text) {
        return new Query(text, DEFAULT_LIMIT, Set.of(), Set.of(), null, null, null, 0, 0.0);
    }

    public Query limit(int limit) {
        return new Query(text, limit, kinds, tiers, after, before, asOf, budget, diversity);
    }

    public Query kinds(Kind... kinds) {
        return new Query(text, limit, Set.of(kinds), tiers, after, before, asOf, budget, diversity);
    }

    /** Only records in these tiers (none: both); see {@link Query the class comment}. */
    public Query tiers(Tier... tiers) {
        return new Query(text, limit, kinds, Set.of(tiers), after, before, asOf, budget, diversity);
    }

    /** Only records that happened at or after this instant. */
    public Query after(Instant after) {
        return new Query(text, limit, kinds, tiers, Objects.requireNonNull(after, "after must not be null"), before,
                asOf, budget, diversity);
    }

    /** Only records that happened strictly before this instant. */
    public Query before(Instant before) {
        return new Query(text, limit, kinds, tiers, after, Objects.requireNonNull(before, "before must not be null"),
                asOf, budget, diversity);
    }

    /** What the memory held true at this instant (see {@link Query the class comment}). */
    public Query asOf(Instant asOf) {
        return new Query(text, limit, kinds, tiers, after, before,
                Objects.requireNonNull(asOf, "asOf must not be null"), budget, diversity);
    }

    /** At most this many tokens of text in all (see {@link Query the class comment}); 0 for no budget. */
    public Query budget(int tokens) {
        return new Query(text, limit, kinds, tiers, after, before, asOf, tokens, diversity);
    }

    /** Prefer results unlike those already chosen, by this much (0..1; see {@link Query the class comment}). */
    public Query diversity(double diversity) {
        return new Query(text, limit, kinds, tiers, after, before, asOf, budget, diversity);
    }

    /** The same query with another text (e.g. expanded by the memory for one channel). */
    public Query withText(String text) {
        return new Query(text, limit, kinds, tiers, after, before, asOf, budget, diversity);
    }

    /** True if a record of this kind may be returned. */
    public boolean accepts(Kind kind) {
        return kinds.isEmpty() || kinds.contains(kind);
    }

    /** True if a record in this tier may be returned. */
    public boolean accepts(Tier tier) {
        return tiers.isEmpty() || tiers.contains(tier);
    }

    /**
     * True if this record may answer the query: its kind and tier, when it happened, and its state and validity (only
     * {@link State#ACTIVE} records, or with {@link #asOf} the records valid then). Scope is the caller's business.
     */
    public boolean accepts(MemoryRecord record) {
        Instant occurred = millis(record.occurredAt());
        if (!accepts(record.kind()) || !accepts(record.tier())
                || after != null && occurred.isBefore(after)
                || before != null && !occurred.isBefore(before)) {
            return false;
        }
        if (asOf == null) {
            return record.state() == State.ACTIVE;
        }
        Instant validTo = millis(record.validTo());
        return record.state() != State.ARCHIVED
                && !millis(record.recordedAt()).isAfter(asOf)
                && !millis(record.validFrom()).isAfter(asOf)
                && (validTo == null || validTo.isAfter(asOf));
    }

    /** Both tiers named is the same as none: every record may answer. */
    private static Set<Tier> tiers(Set<Tier> tiers) {
        return tiers.size() == Tier.values().length ? Set.of() : Set.copyOf(tiers);
    }

    private static @Nullable Instant millis(@Nullable Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
