package dev.loci.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.loci.MemoryRecord;
import dev.loci.Recall;
import dev.loci.Scope;
import dev.loci.spi.StoreHit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FusionTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static MemoryRecord r(String id) {
        return MemoryRecord.builder(id, Scope.user("u"), "text " + id, T0).build();
    }

    @Test
    void recordsFoundByBothChannelsWinAndExplainThemselves() {
        Fusion fusion = new Fusion();
        fusion.add(Recall.LEXICAL, List.of(r("a"), r("b")), List.of(5.0, 4.0));
        fusion.add(Recall.SEMANTIC, List.of(r("c"), r("b")), List.of(0.9, 0.8));
        List<Recall> top = fusion.top(10);
        assertThat(top).extracting(x -> x.record().id()).containsExactly("b", "a", "c");
        assertThat(top.get(0).score()).isEqualTo(2.0 / (Fusion.K + 2));
        assertThat(top.get(0).explain()).isEqualTo("lexical #2 (4.000), semantic #2 (0.800)");
        assertThat(fusion.top(1)).hasSize(1);
    }

    @Test
    void importanceWeighsTheFusedScore() {
        Fusion fusion = new Fusion();
        MemoryRecord vital = r("b").toBuilder().importance(1.0).build();
        MemoryRecord trivial = r("c").toBuilder().importance(0.0).build();
        fusion.add(Recall.LEXICAL, List.of(r("a"), vital, trivial), List.of(3.0, 2.0, 1.0));
        List<Recall> top = fusion.top(3);
        assertThat(top).extracting(x -> x.record().id()).containsExactly("b", "a", "c");
        assertThat(top.get(0).score()).isCloseTo(1.25 / (Fusion.K + 2), within(1e-12));
        assertThat(top.get(1).score()).as("the default importance changes nothing").isEqualTo(1.0 / (Fusion.K + 1));
        assertThat(top.get(2).score()).isCloseTo(0.75 / (Fusion.K + 3), within(1e-12));
    }

    @Test
    void aRecencyHalfLifeFavoursWhatHappenedLately() {
        MemoryRecord old = r("a").toBuilder().occurredAt(T0.minus(Duration.ofDays(30))).build();
        MemoryRecord recent = r("b").toBuilder().occurredAt(T0.minus(Duration.ofDays(1))).build();
        Fusion plain = new Fusion();
        plain.add(Recall.LEXICAL, List.of(old, recent), List.of(2.0, 1.0));
        assertThat(plain.top(2)).extracting(x -> x.record().id()).containsExactly("a", "b");

        Fusion recency = new Fusion(Duration.ofDays(1), T0);
        recency.add(Recall.LEXICAL, List.of(old, recent), List.of(2.0, 1.0));
        List<Recall> top = recency.top(2);
        assertThat(top).extracting(x -> x.record().id()).containsExactly("b", "a");
        assertThat(top.get(0).score()).isCloseTo(0.75 / (Fusion.K + 2), within(1e-12)); // one half-life: x0.75
        assertThat(top.get(1).score()).isCloseTo(0.5 / (Fusion.K + 1), within(1e-6)); // thirty: barely above x0.5
    }

    @Test
    void theNewestVersionOfARecordIsReturned() {
        Fusion fusion = new Fusion();
        fusion.add(Recall.LEXICAL, List.of(r("a")), List.of(1.0));
        fusion.add(Recall.SHORT_TERM, List.of(r("a").toBuilder().version(2).build()), List.of(1.0));
        assertThat(fusion.top(5).get(0).record().version()).isEqualTo(2);
    }

    /**
     * Store channels add hits; top loads only the records of the hits that make the result (and the next ones for
     * each the loader cannot show), and returns exactly what knowing every record first would. Random channels that
     * more or less agree, importances, ages and limits, with and without recency.
     */
    @Test
    void loadingOnlyTheWinnersGivesWhatKnowingEveryRecordGives() {
        long seed = Long.getLong("loci.test.seed", new SplittableRandom().nextLong());
        SplittableRandom random = new SplittableRandom(seed);
        int trials = 1_000 * Integer.getInteger("loci.test.iterations", 1);
        for (int trial = 0; trial < trials; trial++) {
            Map<String, MemoryRecord> stored = new HashMap<>();
            for (int i = 0; i < 1 + random.nextInt(200); i++) {
                stored.put("r" + i, r("r" + i).toBuilder().importance(random.nextInt(3) == 0 ? random.nextDouble() : 0.5)
                        .occurredAt(T0.minus(Duration.ofHours(random.nextInt(2_000)))).build());
            }
            Set<String> hidden = new HashSet<>();
            stored.keySet().stream().filter(id -> random.nextInt(15) == 0).forEach(hidden::add);
            Duration halfLife = random.nextBoolean() ? null : Duration.ofHours(1 + random.nextInt(500));
            Fusion lazy = new Fusion(halfLife, T0);
            Fusion eager = new Fusion(halfLife, T0);
            List<String> ids = new ArrayList<>(stored.keySet());
            Map<String, Double> relevance = new HashMap<>();
            ids.forEach(id -> relevance.put(id, random.nextDouble()));
            for (String channel : List.of(Recall.LEXICAL, Recall.SEMANTIC, Recall.LEXICAL_IN_CONTEXT)) {
                Map<String, Double> seen = new HashMap<>();
                ids.forEach(id -> seen.put(id, relevance.get(id) + random.nextDouble()));
                ids.sort(Comparator.comparingDouble(seen::get).reversed());
                List<StoreHit> hits = ids.subList(0, random.nextInt(Math.min(30, ids.size()) + 1)).stream()
                        .map(id -> StoreHit.of(stored.get(id), seen.get(id))).toList();
                lazy.addHits(channel, hits);
                eager.addHits(channel, hits);
            }
            ids.stream().filter(id -> !hidden.contains(id)).map(stored::get).forEach(eager::know);
            int limit = 1 + random.nextInt(12);
            List<String> loaded = new ArrayList<>();
            List<Recall> top = lazy.top(limit, batch -> {
                loaded.addAll(batch);
                Map<String, MemoryRecord> shown = new HashMap<>();
                batch.stream().filter(id -> !hidden.contains(id)).forEach(id -> shown.put(id, stored.get(id)));
                return shown;
            });
            assertThat(top).as("seed %d, trial %d", seed, trial).isEqualTo(eager.top(limit));
            assertThat(loaded).as("seed %d, trial %d", seed, trial).doesNotHaveDuplicates()
                    .hasSizeLessThanOrEqualTo(limit + (int) loaded.stream().filter(hidden::contains).count());
        }
    }

    @Test
    void idsAreTimeOrderedAndUnique() {
        Clock fixed = Clock.fixed(T0, ZoneOffset.UTC);
        Ids ids = new Ids(fixed);
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            made.add(ids.next());
        }
        assertThat(made).doesNotHaveDuplicates().isSorted();
        assertThat(java.util.UUID.fromString(made.get(0)).version()).isEqualTo(7);
        Ids later = new Ids(Clock.offset(fixed, java.time.Duration.ofMillis(1)));
        assertThat(later.next()).isGreaterThan(made.get(0));
    }
}
