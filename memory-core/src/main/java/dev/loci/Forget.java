package dev.loci;

import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What {@link Memory#forget} removes and how. Select by {@link #ids}, by {@link #where filter} or
 * {@link #everything()} in the scope; the mode is {@link Mode#ARCHIVE} unless {@link #purge()} is called.
 * Immutable.
 *
 * @param mode   archive (hide from reads, keep in history) or purge (erase from every view and the journal)
 * @param targetIds the ids to forget, or empty when selecting by filter
 * @param filter the records to forget, when not selecting by id
 */
public record Forget(Mode mode, Set<String> targetIds, Predicate<MemoryRecord> filter) {
    /** How a forgotten record goes. */
    public enum Mode {
        /** Hidden from reads; kept in history and export. Reversible by re-import. */
        ARCHIVE,
        /** Removed from every view and rewritten out of the journal: afterwards no byte of its text remains. */
        PURGE
    }

    public Forget {
        Objects.requireNonNull(mode, "forget mode must not be null");
        targetIds = Set.copyOf(Objects.requireNonNull(targetIds, "forget ids must not be null"));
        Objects.requireNonNull(filter, "forget filter must not be null");
    }

    /** The records with these ids (archived unless {@link #purge()}). */
    public static Forget ids(String... ids) {
        if (ids.length == 0) {
            throw new IllegalArgumentException("forget ids must name at least one id");
        }
        Set<String> set = Set.of(ids);
        return new Forget(Mode.ARCHIVE, set, record -> set.contains(record.id()));
    }

    /** The records matching a filter. */
    public static Forget where(Predicate<MemoryRecord> filter) {
        return new Forget(Mode.ARCHIVE, Set.of(), filter);
    }

    /** Every record in the scope. */
    public static Forget everything() {
        return new Forget(Mode.ARCHIVE, Set.of(), record -> true);
    }

    /** The same selection, purged. */
    public Forget purge() {
        return new Forget(Mode.PURGE, targetIds, filter);
    }

    /** The same selection, archived. */
    public Forget archive() {
        return new Forget(Mode.ARCHIVE, targetIds, filter);
    }
}
