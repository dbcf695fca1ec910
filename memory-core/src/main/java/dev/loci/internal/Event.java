package dev.loci.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.loci.Context;
import dev.loci.CorruptedMemoryException;
import dev.loci.Embedding;
import dev.loci.HistoryEntry;
import dev.loci.MemoryRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One journal entry: a change to records, or the embeddings the indexer computed for one. Every change but
 * {@link Type#PURGED} carries the record as it is afterwards; a purge carries only ids, so that no byte of a purged
 * text survives in the journal; {@link Type#EMBEDDED} carries {@link Embedded} (no text), so that recovery re-indexes
 * without embedding again.
 *
 * @param type     what happened
 * @param at       when, by the memory's clock
 * @param record   the record after the change; null for a purge and for embeddings
 * @param ids      the purged ids; empty otherwise
 * @param embedded the embeddings of an {@link Type#EMBEDDED} event; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Event(Type type, Instant at, @Nullable MemoryRecord record, List<String> ids, @Nullable Embedded embedded) {
    enum Type {
        WRITTEN, IMPORTED, PROMOTED, FADED, ARCHIVED, PURGED, EMBEDDED;

        /** What {@link dev.loci.Memory#history} calls it; not for {@link #EMBEDDED}, which changes no record. */
        HistoryEntry.Change change() {
            return HistoryEntry.Change.valueOf(name());
        }
    }

    /**
     * Embeddings the indexer computed for a record: its text's, its context's (the texts of the records
     * {@code contextIds} names, then its own), or both. A digest stands for each text embedded, so that recovery
     * uses an embedding only for the same text; the texts themselves are not journaled again.
     *
     * @param id               the record
     * @param textDigest       {@link #digest} of the text {@code embedding} embeds; null with it
     * @param embedding        the text's embedding, or null if it was not computed (a caller's or reused)
     * @param contextIds       the records whose texts the context embedding holds (empty without one): a purge of
     *                         any of them drops this event
     * @param contextDigest    {@link #digest} of the context text followed by the record's; null with it
     * @param contextEmbedding the embedding of the context text followed by the record's, or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Embedded(String id, @Nullable String textDigest, @Nullable Embedding embedding, List<String> contextIds,
                    @Nullable String contextDigest, @Nullable Embedding contextEmbedding) {
        Embedded {
            Objects.requireNonNull(id, "id");
            contextIds = contextIds == null ? List.of() : List.copyOf(contextIds);
            if ((textDigest == null) != (embedding == null) || (contextDigest == null) != (contextEmbedding == null)
                    || embedding == null && contextEmbedding == null) {
                throw new IllegalArgumentException("embeddings of " + id + " need a digest each, and one at least");
            }
        }

        /** A short digest of a text (128 bits of its SHA-256, base64): equal texts, equal digests. */
        static String digest(String text) {
            try {
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
                return Base64.getEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 16));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }

        /** True if this names a record in {@code ids}, as itself or in its context. */
        boolean names(Set<String> ids) {
            return ids.contains(id) || contextIds.stream().anyMatch(ids::contains);
        }
    }

    Event {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        ids = List.copyOf(ids);
        boolean carriesRecord = type != Type.PURGED && type != Type.EMBEDDED;
        if (carriesRecord != (record != null) || (type == Type.EMBEDDED) != (embedded != null)) {
            throw new IllegalArgumentException("a " + type + " event " + (carriesRecord ? "needs" : "has no")
                    + " record" + (type == Type.EMBEDDED ? " and needs embeddings" : ""));
        }
    }

    /**
     * An event carrying the record. Of its context only the ids are kept: the context's text is other records'
     * text, which must not outlive a purge of those records in this record's journal entries.
     */
    static Event of(Type type, Instant at, MemoryRecord record) {
        Context context = record.context();
        if (context != null && context.idsOnly() != context) {
            record = record.toBuilder().context(context.idsOnly()).build();
        }
        return new Event(type, at, record, List.of(), null);
    }

    static Event purged(Instant at, List<String> ids) {
        return new Event(Type.PURGED, at, null, ids, null);
    }

    static Event embedded(Instant at, Embedded embedded) {
        return new Event(Type.EMBEDDED, at, null, List.of(), embedded);
    }

    /**
     * True if this entry holds anything of a record in {@code ids}: the record itself, or embeddings of it or of a
     * context that holds its text. A purge rewrites these out of the journal.
     */
    boolean carriesAny(Set<String> ids) {
        return record != null ? ids.contains(record.id()) : embedded != null && embedded.names(ids);
    }

    byte[] encode() {
        return Json.writeBytes(this);
    }

    static Event decode(long sequence, byte[] payload) {
        try {
            return Json.MAPPER.readValue(payload, Event.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new CorruptedMemoryException("journal entry " + sequence + " passed its checksum but cannot be"
                    + " decoded: " + e.getMessage(), e);
        }
    }
}
