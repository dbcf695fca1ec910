package dev.loci;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a caller writes: the text and, optionally, how to file it. Start with {@link #text(String)} and refine with
 * the copying setters ({@code Write.text("...").kind(Kind.FACT).importance(0.9)}). Immutable; validated once more
 * when the {@link MemoryRecord} is built.
 *
 * @param text       the content, not blank, at most {@value MemoryRecord#MAX_TEXT_LENGTH} characters
 * @param kind       what it is; {@link Kind#MESSAGE} by default
 * @param occurredAt when it happened; null means "when written"; like {@code expiresAt}, within
 *                   {@link MemoryRecord#MIN_INSTANT}..{@link MemoryRecord#MAX_INSTANT}
 * @param importance 0..1; 0.5 by default
 * @param source     who said it; {@link Source#USER} by default
 * @param tags       free tags
 * @param metadata   free metadata; each value nested at most {@value MemoryRecord#MAX_NESTING_DEPTH} levels deep
 * @param payload    optional structured content, nested at most {@value MemoryRecord#MAX_NESTING_DEPTH} levels deep
 * @param embedding  a vector computed by the caller with the memory's embedder model, or null to have Loci embed
 * @param expiresAt  when to forget it, or null
 * @param sourceIds  ids of the messages it came from (e.g. a chat platform's message ids), for provenance
 */
public record Write(
        String text,
        Kind kind,
        @Nullable Instant occurredAt,
        double importance,
        Source source,
        Set<String> tags,
        Map<String, JsonNode> metadata,
        @Nullable JsonNode payload,
        @Nullable Embedding embedding,
        @Nullable Instant expiresAt,
        List<String> sourceIds) {

    public Write {
        Objects.requireNonNull(text, "text must not be null");
        if (text.isBlank()) {
            throw new IllegalArgumentException("text must not be blank");
        }
        if (text.length() > MemoryRecord.MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException("text is " + text.length() + " characters long; the limit is "
                    + MemoryRecord.MAX_TEXT_LENGTH);
        }
        Objects.requireNonNull(kind, "kind must not be null");
        Checks.inRange("occurredAt", occurredAt);
        Checks.inRange("expiresAt", expiresAt);
        if (!(importance >= 0.0 && importance <= 1.0)) {
            throw new IllegalArgumentException("importance must be within 0..1, was " + importance);
        }
        Objects.requireNonNull(source, "source must not be null");
        tags = Set.copyOf(Objects.requireNonNull(tags, "tags must not be null"));
        metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata must not be null"));
        metadata.forEach((key, value) -> Checks.nesting("metadata value of '" + key + "'", value));
        Checks.nesting("payload", payload);
        payload = payload == null ? null : payload.deepCopy();
        sourceIds = List.copyOf(Objects.requireNonNull(sourceIds, "sourceIds must not be null"));
    }

    /** A message with the given text and every other field at its default. */
    public static Write text(String text) {
        return new Write(text, Kind.MESSAGE, null, 0.5, Source.USER, Set.of(), Map.of(), null, null, null,
                List.of());
    }

    public Write kind(Kind kind) {
        return new Write(text, kind, occurredAt, importance, source, tags, metadata, payload, embedding,
                expiresAt, sourceIds);
    }

    public Write occurredAt(Instant occurredAt) {
        return new Write(text, kind, Objects.requireNonNull(occurredAt, "occurredAt must not be null"), importance,
                source, tags, metadata, payload, embedding, expiresAt, sourceIds);
    }

    public Write importance(double importance) {
        return new Write(text, kind, occurredAt, importance, source, tags, metadata, payload, embedding,
                expiresAt, sourceIds);
    }

    public Write source(Source source) {
        return new Write(text, kind, occurredAt, importance, source, tags, metadata, payload, embedding,
                expiresAt, sourceIds);
    }

    public Write tags(String... tags) {
        return new Write(text, kind, occurredAt, importance, source, Set.of(tags), metadata, payload, embedding,
                expiresAt, sourceIds);
    }

    public Write metadata(Map<String, JsonNode> metadata) {
        return new Write(text, kind, occurredAt, importance, source, tags, metadata, payload, embedding,
                expiresAt, sourceIds);
    }

    public Write payload(JsonNode payload) {
        return new Write(text, kind, occurredAt, importance, source, tags, metadata, payload, embedding,
                expiresAt, sourceIds);
    }

    public Write embedding(Embedding embedding) {
        return new Write(text, kind, occurredAt, importance, source, tags, metadata, payload, embedding,
                expiresAt, sourceIds);
    }

    public Write sourceIds(String... sourceIds) {
        return new Write(text, kind, occurredAt, importance, source, tags, metadata, payload, embedding, expiresAt,
                List.of(sourceIds));
    }

    public Write expiresAt(Instant expiresAt) {
        return new Write(text, kind, occurredAt, importance, source, tags, metadata, payload, embedding,
                expiresAt, sourceIds);
    }
}
