package dev.loci.spi;

import dev.loci.MemoryRecord;
import dev.loci.Query;
import dev.loci.Scope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The durable long-term view of the journal: records with their embeddings, searchable by text and by vector.
 *
 * <p>A memory drives its store from one background thread (writes) and reads from any thread, so implementations
 * must allow concurrent reads during writes; changes become visible to reads when the call that made them returns.
 * Changes become durable at {@link #commit(long)}, which also records the journal sequence the store covers; on
 * open the memory replays the journal past {@link #checkpoint()}. A store must reject a record whose embedding is
 * missing or of another dimension with {@link IllegalArgumentException}.
 *
 * <p>Search channels return only records that the scope {@linkplain Scope#sees sees} and the query
 * {@linkplain Query#accepts(MemoryRecord) accepts} (kind, time window, state and validity), best first.
 * Fusion of channels happens in the memory, not the store. {@code memory-testkit} has a contract suite.
 */
public interface LongTermStore extends AutoCloseable {

    /** Opens a store; the memory calls it once when it is built. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param directory a directory of the store's own under the memory's directory (it may ignore it and
         *                  keep everything in RAM, to be rebuilt from the journal on open)
         * @param dimension the embedder's dimension
         */
        LongTermStore open(Path directory, int dimension);
    }

    /** Adds the records, replacing any stored record with the same id. */
    void upsert(Collection<MemoryRecord> records);

    /** Removes the records with these ids; unknown ids are ignored. After the next commit no byte of them remains. */
    void delete(Collection<String> ids);

    /** The stored record with this id, in any state. */
    Optional<MemoryRecord> get(String id);

    /**
     * The stored records with these ids, in any state, in the order of {@code ids}; ids not stored are left out. A
     * read loads the records its channels ranked best through this, once; the default asks {@link #get} for each.
     */
    default List<MemoryRecord> getAll(Collection<String> ids) {
        List<MemoryRecord> records = new ArrayList<>(Objects.requireNonNull(ids, "ids must not be null").size());
        for (String id : ids) {
            get(id).ifPresent(records::add);
        }
        return records;
    }

    /** Every stored record the scope {@linkplain Scope#contains contains}, in any state, in id order. */
    List<MemoryRecord> list(Scope scope);

    /** True if any stored record has this scope's user. */
    boolean hasUser(String user);

    /** The best {@code k} records by text relevance (BM25 or the store's equivalent). */
    List<StoreHit> lexical(Scope scope, Query query, int k);

    /** The {@code k} records nearest to the vector (cosine similarity). */
    List<StoreHit> semantic(Scope scope, Query query, float[] vector, int k);

    /**
     * The best {@code k} records by the relevance of their text read in its {@linkplain MemoryRecord#context()
     * context} (the context's text followed by the record's own; the record's text alone where it has none). A
     * store that does not index context returns nothing, which switches the channel off.
     */
    default List<StoreHit> lexicalInContext(Scope scope, Query query, int k) {
        return List.of();
    }

    /**
     * The {@code k} records whose {@linkplain dev.loci.Context#embedding() context embedding} (their own where they
     * have none) is nearest to the vector. A store that does not index context returns nothing.
     */
    default List<StoreHit> semanticInContext(Scope scope, Query query, float[] vector, int k) {
        return List.of();
    }

    /**
     * False only if the in-context channels would rank exactly as the plain ones for this scope: no record it
     * {@linkplain Scope#sees sees} has a context of its own (a context text or a context embedding). The memory then
     * asks only {@link #lexical} and {@link #semantic} and uses their answers for the in-context channels too, which
     * halves the work of a read over memories without messages. The default, true, always asks all four. (A decorator
     * that changes what one channel answers, such as one switching a channel off, must return true.)
     */
    default boolean holdsContext(Scope scope) {
        return true;
    }

    /**
     * Makes every change so far durable, together with the journal sequence it covers; physically removes deleted
     * records. Blocks on I/O.
     */
    void commit(long journalSequence);

    /**
     * Reads every durable file of the store and checks its checksums, for {@link dev.loci.Memory#verify()}. A store
     * without durable files (or without checksums) does nothing, which is the default.
     *
     * @throws dev.loci.CorruptedMemoryException naming the damaged file
     */
    default void verify() {
    }

    /**
     * The journal sequence covered by the last commit; 0 for a new store. Throws {@link dev.loci.MemoryException}
     * once the store has failed and refuses further work: the memory asks before every operation.
     */
    long checkpoint();

    @Override
    void close();
}
