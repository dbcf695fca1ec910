package dev.loci.policy;

import dev.loci.MemoryRecord;
import dev.loci.Source;
import java.time.Instant;
import java.util.Set;

/**
 * Decides what happens to a short-term record: stay, move to long-term memory, or fade. A pure function of the
 * record (with its use statistics), why it is asked, and the time, so a policy can be unit-tested in
 * milliseconds. Implementations must be thread-safe and must not block.
 */
@FunctionalInterface
public interface PromotionPolicy {

    /** Why the policy is asked. */
    enum Trigger {
        /** A scheduler tick: the policy may keep the record for later. */
        TICK,
        /** The short-term tier is evicting the record (full, or too old): keeping it is not possible. */
        EVICTION,
        /** {@code consolidate} was called for the record's session. */
        SESSION_END,
        /** {@code consolidate} was called for a wider scope. */
        CONSOLIDATE
    }

    /** What to do with the record. */
    enum Decision {
        KEEP, PROMOTE, FADE
    }

    /** The decision for one record. {@link Decision#KEEP} on {@link Trigger#EVICTION} is taken as PROMOTE. */
    Decision decide(MemoryRecord record, Trigger trigger, Instant now);

    /** The built-in policy with its default settings. */
    static PromotionPolicy defaults() {
        return DefaultPromotionPolicy.DEFAULT;
    }

    /**
     * A guard against memory poisoning: records from the trusted sources are decided by {@code delegate}; a record
     * from any other source is never promoted to long-term memory. On a tick or a consolidation it stays short-term
     * ({@link Decision#KEEP}) where the delegate would keep or promote it; when the short-term tier evicts it, where
     * keeping is impossible and promotion is what this policy refuses, it {@linkplain Decision#FADE fades}: archived,
     * hidden from reads, still in its history and in exports, so nothing is dropped silently. A FADE from the
     * delegate stands for every source. Until then an untrusted record is readable like any short-term record.
     *
     * <pre>{@code
     * // What tools and agents said stays in the working set and never becomes long-term memory.
     * PromotionPolicy policy = PromotionPolicy.trusting(EnumSet.of(Source.USER), PromotionPolicy.defaults());
     * }</pre>
     *
     * <p>It trusts {@link MemoryRecord#source()}, which the memory never changes, but which an imported file states
     * for itself (see {@link dev.loci.Memory#importFrom}). Immutable and thread-safe if the delegate is.
     *
     * @param trusted  the sources whose records may be promoted; not empty
     * @param delegate the policy that decides for records of trusted sources (and may let any record fade)
     * @throws IllegalArgumentException if {@code trusted} is empty: nothing could ever be promoted
     * @throws NullPointerException     if an argument is null or {@code trusted} contains null
     */
    static PromotionPolicy trusting(Set<Source> trusted, PromotionPolicy delegate) {
        return new TrustedSourcesPolicy(trusted, delegate);
    }
}
