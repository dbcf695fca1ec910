package dev.loci.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.loci.MemoryRecord;
import dev.loci.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ShortTermTierTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Scope ALICE = Scope.user("alice");

    private final ShortTermTier tier = new ShortTermTier(10, Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aReadCountsOnceAndTheCountNeverOverflows() {
        tier.put(MemoryRecord.builder("fresh", ALICE, "read me", NOW).build());
        tier.put(MemoryRecord.builder("worn", ALICE, "imported with the largest count", NOW)
                .accessCount(Long.MAX_VALUE).build());
        Instant later = NOW.plusSeconds(5);
        for (MemoryRecord record : tier.records(scope -> true)) {
            tier.touch(record, later);
        }
        assertThat(tier.records(scope -> true)).allMatch(r -> later.equals(r.lastAccessedAt()))
                .extracting(MemoryRecord::id, MemoryRecord::accessCount)
                .containsExactlyInAnyOrder(tuple("fresh", 1L),
                        tuple("worn", Long.MAX_VALUE));
    }
}
