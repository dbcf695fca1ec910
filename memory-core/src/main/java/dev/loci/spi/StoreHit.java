package dev.loci.spi;

import dev.loci.MemoryRecord;
import java.util.Objects;

/**
 * One candidate a {@link LongTermStore} channel returns.
 *
 * @param record the stored record
 * @param score  the channel's score (BM25, cosine similarity); higher is better
 */
public record StoreHit(MemoryRecord record, double score) {
    public StoreHit {
        Objects.requireNonNull(record, "record must not be null");
    }
}
