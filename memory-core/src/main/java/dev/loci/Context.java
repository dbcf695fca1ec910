package dev.loci;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The conversation around a message: the records said just before it in its scope. A reply such as "Yes, I did!"
 * means nothing alone; the memory indexes it together with what it answers, so that a question about that can
 * find it, while {@link Recall} still returns only the message's own text. Immutable.
 *
 * <p>The memory fills it in: {@link #ids()} when the message is written (journaled: ids, never another record's
 * text); {@link #text()} and {@link #embedding()} when the message is indexed (kept by the long-term store, derived
 * again from the ids whenever needed). Purging a record that another's context names re-indexes that other record
 * without it, so no byte of the purged text stays behind.
 *
 * @param ids       the preceding records, oldest first, at most {@value #MAX_IDS}
 * @param text      their texts, oldest first, one a line; empty until indexed or when none of them is left
 * @param embedding the embedding of {@code text} followed by the record's own text; null until indexed
 */
public record Context(List<String> ids, String text, @Nullable Embedding embedding) {
    /** How many preceding records a context names at most. */
    public static final int MAX_IDS = 2;

    public Context {
        Objects.requireNonNull(ids, "context ids must not be null");
        if (ids.isEmpty() || ids.size() > MAX_IDS) {
            throw new IllegalArgumentException("a context names 1.." + MAX_IDS + " records, not " + ids.size());
        }
        for (String id : ids) {
            Objects.requireNonNull(id, "context ids must not contain null");
            if (id.isBlank() || id.length() > MemoryRecord.MAX_ID_LENGTH) {
                throw new IllegalArgumentException("context id must be 1.." + MemoryRecord.MAX_ID_LENGTH
                        + " non-blank characters, was " + id.length() + " characters");
            }
            Checks.validUnicode("context id", id);
        }
        ids = List.copyOf(ids);
        Objects.requireNonNull(text, "context text must not be null");
        if (text.length() > MAX_IDS * MemoryRecord.MAX_TEXT_LENGTH + MAX_IDS) {
            throw new IllegalArgumentException("context text is " + text.length() + " characters long; the limit is "
                    + (MAX_IDS * MemoryRecord.MAX_TEXT_LENGTH + MAX_IDS));
        }
    }

    /** A context naming these records, not indexed yet. */
    public static Context of(List<String> ids) {
        return new Context(ids, "", null);
    }

    /** This context as the journal keeps it: the ids alone. */
    public Context idsOnly() {
        return text.isEmpty() && embedding == null ? this : of(ids);
    }
}
