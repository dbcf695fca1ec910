package dev.loci.internal;

import dev.loci.Context;
import dev.loci.Embedding;
import dev.loci.MemoryException;
import dev.loci.MemoryRecord;
import dev.loci.Scope;
import dev.loci.spi.Embedder;
import dev.loci.spi.LongTermStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background half of the write path: one thread that applies journaled changes to the long-term store in the
 * order they were submitted, embedding new texts in batches. Until a change is applied, {@link #pending} shows it
 * to reads (read-your-writes). What it embeds goes to the journal too ({@link Event.Embedded}, handed to
 * {@code onEmbedded} before the store gets the record), and recovery hands it back ({@link #journaled}), so that
 * re-indexing a journal tail embeds nothing already embedded. If applying fails, the indexer stops and every later
 * call reports the failure (a store that may be damaged refuses further work). The thread runs once {@link #start}ed
 * (recovery submits the whole tail first). Thread-safe.
 */
final class Indexer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Indexer.class);

    private sealed interface Op {
    }

    private record Upsert(MemoryRecord record) implements Op {
    }

    private record Delete(List<String> ids) implements Op {
    }

    private record Commit(long sequence, CompletableFuture<Void> done) implements Op {
    }

    private record Stop() implements Op {
    }

    private final LongTermStore store;
    private final Embedder embedder;
    private final Consumer<MemoryRecord> onIndexed;
    private final Consumer<List<Event.Embedded>> onEmbedded;
    private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    /** Commits in the queue: while another follows, a commit can wait for it (see {@link #run}). */
    private final AtomicInteger queuedCommits = new AtomicInteger();
    /** Latest submitted, not yet applied version of each record (a purge maps to {@link #PURGED}). */
    private final Map<String, MemoryRecord> pending = new ConcurrentHashMap<>();
    private final Set<String> purging = ConcurrentHashMap.newKeySet();
    /**
     * Embeddings the log holds for records recovery submitted, by id: of texts, and of contexts (each entry holds one
     * or the other); used once each, if the digest of what it embedded matches.
     */
    private final Map<String, Event.Embedded> journaledTexts = new ConcurrentHashMap<>();
    private final Map<String, Event.Embedded> journaledContexts = new ConcurrentHashMap<>();
    private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    private final Thread thread;

    /**
     * @param onIndexed  told of each record once the store has it
     * @param onEmbedded told, on the indexer's thread, of the embeddings it computed, before the store gets their
     *                   records; it journals them (a failure stops the indexer)
     */
    Indexer(LongTermStore store, Embedder embedder, Consumer<MemoryRecord> onIndexed,
            Consumer<List<Event.Embedded>> onEmbedded) {
        this.store = store;
        this.embedder = embedder;
        this.onIndexed = onIndexed;
        this.onEmbedded = onEmbedded;
        this.thread = Thread.ofPlatform().daemon().name("loci-indexer").unstarted(this::run);
    }

    /** Starts applying what was submitted; once. */
    void start() {
        thread.start();
    }

    /**
     * Embeddings the journal holds for a record submitted since the indexer was made (recovery replays them after the
     * record's event): the indexer uses them instead of embedding the same texts again. Ignored for a record not
     * pending.
     */
    void journaled(Event.Embedded embedded) {
        if (pending.containsKey(embedded.id())) {
            if (embedded.embedding() != null) {
                journaledTexts.put(embedded.id(), embedded);
            }
            if (embedded.contextEmbedding() != null) {
                journaledContexts.put(embedded.id(), embedded);
            }
        }
    }

    /** Forgets what the log held for the record: the store has it now, or it is gone. */
    private void forgetJournaled(String id) {
        journaledTexts.remove(id);
        journaledContexts.remove(id);
    }

    /** Queues a new version of a record. */
    void upsert(MemoryRecord record) {
        checkHealthy();
        pending.put(record.id(), record);
        purging.remove(record.id());
        queue.add(new Upsert(record));
    }

    /** Queues the removal of records. */
    void delete(Collection<String> ids) {
        checkHealthy();
        ids.forEach(id -> {
            pending.remove(id);
            purging.add(id);
        });
        queue.add(new Delete(List.copyOf(ids)));
    }

    /** Queues a checkpoint covering the given journal sequence; the future completes once it is durable. */
    CompletableFuture<Void> commit(long sequence) {
        checkHealthy();
        CompletableFuture<Void> done = new CompletableFuture<>();
        queuedCommits.incrementAndGet();
        queue.add(new Commit(sequence, done));
        return done;
    }

    /** The latest version of a record that the store does not have yet, if any. */
    @Nullable MemoryRecord pending(String id) {
        return pending.get(id);
    }

    /** Every pending record version. */
    Collection<MemoryRecord> pendingRecords() {
        return List.copyOf(pending.values());
    }

    /** True if the record is being purged and the store may still return it. */
    boolean isPurging(String id) {
        return purging.contains(id);
    }

    void checkHealthy() {
        if (failure.get() == null) {
            try {
                // The store may have failed in this thread's call before the indexer thread caught it (a read found
                // the store broken): from then on the memory refuses work, as it will once the indexer notices.
                store.checkpoint();
            } catch (MemoryException e) {
                failure.compareAndSet(null, e);
            }
        }
        Throwable cause = failure.get();
        if (cause != null) {
            throw new MemoryException("the long-term indexer failed and the memory refuses further work: " + cause,
                    cause);
        }
    }

    /** Waits for a future of this indexer, turning its failure into a {@link MemoryException}. */
    static void await(CompletableFuture<Void> future) {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MemoryException("interrupted while waiting for the long-term store", e);
        } catch (ExecutionException e) {
            throw new MemoryException("the long-term store failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        queue.add(new Stop());
        if (thread.getState() == Thread.State.NEW) {
            return; // never started (an open that failed)
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Applies the queue in order. A commit followed by another in the queue is left to that one, which covers all it
     * would (the ops before it) and more, but only ops queued before the later commit was, whose journal entries were
     * durable by then: many consolidations in a row cost one Lucene commit, not one each.
     */
    private void run() {
        List<Op> batch = new ArrayList<>();
        List<CompletableFuture<Void>> deferred = new ArrayList<>(); // commits left to a later one
        try {
            while (true) {
                Op op = queue.take();
                if (op instanceof Stop) {
                    return;
                }
                if (op instanceof Commit c && queuedCommits.decrementAndGet() > 0 && failure.get() == null) {
                    deferred.add(c.done);
                    continue;
                }
                if (failure.get() != null) {
                    if (op instanceof Commit c) {
                        c.done.completeExceptionally(failure.get());
                        deferred.forEach(d -> d.completeExceptionally(failure.get()));
                        deferred.clear();
                    }
                    continue;
                }
                try {
                    switch (op) {
                        case Upsert u -> {
                            batch.add(u);
                            while (batch.size() < embedder.maxBatchSize() && queue.peek() instanceof Upsert) {
                                batch.add(queue.poll());
                            }
                            applyUpserts(batch);
                            batch.clear();
                        }
                        case Delete d -> {
                            store.delete(d.ids);
                            d.ids.forEach(id -> {
                                purging.remove(id);
                                forgetJournaled(id);
                            });
                        }
                        case Commit c -> {
                            store.commit(c.sequence);
                            c.done.complete(null);
                            deferred.forEach(d -> d.complete(null));
                            deferred.clear();
                        }
                        case Stop s -> throw new AssertionError("handled above");
                    }
                } catch (RuntimeException | Error e) {
                    LOG.error("long-term indexing failed; the memory refuses further work", e);
                    failure.set(e);
                    if (op instanceof Commit c) {
                        c.done.completeExceptionally(e);
                        deferred.forEach(d -> d.completeExceptionally(e));
                        deferred.clear();
                    }
                    batch.clear();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * What indexing a record needs: its embedding and, for a record with a context, the context's text and the
     * embedding of that text followed by the record's; each embedding reused from the stored version where its text
     * is unchanged, null where it must be computed.
     */
    private record Plan(MemoryRecord record, @Nullable Embedding embedding, @Nullable ContextText contextText,
                        @Nullable Embedding contextEmbedding) {
        boolean embedsContext() {
            return contextText != null && !contextText.text().isEmpty() && contextEmbedding == null;
        }

        String contextAndText() {
            return Indexer.contextAndText(Objects.requireNonNull(contextText).text(), record.text());
        }
    }

    /** What a record's context embedding embeds: the context's text, a line break, the record's text. */
    private static String contextAndText(String context, String text) {
        return context + "\n" + text;
    }

    /** A context's text and the records it holds the texts of. */
    private record ContextText(String text, List<String> ids) {
    }

    private void applyUpserts(List<Op> batch) {
        // Several versions of one record in a batch (written, then promoted before the indexer came): the store
        // keeps only the newest, so only it is embedded, once.
        Map<String, MemoryRecord> newest = new LinkedHashMap<>();
        for (Op op : batch) {
            newest.merge(((Upsert) op).record.id(), ((Upsert) op).record, Indexer::newer);
        }
        List<Plan> plans = new ArrayList<>(newest.size());
        List<String> texts = new ArrayList<>(); // everything to embed, in one pass
        for (MemoryRecord next : newest.values()) {
            Plan plan = plan(next);
            plans.add(plan);
            if (plan.embedding() == null) {
                texts.add(plan.record().text());
            }
            if (plan.embedsContext()) {
                texts.add(plan.contextAndText());
            }
        }
        Iterator<Embedding> vectors = embed(texts).iterator(); // consumed in the order texts were added
        List<MemoryRecord> records = new ArrayList<>(plans.size());
        List<Event.Embedded> computed = new ArrayList<>();
        for (Plan plan : plans) {
            MemoryRecord.Builder record = plan.record().toBuilder();
            Embedding embedding = plan.embedding() != null ? null : vectors.next();
            record.embedding(embedding != null ? embedding : plan.embedding());
            Context context = plan.record().context();
            Embedding contextEmbedding = plan.embedsContext() ? vectors.next() : null;
            if (context != null) {
                record.context(new Context(context.ids(), Objects.requireNonNull(plan.contextText()).text(),
                        contextEmbedding != null ? contextEmbedding : plan.contextEmbedding()));
            }
            records.add(record.build());
            // Apart, so that a purge of a record in the context drops the context's embedding but keeps the text's.
            if (embedding != null) {
                computed.add(new Event.Embedded(plan.record().id(), Event.Embedded.digest(plan.record().text()),
                        embedding, List.of(), null, null));
            }
            if (contextEmbedding != null) {
                computed.add(new Event.Embedded(plan.record().id(), null, null,
                        Objects.requireNonNull(plan.contextText()).ids(),
                        Event.Embedded.digest(plan.contextAndText()), contextEmbedding));
            }
        }
        if (!computed.isEmpty()) {
            onEmbedded.accept(computed);
        }
        store.upsert(records);
        for (MemoryRecord record : records) {
            forgetJournaled(record.id());
            // Only clear the overlay if no newer version was submitted meanwhile.
            pending.computeIfPresent(record.id(), (id, p) -> p.version() <= record.version() ? null : p);
            onIndexed.accept(record);
        }
    }

    /** The newer version, carrying over a caller's embedding of the same text that a later change left out. */
    private static MemoryRecord newer(MemoryRecord a, MemoryRecord b) {
        MemoryRecord older = a.version() > b.version() ? b : a;
        MemoryRecord newer = older == a ? b : a;
        Embedding supplied = older.embedding();
        return newer.embedding() == null && supplied != null && older.text().equals(newer.text())
                ? newer.toBuilder().embedding(supplied).build() : newer;
    }

    /**
     * Each embedding from the first place that has it for the same text: the record (a caller's), the store's
     * version, the journal's (after a crash); null where none does.
     */
    private Plan plan(MemoryRecord record) {
        Context context = record.context();
        MemoryRecord stored = record.embedding() == null || context != null ? store.get(record.id()).orElse(null)
                : null;
        Embedding embedding = record.embedding();
        if (embedding == null && stored != null && stored.text().equals(record.text())) {
            embedding = ours(stored.embedding());
        }
        Event.Embedded knownText = journaledTexts.get(record.id());
        if (embedding == null && knownText != null
                && Event.Embedded.digest(record.text()).equals(knownText.textDigest())) {
            embedding = ours(knownText.embedding());
        }
        if (context == null) {
            return new Plan(record, embedding, null, null);
        }
        ContextText text = contextText(context, record.scope());
        Embedding contextEmbedding = null;
        if (!text.text().isEmpty()) {
            Context old = stored == null ? null : stored.context();
            if (old != null && old.text().equals(text.text())) {
                contextEmbedding = ours(old.embedding());
            }
            Event.Embedded knownContext = journaledContexts.get(record.id());
            if (contextEmbedding == null && knownContext != null && Event.Embedded.digest(
                    contextAndText(text.text(), record.text())).equals(knownContext.contextDigest())) {
                contextEmbedding = ours(knownContext.contextEmbedding());
            }
        }
        return new Plan(record, embedding, text, contextEmbedding);
    }

    /** The texts' embeddings, in batches of at most the embedder's batch size. */
    private List<Embedding> embed(List<String> texts) {
        List<Embedding> vectors = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += embedder.maxBatchSize()) {
            List<String> chunk = texts.subList(from, Math.min(texts.size(), from + embedder.maxBatchSize()));
            for (float[] vector : embedder.embedDocuments(chunk)) {
                vectors.add(new Embedding(embedder.modelId(), vector));
            }
        }
        return vectors;
    }

    /** The embedding if this memory's embedder made it, else null (to be embedded again). */
    private @Nullable Embedding ours(@Nullable Embedding embedding) {
        return embedding != null && embedding.model().equals(embedder.modelId()) ? embedding : null;
    }

    /**
     * The texts of the context's records that still exist in the same scope, one a line. A record ahead in the queue
     * is in {@link #pending} (it leaves only after the store has it), so pending first, then the store. The memory
     * only ever names records of the message's own scope, but an imported record may name any id: another scope's
     * record is skipped, so that its text never reaches a reader who cannot see it.
     */
    private ContextText contextText(Context context, Scope scope) {
        StringBuilder text = new StringBuilder();
        List<String> ids = new ArrayList<>();
        for (String id : context.ids()) {
            MemoryRecord before = pending.get(id);
            if (before == null) {
                before = store.get(id).orElse(null);
            }
            if (before != null && before.scope().equals(scope)) {
                text.append(text.isEmpty() ? "" : "\n").append(before.text());
                ids.add(id);
            }
        }
        return new ContextText(text.toString(), List.copyOf(ids));
    }
}
