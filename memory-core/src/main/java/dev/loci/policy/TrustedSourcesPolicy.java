package dev.loci.policy;

import dev.loci.MemoryRecord;
import dev.loci.Source;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * {@link PromotionPolicy#trusting}: promotes only records from trusted sources. Immutable.
 *
 * @param trusted  the sources whose records the delegate decides for
 * @param delegate the policy for those records
 */
record TrustedSourcesPolicy(Set<Source> trusted, PromotionPolicy delegate) implements PromotionPolicy {

    TrustedSourcesPolicy {
        Objects.requireNonNull(trusted, "trusted sources must not be null");
        Objects.requireNonNull(delegate, "delegate policy must not be null");
        if (trusted.isEmpty()) {
            throw new IllegalArgumentException("trusted sources must not be empty: no record could ever be promoted");
        }
        trusted = Set.copyOf(trusted);
    }

    @Override
    public Decision decide(MemoryRecord record, Trigger trigger, Instant now) {
        Decision decision = delegate.decide(record, trigger, now);
        if (trusted.contains(record.source()) || decision == Decision.FADE) {
            return decision;
        }
        // Never promote; on eviction keeping is impossible (the memory would promote a KEEP), so it fades.
        return trigger == Trigger.EVICTION ? Decision.FADE : Decision.KEEP;
    }
}
