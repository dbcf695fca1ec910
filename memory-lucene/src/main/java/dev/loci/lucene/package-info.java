/**
 * The Lucene long-term store: one index holding each record's JSON, its text for BM25 (English analysis), its
 * embedding for HNSW k-NN (cosine) and its scope, kind and state for filters.
 *
 * <pre>{@code
 * Memory memory = Loci.builder().directory(dir).longTermStore(LuceneStore.inMemory()).build();
 * }</pre>
 *
 * The on-disk store is the default {@link dev.loci.spi.LongTermStore.Factory} found by {@link java.util.ServiceLoader}.
 */
@NullMarked
package dev.loci.lucene;

import org.jspecify.annotations.NullMarked;
