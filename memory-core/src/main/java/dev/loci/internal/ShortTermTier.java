package dev.loci.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.loci.MemoryRecord;
import dev.loci.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * The working buffer: one Caffeine cache per scope, bounded by count and age (on the memory's clock). An eviction
 * is never a loss: the evicted record waits in {@link #drainEvicted()} for the promotion policy, and stays readable
 * until then. Thread-safe and linearizable: every call holds one lock (the calls are short), so a listing sees no
 * change half done. Caffeine's own iteration is only weakly consistent: without the lock a listing racing two puts
 * could show the second record and miss the first, as Lincheck's model checking found.
 */
final class ShortTermTier {
    private final int maxRecords;
    private final Duration maxAge;
    private final Ticker ticker;
    /** By user, then scope: a read looks only at its user's scopes, however many users the memory holds. */
    private final Map<String, Map<Scope, Cache<String, MemoryRecord>>> caches = new ConcurrentHashMap<>();
    private final Queue<MemoryRecord> evicted = new ConcurrentLinkedQueue<>();
    private final Object lock = new Object();

    ShortTermTier(int maxRecords, Duration maxAge, Clock clock) {
        this.maxRecords = maxRecords;
        this.maxAge = maxAge;
        this.ticker = () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }

    void put(MemoryRecord record) {
        change(() -> caches.computeIfAbsent(record.scope().user(), user -> new ConcurrentHashMap<>())
                .computeIfAbsent(record.scope(), scope -> newCache()).put(record.id(), record));
    }

    void remove(MemoryRecord record) {
        change(() -> {
            Cache<String, MemoryRecord> cache = cache(record.scope());
            if (cache != null) {
                cache.invalidate(record.id());
            }
            evicted.removeIf(r -> r.id().equals(record.id()));
        });
    }

    /** Replaces the cached record with the same id and version by one carrying what indexing added (embeddings). */
    void attachIndexed(MemoryRecord indexed) {
        change(() -> {
            Cache<String, MemoryRecord> cache = cache(indexed.scope());
            if (cache != null) {
                cache.asMap().computeIfPresent(indexed.id(), (id, cached) -> cached.version() == indexed.version()
                        ? cached.toBuilder().embedding(indexed.embedding()).context(indexed.context()).build()
                        : cached);
            }
        });
    }

    /**
     * Counts a read of the record: {@code accessCount + 1} (staying at {@link Long#MAX_VALUE} once there, as an
     * imported record may start there), {@code lastAccessedAt = now}.
     */
    void touch(MemoryRecord record, Instant now) {
        change(() -> {
            Cache<String, MemoryRecord> cache = cache(record.scope());
            if (cache != null) {
                cache.asMap().computeIfPresent(record.id(), (id, cached) -> cached.toBuilder()
                        .accessCount(cached.accessCount() == Long.MAX_VALUE ? Long.MAX_VALUE
                                : cached.accessCount() + 1)
                        .lastAccessedAt(now).build());
            }
        });
    }

    private @Nullable Cache<String, MemoryRecord> cache(Scope scope) {
        Map<Scope, Cache<String, MemoryRecord>> users = caches.get(scope.user());
        return users == null ? null : users.get(scope);
    }

    /** Every held record (including evicted ones awaiting the policy) whose scope matches. */
    List<MemoryRecord> records(Predicate<Scope> scopes) {
        return records(null, scopes);
    }

    /** As {@link #records(Predicate)}, among the scopes of one user (null: every user's). */
    List<MemoryRecord> records(@Nullable String user, Predicate<Scope> scopes) {
        synchronized (lock) {
            List<MemoryRecord> out = new ArrayList<>();
            Collection<Map<Scope, Cache<String, MemoryRecord>>> users = user == null ? caches.values()
                    : caches.containsKey(user) ? List.of(caches.get(user)) : List.of();
            for (Map<Scope, Cache<String, MemoryRecord>> scoped : users) {
                scoped.forEach((scope, cache) -> {
                    if (scopes.test(scope)) {
                        out.addAll(cache.asMap().values());
                    }
                });
            }
            for (MemoryRecord record : evicted) {
                if ((user == null || record.scope().user().equals(user)) && scopes.test(record.scope())) {
                    out.add(record);
                }
            }
            return out;
        }
    }

    boolean hasUser(String user) {
        synchronized (lock) {
            Map<Scope, Cache<String, MemoryRecord>> scoped = caches.get(user);
            return scoped != null && scoped.values().stream().anyMatch(cache -> cache.estimatedSize() > 0)
                    || evicted.stream().anyMatch(r -> r.scope().user().equals(user));
        }
    }

    /**
     * Runs pending expirations (so age evictions happen on the clock's time) and drops empty caches. The caller
     * must exclude concurrent {@link #put}s (the memory's write lock), or a put could land in a dropped cache.
     */
    void cleanUp() {
        change(() -> {
            for (Map<Scope, Cache<String, MemoryRecord>> scoped : caches.values()) {
                scoped.values().forEach(Cache::cleanUp);
                scoped.values().removeIf(cache -> cache.estimatedSize() == 0);
            }
            caches.values().removeIf(Map::isEmpty);
        });
    }

    boolean hasEvicted() {
        return !evicted.isEmpty();
    }

    /** How many evicted records wait for the promotion policy. */
    int evictedCount() {
        return evicted.size();
    }

    /** Takes the records evicted since the last call, oldest eviction first. */
    List<MemoryRecord> drainEvicted() {
        List<MemoryRecord> out = new ArrayList<>();
        change(() -> {
            for (MemoryRecord record; (record = evicted.poll()) != null; ) {
                out.add(record);
            }
        });
        return out;
    }

    private void change(Runnable change) {
        synchronized (lock) {
            change.run();
        }
    }

    private Cache<String, MemoryRecord> newCache() {
        return Caffeine.newBuilder()
                .maximumSize(maxRecords)
                .expireAfterWrite(maxAge)
                .ticker(ticker)
                .executor(Runnable::run)
                .<String, MemoryRecord>removalListener((id, record, cause) -> {
                    if (cause.wasEvicted() && record != null) {
                        evicted.add(record);
                    }
                })
                .build();
    }
}
