package dev.loci.testkit;

import dev.loci.Context;
import dev.loci.Embedding;
import dev.loci.MemoryRecord;
import dev.loci.Query;
import dev.loci.Scope;
import dev.loci.spi.LongTermStore;
import dev.loci.spi.StoreHit;
import dev.loci.spi.Vectors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.TreeMap;

/**
 * The reference model of a {@link LongTermStore}: a plain in-memory map, searched by an exact cosine scan. Real
 * stores are checked against it ({@link LongTermStoreContract}); it is also handy in users' tests where a Lucene
 * index is more than they need.
 *
 * <p><b>No lexical channel.</b> {@link #lexical} always returns an empty list: lexical search (BM25, stemming,
 * analysis) stays Lucene's job and is deliberately not re-written here (see ARCHITECTURE.md). A memory built on this
 * store ranks by its semantic and short-term channels only.
 *
 * <p>Nothing is persisted: the directory given to the factory is ignored, {@link #commit(long)} only records the
 * sequence, and a newly opened store is empty with {@link #checkpoint()} 0.
 *
 * <p>Thread-safe: every method holds the store's lock, so calls are linearizable; none blocks on I/O. Calls after
 * {@link #close()} throw {@link IllegalStateException}; bad arguments throw {@link IllegalArgumentException} or
 * {@link NullPointerException} naming what was wrong, before anything changes.
 */
public final class ExactLongTermStore implements LongTermStore {
    private final int dimension;
    private final TreeMap<String, MemoryRecord> records = new TreeMap<>();
    private long checkpoint;
    private boolean closed;

    private ExactLongTermStore(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be at least 1, was " + dimension);
        }
        this.dimension = dimension;
    }

    /** A factory of empty stores; it ignores the directory. */
    public static LongTermStore.Factory factory() {
        return (Path directory, int dimension) -> {
            Objects.requireNonNull(directory, "directory must not be null");
            return new ExactLongTermStore(dimension);
        };
    }

    @Override
    public synchronized void upsert(Collection<MemoryRecord> batch) {
        Objects.requireNonNull(batch, "records must not be null");
        List<MemoryRecord> checked = List.copyOf(batch);
        for (MemoryRecord record : checked) {
            checkEmbedding(record);
        }
        ensureOpen();
        for (MemoryRecord record : checked) {
            records.put(record.id(), record);
        }
    }

    @Override
    public synchronized void delete(Collection<String> ids) {
        List<String> checked = List.copyOf(Objects.requireNonNull(ids, "ids must not be null"));
        ensureOpen();
        checked.forEach(records::remove);
    }

    @Override
    public synchronized Optional<MemoryRecord> get(String id) {
        Objects.requireNonNull(id, "id must not be null");
        ensureOpen();
        return Optional.ofNullable(records.get(id));
    }

    @Override
    public synchronized List<MemoryRecord> list(Scope scope) {
        Objects.requireNonNull(scope, "scope must not be null");
        ensureOpen();
        return records.values().stream().filter(r -> scope.contains(r.scope())).toList();
    }

    @Override
    public synchronized boolean hasUser(String user) {
        Objects.requireNonNull(user, "user must not be null");
        ensureOpen();
        return records.values().stream().anyMatch(r -> r.scope().user().equals(user));
    }

    /** Always empty, after checking the arguments: this store has no lexical channel (see the class comment). */
    @Override
    public synchronized List<StoreHit> lexical(Scope scope, Query query, int k) {
        checkSearch(scope, query, k);
        ensureOpen();
        return List.of();
    }

    @Override
    public synchronized List<StoreHit> semantic(Scope scope, Query query, float[] vector, int k) {
        return nearest(scope, query, vector, k, record -> Objects.requireNonNull(record.embedding()));
    }

    /** Nearest by the context embedding, or the record's own where it has none. */
    @Override
    public synchronized List<StoreHit> semanticInContext(Scope scope, Query query, float[] vector, int k) {
        return nearest(scope, query, vector, k, record -> {
            Context context = record.context();
            return context != null && context.embedding() != null ? context.embedding()
                    : Objects.requireNonNull(record.embedding());
        });
    }

    /** True if a record the scope sees has a context text or a context embedding. */
    @Override
    public synchronized boolean holdsContext(Scope scope) {
        Objects.requireNonNull(scope, "scope must not be null");
        ensureOpen();
        return records.values().stream().anyMatch(record -> scope.sees(record.scope()) && record.context() != null
                && (!record.context().text().isEmpty() || record.context().embedding() != null));
    }

    private List<StoreHit> nearest(Scope scope, Query query, float[] vector, int k,
                                   Function<MemoryRecord, Embedding> embedding) {
        checkSearch(scope, query, k);
        Objects.requireNonNull(vector, "vector must not be null");
        if (vector.length != dimension) {
            throw new IllegalArgumentException("query vector has dimension " + vector.length
                    + "; the store's dimension is " + dimension);
        }
        ensureOpen();
        List<StoreHit> hits = new ArrayList<>();
        for (MemoryRecord record : records.values()) {
            if (scope.sees(record.scope()) && query.accepts(record)) {
                hits.add(StoreHit.of(record, Vectors.cosine(vector, embedding.apply(record).vector())));
            }
        }
        // Best first; ties in id order so the result is deterministic.
        hits.sort(Comparator.comparingDouble(StoreHit::score).reversed()
                .thenComparing(StoreHit::id));
        return List.copyOf(hits.subList(0, Math.min(k, hits.size())));
    }

    @Override
    public synchronized void commit(long journalSequence) {
        ensureOpen();
        checkpoint = journalSequence;
    }

    @Override
    public synchronized long checkpoint() {
        ensureOpen();
        return checkpoint;
    }

    /** Drops every record; closing twice is allowed. */
    @Override
    public synchronized void close() {
        closed = true;
        records.clear();
    }


    private void checkEmbedding(MemoryRecord record) {
        Objects.requireNonNull(record, "records must not contain null");
        Embedding embedding = record.embedding();
        if (embedding == null) {
            throw new IllegalArgumentException("record " + record.id() + " has no embedding; the store needs one of "
                    + "dimension " + dimension);
        }
        if (embedding.dimension() != dimension) {
            throw new IllegalArgumentException("record " + record.id() + " has an embedding of dimension "
                    + embedding.dimension() + "; the store's dimension is " + dimension);
        }
    }

    private static void checkSearch(Scope scope, Query query, int k) {
        Objects.requireNonNull(scope, "scope must not be null");
        Objects.requireNonNull(query, "query must not be null");
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
    }
}
