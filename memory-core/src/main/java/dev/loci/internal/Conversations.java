package dev.loci.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.loci.Context;
import dev.loci.Kind;
import dev.loci.MemoryRecord;
import dev.loci.Scope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The last messages written to each scope, so that a new message can name them as its {@link Context}. Only
 * {@link Kind#MESSAGE} records take part; a scope is a conversation (its session, when it names one). Bounded to
 * about {@value #MAX_SCOPES} recently written scopes: an evicted scope's next message starts without context.
 * Thread-safe; rebuilt from the journal on open.
 */
final class Conversations {
    static final int MAX_SCOPES = 10_000;

    private final Cache<Scope, List<String>> last = Caffeine.newBuilder().maximumSize(MAX_SCOPES).build();

    /** Takes note of a new message and returns its context: the messages before it in its scope, if any. */
    @Nullable Context next(Scope scope, String id) {
        AtomicReference<List<String>> before = new AtomicReference<>(List.of());
        last.asMap().compute(scope, (s, ids) -> {
            if (ids != null) {
                before.set(ids);
            }
            return append(ids, id);
        });
        return before.get().isEmpty() ? null : Context.of(before.get());
    }

    /** Takes note of a message replayed or imported. */
    void remember(MemoryRecord record) {
        if (Kind.MESSAGE.equals(record.kind())) {
            last.asMap().compute(record.scope(), (s, ids) -> append(ids, record.id()));
        }
    }

    /** Purged records end no conversation. */
    void forget(Collection<String> ids) {
        Set<String> gone = Set.copyOf(ids);
        last.asMap().replaceAll((scope, kept) -> kept.stream().filter(id -> !gone.contains(id)).toList());
    }

    private static List<String> append(@Nullable List<String> ids, String id) {
        List<String> next = new ArrayList<>(ids == null ? List.of() : ids);
        next.add(id);
        return List.copyOf(next.subList(Math.max(0, next.size() - Context.MAX_IDS), next.size()));
    }
}
