package dev.loci.policy;

import dev.loci.MemoryRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The built-in promotion policy: promote on eviction, at session end and on consolidation; on a tick, promote a
 * record once it is {@code maxAge} old or has been read {@code minAccesses} times, and keep it otherwise. It never
 * fades: forgetting is the forgetting policy's job. Immutable.
 *
 * @param maxAge      the age (since it was recorded) at which a tick promotes a record, positive
 * @param minAccesses the number of reads after which a tick promotes a record, at least 1
 */
public record DefaultPromotionPolicy(Duration maxAge, int minAccesses) implements PromotionPolicy {
    static final DefaultPromotionPolicy DEFAULT = new DefaultPromotionPolicy(Duration.ofHours(1), 3);

    public DefaultPromotionPolicy {
        Objects.requireNonNull(maxAge, "maxAge must not be null");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
        }
        if (minAccesses < 1) {
            throw new IllegalArgumentException("minAccesses must be at least 1, was " + minAccesses);
        }
    }

    @Override
    public Decision decide(MemoryRecord record, Trigger trigger, Instant now) {
        if (trigger != Trigger.TICK) {
            return Decision.PROMOTE;
        }
        boolean old = !record.recordedAt().plus(maxAge).isAfter(now);
        return old || record.accessCount() >= minAccesses ? Decision.PROMOTE : Decision.KEEP;
    }
}
