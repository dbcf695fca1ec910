package dev.loci;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.loci.internal.Json;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One memory, whatever tier holds it (the "MemCube" of ARCHITECTURE.md). Immutable and thread-safe: every
 * collection, the payload and the metadata values are copied at construction, and the record is validated there.
 * Its JSON form ({@link #toJson()}) is the export/import format, one record a line. Every instant it carries lies
 * within {@link #MIN_INSTANT}..{@link #MAX_INSTANT}.
 *
 * @param id             time-ordered identity (UUIDv7 when Loci assigns it), at most 128 characters, valid Unicode
 * @param scope          the owner
 * @param kind           what it is
 * @param text           the content, not blank, at most {@value #MAX_TEXT_LENGTH} characters
 * @param payload        optional structured content, nested at most {@value #MAX_NESTING_DEPTH} levels deep
 * @param embedding      the vector, once the embedder has produced it; null while pending
 * @param context        for a message, the records said just before it in its scope, which it is indexed with;
 *                       null if none
 * @param recordedAt     when the memory learned it
 * @param occurredAt     when it happened (e.g. the conversation turn's date)
 * @param validFrom      from when the fact held
 * @param validTo        until when it held; null while it still holds; not before {@code validFrom}
 * @param expiresAt      when it should be forgotten (TTL), or null
 * @param accessCount    how often a read returned it
 * @param lastAccessedAt when a read last returned it, or null
 * @param importance     0..1, how much it matters
 * @param strength       0..1, what decay lowers
 * @param source         who produced it
 * @param sourceIds      the messages it came from
 * @param derivedFrom    the records it was merged or extracted from
 * @param tier           which tier holds it
 * @param state          its lifecycle state
 * @param version        1 for the first version, +1 for every change
 * @param supersedes     the id of the record this one replaced, or null
 * @param tags           free tags, each not blank
 * @param metadata       free metadata: string keys, JSON values (each nested at most {@value #MAX_NESTING_DEPTH}
 *                       levels deep)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MemoryRecord(
        String id,
        Scope scope,
        Kind kind,
        String text,
        @Nullable JsonNode payload,
        @Nullable Embedding embedding,
        @Nullable Context context,
        Instant recordedAt,
        Instant occurredAt,
        Instant validFrom,
        @Nullable Instant validTo,
        @Nullable Instant expiresAt,
        long accessCount,
        @Nullable Instant lastAccessedAt,
        double importance,
        double strength,
        Source source,
        List<String> sourceIds,
        List<String> derivedFrom,
        Tier tier,
        State state,
        long version,
        @Nullable String supersedes,
        SortedSet<String> tags,
        SortedMap<String, JsonNode> metadata) {

    /** The longest text accepted, in characters. Longer text should be split or summarised before writing. */
    public static final int MAX_TEXT_LENGTH = 32_768;
    /**
     * The metadata key under which the memory notes the periods a text names relatively ("yesterday", "last
     * week"), resolved against the day it {@linkplain #occurredAt() happened} in the memory clock's zone: an array of
     * {@code {"phrase": "yesterday", "from": "2023-05-07", "to": "2023-05-07", "words": "7 May 2023"}}. Set at
     * {@code write} unless the caller set the key; stores index the words with the text.
     */
    public static final String DATES = "dates";
    /** The longest id accepted. */
    public static final int MAX_ID_LENGTH = 128;
    /**
     * The highest version {@link Memory#importFrom} accepts: 2<sup>53</sup>, the largest integer every JSON reader
     * holds exactly. The memory's own changes may take a record past it, so every imported record can still change.
     */
    public static final long MAX_IMPORTED_VERSION = 1L << 53;
    /**
     * How deep the payload and each metadata value may nest arrays and objects: far below the 1,000 levels the JSON
     * reader accepts for a whole journal entry, so a record that is accepted can always be journaled and read back.
     */
    public static final int MAX_NESTING_DEPTH = 256;
    /**
     * The earliest instant a record may carry: the start of year 1 (UTC). With {@link #MAX_INSTANT} it keeps years
     * to four digits, which every JSON reader of an export understands, and far enough from {@link Instant}'s own
     * limits that date arithmetic on a record (its day, its age) cannot overflow.
     */
    public static final Instant MIN_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
    /** The latest instant a record may carry: the end of year 9999 (UTC). */
    public static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999999999Z");

    public MemoryRecord {
        requireText("id", id, MAX_ID_LENGTH);
        Checks.validUnicode("id", id);
        Objects.requireNonNull(scope, "scope must not be null");
        Objects.requireNonNull(kind, "kind must not be null");
        requireText("text", text, MAX_TEXT_LENGTH);
        Checks.nesting("payload", payload);
        payload = payload == null ? null : payload.deepCopy();
        Checks.inRange("recordedAt", Objects.requireNonNull(recordedAt, "recordedAt must not be null"));
        Checks.inRange("occurredAt", Objects.requireNonNull(occurredAt, "occurredAt must not be null"));
        Checks.inRange("validFrom", Objects.requireNonNull(validFrom, "validFrom must not be null"));
        Checks.inRange("validTo", validTo);
        Checks.inRange("expiresAt", expiresAt);
        Checks.inRange("lastAccessedAt", lastAccessedAt);
        if (validTo != null && validTo.isBefore(validFrom)) {
            throw new IllegalArgumentException("validTo " + validTo + " is before validFrom " + validFrom);
        }
        if (accessCount < 0) {
            throw new IllegalArgumentException("accessCount must not be negative, was " + accessCount);
        }
        requireUnit("importance", importance);
        requireUnit("strength", strength);
        Objects.requireNonNull(source, "source must not be null");
        sourceIds = copyIds("sourceIds", sourceIds);
        derivedFrom = copyIds("derivedFrom", derivedFrom);
        Objects.requireNonNull(tier, "tier must not be null");
        Objects.requireNonNull(state, "state must not be null");
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
        Objects.requireNonNull(tags, "tags must not be null");
        TreeSet<String> tagCopy = new TreeSet<>();
        for (String tag : tags) {
            requireText("tag", tag, 256);
            tagCopy.add(tag);
        }
        tags = Collections.unmodifiableSortedSet(tagCopy);
        Objects.requireNonNull(metadata, "metadata must not be null");
        TreeMap<String, JsonNode> metaCopy = new TreeMap<>();
        metadata.forEach((key, value) -> {
            requireText("metadata key", key, 256);
            Objects.requireNonNull(value, () -> "metadata value of '" + key + "' must not be null");
            Checks.nesting("metadata value of '" + key + "'", value);
            metaCopy.put(key, value.deepCopy());
        });
        metadata = Collections.unmodifiableSortedMap(metaCopy);
    }

    /** A builder for a new record of the given identity; every other field has the default a fresh write gets. */
    public static Builder builder(String id, Scope scope, String text, Instant now) {
        return new Builder(id, scope, text, now);
    }

    /** A builder holding every field of this record, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public @Nullable JsonNode payload() {
        return payload == null ? null : payload.deepCopy();
    }

    @Override
    public SortedMap<String, JsonNode> metadata() {
        TreeMap<String, JsonNode> copy = new TreeMap<>();
        metadata.forEach((key, value) -> copy.put(key, value.deepCopy()));
        return Collections.unmodifiableSortedMap(copy);
    }

    /** True if the record is {@link State#ACTIVE}. */
    @JsonIgnore
    public boolean isActive() {
        return state == State.ACTIVE;
    }

    /** This record as one line of JSON, the export format. */
    public String toJson() {
        return Json.write(this);
    }

    /**
     * Reads a record from its JSON form.
     *
     * @throws IllegalArgumentException if the JSON is malformed or the record it describes is invalid; the message
     *                                  says what was wrong
     */
    public static MemoryRecord fromJson(String json) {
        return Json.read(json, MemoryRecord.class);
    }

    @Override
    public String toString() {
        // Never the text: records end up in logs, and memory text is the user's private data.
        return "MemoryRecord[" + id + ", " + scope + ", " + kind + ", " + tier + ", " + state + ", v" + version + "]";
    }

    private static void requireText(String name, @Nullable String value, int limit) {
        Objects.requireNonNull(value, () -> name + " must not be null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        if (value.length() > limit) {
            throw new IllegalArgumentException(name + " is " + value.length() + " characters long; the limit is "
                    + limit);
        }
    }

    private static void requireUnit(String name, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(name + " must be within 0..1, was " + value);
        }
    }

    private static List<String> copyIds(String name, @Nullable List<String> ids) {
        Objects.requireNonNull(ids, () -> name + " must not be null");
        for (String id : ids) {
            requireText(name + " element", id, MAX_ID_LENGTH);
        }
        return List.copyOf(ids);
    }

    /** Mutable, not thread-safe builder of a {@link MemoryRecord}; {@link #build()} validates. */
    public static final class Builder {
        private String id;
        private Scope scope;
        private Kind kind = Kind.MESSAGE;
        private String text;
        private @Nullable JsonNode payload;
        private @Nullable Embedding embedding;
        private @Nullable Context context;
        private Instant recordedAt;
        private Instant occurredAt;
        private Instant validFrom;
        private @Nullable Instant validTo;
        private @Nullable Instant expiresAt;
        private long accessCount;
        private @Nullable Instant lastAccessedAt;
        private double importance = 0.5;
        private double strength = 1.0;
        private Source source = Source.USER;
        private List<String> sourceIds = List.of();
        private List<String> derivedFrom = List.of();
        private Tier tier = Tier.SHORT_TERM;
        private State state = State.ACTIVE;
        private long version = 1;
        private @Nullable String supersedes;
        private Set<String> tags = Set.of();
        private Map<String, JsonNode> metadata = Map.of();

        private Builder(String id, Scope scope, String text, Instant now) {
            this.id = id;
            this.scope = scope;
            this.text = text;
            this.recordedAt = now;
            this.occurredAt = now;
            this.validFrom = now;
        }

        private Builder(MemoryRecord r) {
            id = r.id;
            scope = r.scope;
            kind = r.kind;
            text = r.text;
            payload = r.payload;
            embedding = r.embedding;
            context = r.context;
            recordedAt = r.recordedAt;
            occurredAt = r.occurredAt;
            validFrom = r.validFrom;
            validTo = r.validTo;
            expiresAt = r.expiresAt;
            accessCount = r.accessCount;
            lastAccessedAt = r.lastAccessedAt;
            importance = r.importance;
            strength = r.strength;
            source = r.source;
            sourceIds = r.sourceIds;
            derivedFrom = r.derivedFrom;
            tier = r.tier;
            state = r.state;
            version = r.version;
            supersedes = r.supersedes;
            tags = r.tags;
            metadata = r.metadata;
        }

        public Builder id(String id) { this.id = id; return this; }
        public Builder scope(Scope scope) { this.scope = scope; return this; }
        public Builder kind(Kind kind) { this.kind = kind; return this; }
        public Builder text(String text) { this.text = text; return this; }
        public Builder payload(@Nullable JsonNode payload) { this.payload = payload; return this; }
        public Builder embedding(@Nullable Embedding embedding) { this.embedding = embedding; return this; }
        public Builder context(@Nullable Context context) { this.context = context; return this; }
        public Builder recordedAt(Instant recordedAt) { this.recordedAt = recordedAt; return this; }
        public Builder occurredAt(Instant occurredAt) { this.occurredAt = occurredAt; return this; }
        public Builder validFrom(Instant validFrom) { this.validFrom = validFrom; return this; }
        public Builder validTo(@Nullable Instant validTo) { this.validTo = validTo; return this; }
        public Builder expiresAt(@Nullable Instant expiresAt) { this.expiresAt = expiresAt; return this; }
        public Builder accessCount(long accessCount) { this.accessCount = accessCount; return this; }
        public Builder lastAccessedAt(@Nullable Instant at) { this.lastAccessedAt = at; return this; }
        public Builder importance(double importance) { this.importance = importance; return this; }
        public Builder strength(double strength) { this.strength = strength; return this; }
        public Builder source(Source source) { this.source = source; return this; }
        public Builder sourceIds(List<String> sourceIds) { this.sourceIds = sourceIds; return this; }
        public Builder derivedFrom(List<String> derivedFrom) { this.derivedFrom = derivedFrom; return this; }
        public Builder tier(Tier tier) { this.tier = tier; return this; }
        public Builder state(State state) { this.state = state; return this; }
        public Builder version(long version) { this.version = version; return this; }
        public Builder supersedes(@Nullable String supersedes) { this.supersedes = supersedes; return this; }
        public Builder tags(Set<String> tags) { this.tags = tags; return this; }
        public Builder metadata(Map<String, JsonNode> metadata) { this.metadata = metadata; return this; }

        /** Validates and builds; throws {@link IllegalArgumentException} or NPE naming the bad field. */
        public MemoryRecord build() {
            return new MemoryRecord(id, scope, kind, text, payload, embedding, context, recordedAt, occurredAt,
                    validFrom, validTo, expiresAt, accessCount, lastAccessedAt, importance, strength, source,
                    sourceIds, derivedFrom, tier, state, version, supersedes, new TreeSet<>(tags),
                    new TreeMap<>(metadata));
        }
    }
}
