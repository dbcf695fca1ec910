package dev.loci.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.loci.Context;
import dev.loci.CorruptedMemoryException;
import dev.loci.HistoryEntry;
import dev.loci.MemoryRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One journal entry: a change to records. Every change but {@link Type#PURGED} carries the record as it is
 * afterwards; a purge carries only ids, so that no byte of a purged text survives in the journal.
 *
 * @param type   what happened
 * @param at     when, by the memory's clock
 * @param record the record after the change; null for a purge
 * @param ids    the purged ids; empty otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Event(Type type, Instant at, @Nullable MemoryRecord record, List<String> ids) {
    enum Type {
        WRITTEN, IMPORTED, PROMOTED, FADED, ARCHIVED, PURGED;

        HistoryEntry.Change change() {
            return HistoryEntry.Change.valueOf(name());
        }
    }

    Event {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        ids = List.copyOf(ids);
        if ((type == Type.PURGED) != (record == null)) {
            throw new IllegalArgumentException("a " + type + " event " + (record == null ? "needs" : "has no")
                    + " record");
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
        return new Event(type, at, record, List.of());
    }

    static Event purged(Instant at, List<String> ids) {
        return new Event(Type.PURGED, at, null, ids);
    }

    /** The id this event changes, or null for a purge. */
    @Nullable String recordId() {
        return record == null ? null : record.id();
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
