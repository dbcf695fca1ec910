package dev.loci.policy;

import dev.loci.MemoryRecord;
import java.time.Instant;

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
}
