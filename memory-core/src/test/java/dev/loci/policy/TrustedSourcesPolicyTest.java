package dev.loci.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loci.MemoryRecord;
import dev.loci.Scope;
import dev.loci.Source;
import dev.loci.policy.PromotionPolicy.Decision;
import dev.loci.policy.PromotionPolicy.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrustedSourcesPolicyTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static MemoryRecord from(Source source) {
        return MemoryRecord.builder("r-" + source, Scope.user("alice"), "some text", NOW).source(source).build();
    }

    /** Every trusted set, source, trigger and delegate decision: the whole table, not a sample. */
    @Test
    void untrustedRecordsAreNeverPromotedAndFadeWhenEvicted() {
        for (Set<Source> trusted : nonEmptySubsets()) {
            for (Decision delegated : Decision.values()) {
                PromotionPolicy policy = PromotionPolicy.trusting(trusted, (record, trigger, now) -> delegated);
                for (Source source : Source.values()) {
                    for (Trigger trigger : Trigger.values()) {
                        Decision expected = trusted.contains(source) || delegated == Decision.FADE ? delegated
                                : trigger == Trigger.EVICTION ? Decision.FADE : Decision.KEEP;
                        assertThat(policy.decide(from(source), trigger, NOW))
                                .as("trusted %s, delegate %s, %s record, %s", trusted, delegated, source, trigger)
                                .isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void overTheDefaultPolicyOnlyUserRecordsArePromoted() {
        PromotionPolicy policy = PromotionPolicy.trusting(EnumSet.of(Source.USER), PromotionPolicy.defaults());
        Instant later = NOW.plus(Duration.ofHours(2)); // old enough for the default policy to promote on a tick
        assertThat(policy.decide(from(Source.USER), Trigger.TICK, later)).isEqualTo(Decision.PROMOTE);
        assertThat(policy.decide(from(Source.USER), Trigger.SESSION_END, NOW)).isEqualTo(Decision.PROMOTE);
        for (Source untrusted : EnumSet.complementOf(EnumSet.of(Source.USER))) {
            assertThat(policy.decide(from(untrusted), Trigger.TICK, later)).isEqualTo(Decision.KEEP);
            assertThat(policy.decide(from(untrusted), Trigger.CONSOLIDATE, NOW)).isEqualTo(Decision.KEEP);
            assertThat(policy.decide(from(untrusted), Trigger.EVICTION, NOW)).isEqualTo(Decision.FADE);
        }
    }

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> PromotionPolicy.trusting(Set.of(), PromotionPolicy.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trusted sources must not be empty: no record could ever be promoted");
        assertThatThrownBy(() -> PromotionPolicy.trusting(null, PromotionPolicy.defaults()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("trusted");
        assertThatThrownBy(() -> PromotionPolicy.trusting(Set.of(Source.USER), null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("delegate");
        assertThatThrownBy(() -> PromotionPolicy.trusting(new HashSet<>(Arrays.asList(Source.USER, null)),
                PromotionPolicy.defaults())).isInstanceOf(NullPointerException.class);
        Set<Source> mutable = EnumSet.of(Source.USER);
        PromotionPolicy policy = PromotionPolicy.trusting(mutable, (record, trigger, now) -> Decision.PROMOTE);
        mutable.add(Source.TOOL);
        assertThat(policy.decide(from(Source.TOOL), Trigger.TICK, NOW)).as("the set was copied")
                .isEqualTo(Decision.KEEP);
    }

    private static List<Set<Source>> nonEmptySubsets() {
        Source[] all = Source.values();
        List<Set<Source>> subsets = new ArrayList<>();
        for (int mask = 1; mask < 1 << all.length; mask++) {
            Set<Source> subset = EnumSet.noneOf(Source.class);
            for (int i = 0; i < all.length; i++) {
                if ((mask & 1 << i) != 0) {
                    subset.add(all[i]);
                }
            }
            subsets.add(subset);
        }
        return subsets;
    }
}
