package dev.loci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loci.policy.PromotionPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MemoryRecordTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Scope ALICE = Scope.user("alice").agent("bot").session("s1");

    static MemoryRecord.Builder record() {
        return MemoryRecord.builder("id-1", ALICE, "I am allergic to peanuts", T0);
    }

    @Test
    void aFreshRecordHasTheDefaultsOfAWrite() {
        MemoryRecord r = record().build();
        assertThat(r.kind()).isEqualTo(Kind.MESSAGE);
        assertThat(r.tier()).isEqualTo(Tier.SHORT_TERM);
        assertThat(r.state()).isEqualTo(State.ACTIVE);
        assertThat(r.version()).isEqualTo(1);
        assertThat(r.recordedAt()).isEqualTo(T0).isEqualTo(r.occurredAt()).isEqualTo(r.validFrom());
        assertThat(r.embedding()).isNull();
        assertThat(r.toString()).doesNotContain("peanuts");
    }

    @Test
    void rejectsBadFieldsNamingThem() {
        assertThatThrownBy(() -> record().text(null).build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("text");
        assertThatThrownBy(() -> record().text(" \t").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("text must not be blank");
        assertThatThrownBy(() -> record().text("x".repeat(MemoryRecord.MAX_TEXT_LENGTH + 1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("text is 32769 characters long; the limit is 32768");
        assertThatThrownBy(() -> record().id("").build()).hasMessageContaining("id");
        assertThatThrownBy(() -> record().scope(null).build()).hasMessageContaining("scope");
        assertThatThrownBy(() -> record().importance(1.5).build()).hasMessageContaining("importance");
        assertThatThrownBy(() -> record().strength(Double.NaN).build()).hasMessageContaining("strength");
        assertThatThrownBy(() -> record().accessCount(-1).build()).hasMessageContaining("accessCount");
        assertThatThrownBy(() -> record().version(0).build()).hasMessageContaining("version");
        assertThatThrownBy(() -> record().validTo(T0.minusSeconds(1)).build()).hasMessageContaining("validTo");
        assertThatThrownBy(() -> record().tags(Set.of(" ")).build()).hasMessageContaining("tag");
        assertThatThrownBy(() -> record().sourceIds(List.of("")).build()).hasMessageContaining("sourceIds");
    }

    @Test
    void embeddingsAreCheckedAndCopied() {
        float[] v = {1f, 0f, 0f};
        Embedding e = new Embedding("m", v);
        v[0] = 9f;
        assertThat(e.vector()[0]).isEqualTo(1f);
        e.vector()[1] = 9f;
        assertThat(e.vector()[1]).isEqualTo(0f);
        assertThat(e.dimension()).isEqualTo(3);
        assertThatThrownBy(() -> new Embedding("m", new float[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> new Embedding("m", new float[] {Float.NaN})).hasMessageContaining("component 0");
        assertThatThrownBy(() -> new Embedding(" ", v)).hasMessageContaining("model");
        assertThat(e.cosine(new float[] {1f, 1f, 0f}))
                .isCloseTo(Math.sqrt(0.5), org.assertj.core.data.Offset.offset(1e-9));
        assertThatThrownBy(() -> e.cosine(new float[] {1f, 1f})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void collectionsAndJsonAreDefensivelyCopied() {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("a", 1);
        Set<String> tags = new HashSet<>(Set.of("x"));
        MemoryRecord r = record().payload(payload).tags(tags).build();
        payload.put("a", 2);
        tags.add("y");
        assertThat(r.payload().get("a").asInt()).isEqualTo(1);
        assertThat(r.tags()).containsExactly("x");
        ((ObjectNode) r.payload()).put("a", 3);
        assertThat(r.payload().get("a").asInt()).isEqualTo(1);
        assertThatThrownBy(() -> r.tags().add("z")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void jsonRoundTripKeepsEveryField() {
        MemoryRecord r = record()
                .kind(Kind.of("TRAVEL_PLAN"))
                .payload(JsonNodeFactory.instance.objectNode().put("city", "Lisbon"))
                .embedding(new Embedding("m", new float[] {0.1f, -0.25f, 1e-7f}))
                .context(new Context(List.of("c1", "c2"), "Ann: how was Lisbon?\nBo: sunny",
                        new Embedding("m", new float[] {0.5f, 0.5f, 0f})))
                .validTo(T0.plusSeconds(60)).expiresAt(T0.plusSeconds(3600))
                .accessCount(3).lastAccessedAt(T0.plusSeconds(5)).importance(0.9).strength(0.4)
                .source(Source.TOOL).sourceIds(List.of("m1", "m2")).derivedFrom(List.of("d1"))
                .tier(Tier.LONG_TERM).state(State.SUPERSEDED).version(7).supersedes("old-1")
                .tags(Set.of("food", "health"))
                .metadata(Map.of("lang", JsonNodeFactory.instance.textNode("en")))
                .build();
        assertThat(MemoryRecord.fromJson(r.toJson())).isEqualTo(r);
        assertThat(r.toJson()).doesNotContain("\n");
    }

    @Test
    void aContextNamesOneOrTwoRecordsAndTheJournalFormKeepsOnlyTheirIds() {
        assertThatThrownBy(() -> Context.of(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1..2");
        assertThatThrownBy(() -> Context.of(List.of("a", "b", "c"))).hasMessageContaining("not 3");
        assertThatThrownBy(() -> Context.of(List.of(" "))).hasMessageContaining("context id");
        assertThatThrownBy(() -> new Context(List.of("a"), null, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("context text");
        Context indexed = new Context(List.of("a"), "Ann: hi", new Embedding("m", new float[] {1}));
        assertThat(indexed.idsOnly()).isEqualTo(Context.of(List.of("a")));
        assertThat(Context.of(List.of("a")).idsOnly()).isEqualTo(Context.of(List.of("a")));
    }

    @Test
    void jsonRoundTripProperty() {
        qt().withFixedSeed(Long.getLong("loci.seed", 7L))
                .forAll(strings().allPossible().ofLengthBetween(1, 200), doubles().between(0, 1),
                        longs().between(0, 4_000_000_000L), integers().between(1, 16))
                .assuming((text, importance, seconds, dims) -> !text.isBlank())
                .check((text, importance, seconds, dims) -> {
                    float[] vector = new float[dims];
                    for (int i = 0; i < dims; i++) {
                        vector[i] = (float) Math.sin(seconds + i);
                    }
                    MemoryRecord r = MemoryRecord.builder("id", ALICE, text, Instant.ofEpochSecond(seconds, 123))
                            .importance(importance).embedding(new Embedding("m", vector)).build();
                    return MemoryRecord.fromJson(r.toJson()).equals(r);
                });
    }

    /**
     * An embedding's vector travels as the base64 of its little-endian float32 bytes, bit for bit (negative zero,
     * subnormals, the extremes); a vector written as an array of numbers (older journals, JSON by hand) reads the same;
     * a vector that is neither is an error naming the field.
     */
    @Test
    void vectorsTravelAsBase64BitForBitAndArraysOfNumbersAreReadToo() {
        float[] vector = {1.5f, -0.0f, Float.MIN_VALUE, -Float.MAX_VALUE, 0.1f};
        MemoryRecord r = record().embedding(new Embedding("m", vector)).build();
        JsonNode json = readTree(r.toJson());
        byte[] bytes = java.util.Base64.getDecoder().decode(json.path("embedding").path("vector").asText());
        assertThat(bytes).hasSize(20);
        assertThat(java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat(4))
                .isEqualTo(-0.0f);
        assertThat(MemoryRecord.fromJson(r.toJson()).embedding().vector()).isEqualTo(vector);

        ObjectNode numbers = (ObjectNode) json.deepCopy();
        ArrayNode components = numbers.withObject("/embedding").putArray("vector");
        for (float v : vector) {
            components.add(v);
        }
        assertThat(MemoryRecord.fromJson(numbers.toString())).isEqualTo(r);

        ObjectNode notBase64 = (ObjectNode) json.deepCopy();
        notBase64.withObject("/embedding").put("vector", "not base64!");
        assertThatThrownBy(() -> MemoryRecord.fromJson(notBase64.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at embedding.vector")
                .hasMessageContaining("base64");
        ObjectNode ragged = (ObjectNode) json.deepCopy();
        ragged.withObject("/embedding").put("vector", "AAAAAAA="); // 5 bytes
        assertThatThrownBy(() -> MemoryRecord.fromJson(ragged.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at embedding.vector")
                .hasMessageContaining("5 bytes");
        ObjectNode nonFinite = (ObjectNode) json.deepCopy();
        nonFinite.withObject("/embedding").put("vector", java.util.Base64.getEncoder().encodeToString(
                java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN).array()));
        assertThatThrownBy(() -> MemoryRecord.fromJson(nonFinite.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }

    @Test
    void anyFiniteVectorRoundTripsExactly() {
        qt().withFixedSeed(Long.getLong("loci.seed", 7L))
                .forAll(integers().all(), integers().between(1, 64))
                .check((seed, dims) -> {
                    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
                    float[] vector = new float[dims];
                    for (int i = 0; i < dims; i++) {
                        float v;
                        do {
                            v = Float.intBitsToFloat(random.nextInt());
                        } while (!Float.isFinite(v));
                        vector[i] = v;
                    }
                    MemoryRecord r = record().embedding(new Embedding("m", vector)).build();
                    return MemoryRecord.fromJson(r.toJson()).equals(r);
                });
    }

    @Test
    void malformedOrInvalidJsonIsAClearError() {
        assertThatThrownBy(() -> MemoryRecord.fromJson("{not json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed MemoryRecord JSON");
        String valid = record().build().toJson();
        assertThatThrownBy(() -> MemoryRecord.fromJson(valid.replace("\"text\":\"I am allergic to peanuts\"",
                "\"text\":\"  \""))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("text must not be blank");
        assertThatThrownBy(() -> MemoryRecord.fromJson(valid.replace("\"MESSAGE\"", "\"lower\"")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kind name 'lower'");
        assertThatThrownBy(() -> MemoryRecord.fromJson(valid.replace("{", "{\"bogus\":1,")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bogus");
        assertThatThrownBy(() -> MemoryRecord.fromJson(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void jsonOfTheWrongShapeNamesTheFieldAndNeverYieldsNull() {
        ObjectNode valid = (ObjectNode) readTree(record().build().toJson());
        assertThatThrownBy(() -> MemoryRecord.fromJson("null")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null is not a MemoryRecord");
        assertThatThrownBy(() -> MemoryRecord.fromJson("[]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MemoryRecord.fromJson(valid.deepCopy().put("accessCount", "many").toString()))
                .hasMessageContaining("malformed MemoryRecord JSON at accessCount:");
        ObjectNode scope = valid.deepCopy();
        scope.withObject("/scope").putArray("user");
        assertThatThrownBy(() -> MemoryRecord.fromJson(scope.toString())).hasMessageContaining("at scope.user:");
        ObjectNode tags = valid.deepCopy();
        tags.putArray("tags").add("ok").addObject();
        assertThatThrownBy(() -> MemoryRecord.fromJson(tags.toString())).hasMessageContaining("at tags[1]:");
        assertThatThrownBy(() -> MemoryRecord.fromJson(valid.deepCopy().put("source", 0).toString()))
                .as("an enum is named, never numbered").hasMessageContaining("at source:");
    }

    private static JsonNode readTree(String json) {
        try {
            return dev.loci.internal.Json.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void instantsStayWithinFourDigitYears() {
        assertThat(record().recordedAt(MemoryRecord.MIN_INSTANT).occurredAt(MemoryRecord.MIN_INSTANT)
                .validFrom(MemoryRecord.MIN_INSTANT).validTo(MemoryRecord.MAX_INSTANT).expiresAt(MemoryRecord.MAX_INSTANT)
                .lastAccessedAt(MemoryRecord.MAX_INSTANT).build().validTo()).isEqualTo(MemoryRecord.MAX_INSTANT);
        Instant late = MemoryRecord.MAX_INSTANT.plusNanos(1);
        Instant early = MemoryRecord.MIN_INSTANT.minusNanos(1);
        assertThatThrownBy(() -> record().recordedAt(Instant.MAX).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("recordedAt +1000000000-12-31T23:59:59.999999999Z is outside the supported range")
                .hasMessageContaining("0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999999Z");
        assertThatThrownBy(() -> record().occurredAt(early).build()).hasMessageContaining("occurredAt");
        assertThatThrownBy(() -> record().validFrom(early).build()).hasMessageContaining("validFrom");
        assertThatThrownBy(() -> record().validTo(late).build()).hasMessageContaining("validTo");
        assertThatThrownBy(() -> record().expiresAt(late).build()).hasMessageContaining("expiresAt");
        assertThatThrownBy(() -> record().lastAccessedAt(Instant.MIN).build()).hasMessageContaining("lastAccessedAt");
        MemoryRecord latest = record().recordedAt(MemoryRecord.MAX_INSTANT).build();
        assertThat(PromotionPolicy.defaults().decide(latest, PromotionPolicy.Trigger.TICK, MemoryRecord.MAX_INSTANT))
                .as("a record's age is computed without overflow").isEqualTo(PromotionPolicy.Decision.KEEP);
    }

    @Test
    void payloadAndMetadataNestAtMostTheLimit() {
        JsonNode deepest = nested(MemoryRecord.MAX_NESTING_DEPTH);
        MemoryRecord r = record().payload(deepest).metadata(Map.of("k", deepest)).build();
        assertThat(MemoryRecord.fromJson(r.toJson())).isEqualTo(r);
        JsonNode tooDeep = nested(MemoryRecord.MAX_NESTING_DEPTH + 1);
        assertThatThrownBy(() -> record().payload(tooDeep).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("payload is nested deeper than the limit of 256 levels");
        assertThatThrownBy(() -> record().metadata(Map.of("k", tooDeep)).build())
                .hasMessage("metadata value of 'k' is nested deeper than the limit of 256 levels");
        assertThatThrownBy(() -> Write.text("x").payload(tooDeep)).hasMessageContaining("payload is nested deeper");
        assertThatThrownBy(() -> Write.text("x").metadata(Map.of("k", tooDeep))).hasMessageContaining("'k'");
        assertThatThrownBy(() -> Write.text("x").payload(nested(100_000))).as("no StackOverflowError")
                .hasMessageContaining("payload is nested deeper");
    }

    /** Arrays in arrays, {@code depth} levels, built without recursion. */
    private static JsonNode nested(int depth) {
        ArrayNode root = JsonNodeFactory.instance.arrayNode();
        ArrayNode node = root;
        for (int level = 1; level < depth; level++) {
            node = node.addArray();
        }
        node.add("bottom");
        return root;
    }

    @Test
    void idsMustBeValidUnicode() {
        assertThatThrownBy(() -> record().id("r\ud800").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("id is not valid Unicode");
        assertThatThrownBy(() -> Context.of(List.of("ok", "\udfff"))).hasMessageContaining("context id is not valid");
        assertThat(record().id("r\ud83d\ude00").build().id()).endsWith("\ude00");
    }

    @Test
    void kindsAreValidatedAndComparable() {
        assertThat(Kind.of("FACT")).isEqualTo(Kind.FACT);
        assertThatThrownBy(() -> Kind.of("fact")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Kind.of("A".repeat(65))).isInstanceOf(IllegalArgumentException.class);
        List<Kind> all = new ArrayList<>(List.of(Kind.MESSAGE, Kind.EPISODE, Kind.FACT, Kind.PREFERENCE,
                Kind.PROCEDURE, Kind.PROFILE, Kind.SUMMARY, Kind.RESOURCE));
        assertThat(new HashSet<>(all)).hasSize(8);
    }
}
