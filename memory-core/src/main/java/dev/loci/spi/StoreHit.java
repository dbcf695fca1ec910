package dev.loci.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One candidate a {@link LongTermStore} channel returns: which record, how well it matched, and the two things the
 * memory weighs besides the rank. Channels rank; the memory fuses the rankings and then loads only the records that
 * win ({@link LongTermStore#getAll}), so a channel need not read a record's stored form (a store keeps the two
 * values at hand, as Lucene's doc values).
 *
 * @param id         the record's id
 * @param score      the channel's score (BM25, cosine similarity); higher is better
 * @param importance the record's {@link dev.loci.MemoryRecord#importance()}
 * @param occurredAt the record's {@link dev.loci.MemoryRecord#occurredAt()}
 */
public record StoreHit(String id, double score, double importance, Instant occurredAt) {
    public StoreHit {
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(occurredAt, "occurredAt must not be null");
    }

    /** The hit of a record, for stores that hold records at hand. */
    public static StoreHit of(dev.loci.MemoryRecord record, double score) {
        return new StoreHit(record.id(), score, record.importance(), record.occurredAt());
    }
}
