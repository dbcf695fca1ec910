package dev.loci.spi;

import dev.loci.MemoryRecord;
import dev.loci.Query;
import dev.loci.Scope;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link LongTermStore} that forwards every call, default methods included, to another store: extend it and
 * override what you want to change (count calls, switch a channel off, inject a fault). Thread-safe if the
 * delegate and your overrides are.
 */
public abstract class ForwardingLongTermStore implements LongTermStore {
    private final LongTermStore delegate;

    protected ForwardingLongTermStore(LongTermStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
    }

    /** The store calls are forwarded to. */
    protected LongTermStore delegate() {
        return delegate;
    }

    @Override
    public void upsert(Collection<MemoryRecord> records) {
        delegate.upsert(records);
    }

    @Override
    public void delete(Collection<String> ids) {
        delegate.delete(ids);
    }

    @Override
    public Optional<MemoryRecord> get(String id) {
        return delegate.get(id);
    }

    @Override
    public List<MemoryRecord> getAll(Collection<String> ids) {
        return delegate.getAll(ids);
    }

    @Override
    public List<MemoryRecord> list(Scope scope) {
        return delegate.list(scope);
    }

    @Override
    public boolean hasUser(String user) {
        return delegate.hasUser(user);
    }

    @Override
    public List<StoreHit> lexical(Scope scope, Query query, int k) {
        return delegate.lexical(scope, query, k);
    }

    @Override
    public List<StoreHit> semantic(Scope scope, Query query, float[] vector, int k) {
        return delegate.semantic(scope, query, vector, k);
    }

    @Override
    public List<StoreHit> lexicalInContext(Scope scope, Query query, int k) {
        return delegate.lexicalInContext(scope, query, k);
    }

    @Override
    public List<StoreHit> semanticInContext(Scope scope, Query query, float[] vector, int k) {
        return delegate.semanticInContext(scope, query, vector, k);
    }

    @Override
    public boolean holdsContext(Scope scope) {
        return delegate.holdsContext(scope);
    }

    @Override
    public void commit(long journalSequence) {
        delegate.commit(journalSequence);
    }

    @Override
    public void verify() {
        delegate.verify();
    }

    @Override
    public long checkpoint() {
        return delegate.checkpoint();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
