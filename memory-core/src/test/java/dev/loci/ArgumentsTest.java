package dev.loci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loci.policy.DefaultPromotionPolicy;
import dev.loci.policy.PromotionPolicy;
import dev.loci.policy.PromotionPolicy.Decision;
import dev.loci.policy.PromotionPolicy.Trigger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Validation of the small value types and the builder. */
class ArgumentsTest {

    @Test
    void queryIsValidated() {
        assertThat(Query.text("hi").limit()).isEqualTo(Query.DEFAULT_LIMIT);
        assertThatThrownBy(() -> Query.text(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Query.text(" ")).hasMessageContaining("query text must not be blank");
        assertThatThrownBy(() -> Query.text("x".repeat(MemoryRecord.MAX_TEXT_LENGTH + 1)))
                .hasMessageContaining("limit is " + MemoryRecord.MAX_TEXT_LENGTH);
        assertThatThrownBy(() -> Query.text("hi").limit(0)).hasMessageContaining("query limit");
        assertThatThrownBy(() -> Query.text("hi").limit(Query.MAX_LIMIT + 1)).hasMessageContaining("1..1000");
        Query q = Query.text("hi").kinds(Kind.FACT);
        assertThat(q.accepts(Kind.FACT)).isTrue();
        assertThat(q.accepts(Kind.MESSAGE)).isFalse();
        assertThat(Query.text("hi").accepts(Kind.MESSAGE)).isTrue();
    }

    @Test
    void queryTimeBoundsAreValidatedAndCompareToTheMillisecond() {
        Instant t = Instant.parse("2023-05-08T13:56:00Z");
        assertThatThrownBy(() -> Query.text("hi").after(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("after");
        assertThatThrownBy(() -> Query.text("hi").asOf(null)).hasMessageContaining("asOf");
        assertThatThrownBy(() -> Query.text("hi").after(t).before(t)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be later than after");
        assertThat(Query.text("hi").before(t.plusNanos(1_500_000)).before()).isEqualTo(t.plusMillis(1));
        assertThatThrownBy(() -> Query.text("hi").budget(-1)).hasMessageContaining("query budget");
        assertThatThrownBy(() -> Query.text("hi").diversity(1.5)).hasMessageContaining("query diversity");
        assertThatThrownBy(() -> Query.text("hi").diversity(Double.NaN)).hasMessageContaining("0..1");

        MemoryRecord atT = MemoryRecord.builder("r", Scope.user("u"), "x", t).occurredAt(t.plusNanos(999)).build();
        assertThat(Query.text("hi").after(t).accepts(atT)).isTrue();
        assertThat(Query.text("hi").before(t.plusNanos(500)).accepts(atT)).as("same millisecond: not before").isFalse();
        assertThat(Query.text("hi").before(t.plusMillis(1)).accepts(atT)).isTrue();
        assertThat(Query.text("hi").asOf(t.minusMillis(1)).accepts(atT)).as("not recorded yet").isFalse();
        assertThat(Query.text("hi").accepts(atT.toBuilder().state(State.SUPERSEDED).build())).isFalse();
        assertThat(Query.text("hi").asOf(t).accepts(atT.toBuilder().state(State.SUPERSEDED).build())).isTrue();
        assertThat(Query.text("hi").asOf(t).accepts(atT.toBuilder().state(State.ARCHIVED).build())).isFalse();
    }

    @Test
    void writeIsValidated() {
        assertThatThrownBy(() -> Write.text(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Write.text("")).hasMessageContaining("text must not be blank");
        assertThatThrownBy(() -> Write.text("x".repeat(MemoryRecord.MAX_TEXT_LENGTH + 1)))
                .hasMessageContaining("32769 characters");
        assertThatThrownBy(() -> Write.text("x").importance(-0.1)).hasMessageContaining("importance");
        assertThatThrownBy(() -> Write.text("x").kind(null)).hasMessageContaining("kind");
        assertThatThrownBy(() -> Write.text("x").occurredAt(Instant.MAX)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("occurredAt").hasMessageContaining("outside the supported range");
        assertThatThrownBy(() -> Write.text("x").expiresAt(Instant.MIN)).hasMessageContaining("expiresAt");
        Write w = Write.text("x").kind(Kind.FACT).importance(0.8).tags("a", "b");
        assertThat(w.kind()).isEqualTo(Kind.FACT);
        assertThat(w.tags()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void forgetSelections() {
        assertThatThrownBy(() -> Forget.ids(new String[0])).hasMessageContaining("at least one id");
        assertThat(Forget.ids("a").mode()).isEqualTo(Forget.Mode.ARCHIVE);
        assertThat(Forget.everything().purge().mode()).isEqualTo(Forget.Mode.PURGE);
        assertThat(Forget.everything().purge().archive().mode()).isEqualTo(Forget.Mode.ARCHIVE);
        MemoryRecord r = MemoryRecordTest.record().build();
        assertThat(Forget.ids("id-1").filter().test(r)).isTrue();
        assertThat(Forget.ids("other").filter().test(r)).isFalse();
        assertThat(Forget.where(x -> x.kind().equals(Kind.FACT)).filter().test(r)).isFalse();
    }

    @Test
    void durabilityIsValidated() {
        assertThat(Durability.sync().waitForSync()).isTrue();
        assertThat(Durability.async(Duration.ofMillis(5)).interval()).isEqualTo(Duration.ofMillis(5));
        assertThatThrownBy(() -> Durability.async(Duration.ZERO)).hasMessageContaining("positive interval");
        assertThatThrownBy(() -> new Durability(true, Duration.ofSeconds(1))).hasMessageContaining("no interval");
    }

    @Test
    void recallExplainsItsChannels() {
        Recall recall = new Recall(MemoryRecordTest.record().build(), 0.03,
                java.util.List.of(new Recall.Channel(Recall.LEXICAL, 1, 4.2), new Recall.Channel(Recall.SEMANTIC, 3,
                        0.871)));
        assertThat(recall.explain()).isEqualTo("lexical #1 (4.200), semantic #3 (0.871)");
        assertThatThrownBy(() -> new Recall(recall.record(), 1, java.util.List.of()))
                .hasMessageContaining("at least one channel");
        assertThatThrownBy(() -> new Recall.Channel("x", 0, 1)).hasMessageContaining("rank");
    }

    @Test
    void builderFailsNamingTheSetting() {
        assertThatThrownBy(() -> Loci.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("directory is required");
        assertThatThrownBy(() -> Loci.builder().shortTerm(0, Duration.ofMinutes(1)))
                .hasMessageContaining("shortTerm records");
        assertThatThrownBy(() -> Loci.builder().shortTerm(10, Duration.ZERO)).hasMessageContaining("shortTerm maxAge");
        assertThatThrownBy(() -> Loci.builder().directory(null)).hasMessageContaining("directory");
        assertThatThrownBy(() -> Loci.builder().recency(Duration.ZERO)).hasMessageContaining("recency half-life");
        assertThatThrownBy(() -> Loci.builder().tokenizer(null)).hasMessageContaining("tokenizer");
        assertThatThrownBy(() -> Loci.builder().recovery(null)).hasMessageContaining("recovery mode");
        assertThatThrownBy(() -> Loci.builder().directory(Path.of("x")).manualTicks()
                .schedule(java.util.concurrent.Executors.newSingleThreadScheduledExecutor(), Duration.ofSeconds(1))
                .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("manualTicks()");
        // memory-core alone has no embedder on its class path: the message says what to add.
        assertThatThrownBy(() -> Loci.builder().directory(Path.of("x")).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("memory-langchain4j");
    }

    @Test
    void defaultPromotionPolicy() {
        Instant t0 = Instant.parse("2026-11-25T10:00:00Z");
        PromotionPolicy policy = new DefaultPromotionPolicy(Duration.ofMinutes(30), 2);
        MemoryRecord fresh = MemoryRecord.builder("a", Scope.user("u"), "text", t0).build();
        assertThat(policy.decide(fresh, Trigger.TICK, t0.plusSeconds(60))).isEqualTo(Decision.KEEP);
        assertThat(policy.decide(fresh, Trigger.TICK, t0.plus(Duration.ofMinutes(30)))).isEqualTo(Decision.PROMOTE);
        assertThat(policy.decide(fresh.toBuilder().accessCount(2).build(), Trigger.TICK, t0))
                .isEqualTo(Decision.PROMOTE);
        for (Trigger t : new Trigger[] {Trigger.EVICTION, Trigger.SESSION_END, Trigger.CONSOLIDATE}) {
            assertThat(policy.decide(fresh, t, t0)).isEqualTo(Decision.PROMOTE);
        }
        assertThatThrownBy(() -> new DefaultPromotionPolicy(Duration.ZERO, 1)).hasMessageContaining("maxAge");
        assertThatThrownBy(() -> new DefaultPromotionPolicy(Duration.ofMinutes(1), 0))
                .hasMessageContaining("minAccesses");
        assertThat(PromotionPolicy.defaults()).isInstanceOf(DefaultPromotionPolicy.class);
    }
}
