package dev.loci;

import java.time.Instant;
import java.util.Objects;

/**
 * One event in a record's life, as {@link Memory#history} returns it: what happened, when, and the record as it
 * was afterwards. Immutable.
 *
 * @param sequence the event's position in the journal
 * @param at       when it happened, by the memory's clock
 * @param change   what happened
 * @param record   the record after the change
 */
public record HistoryEntry(long sequence, Instant at, Change change, MemoryRecord record) {
    /** What an event did to a record. */
    public enum Change {
        WRITTEN, IMPORTED, PROMOTED, FADED, ARCHIVED
    }

    public HistoryEntry {
        Objects.requireNonNull(at, "at must not be null");
        Objects.requireNonNull(change, "change must not be null");
        Objects.requireNonNull(record, "record must not be null");
    }
}
