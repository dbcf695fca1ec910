package dev.loci.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.loci.Consolidation;
import dev.loci.CorruptedMemoryException;
import dev.loci.Context;
import dev.loci.Embedding;
import dev.loci.Forget;
import dev.loci.HistoryEntry;
import dev.loci.Kind;
import dev.loci.Memory;
import dev.loci.MemoryException;
import dev.loci.MemoryRecord;
import dev.loci.MemoryScheduler;
import dev.loci.Query;
import dev.loci.Recall;
import dev.loci.RecoveryMode;
import dev.loci.Scope;
import dev.loci.ScopeException;
import dev.loci.State;
import dev.loci.Tier;
import dev.loci.Write;
import dev.loci.internal.journal.Journal;
import dev.loci.internal.journal.JournalIo;
import dev.loci.policy.PromotionPolicy;
import dev.loci.policy.PromotionPolicy.Decision;
import dev.loci.policy.PromotionPolicy.Trigger;
import dev.loci.spi.Embedder;
import dev.loci.spi.LongTermStore;
import dev.loci.spi.StoreHit;
import dev.loci.spi.Tokenizer;
import dev.loci.spi.Vectors;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory: a journal beneath a short-term tier (Caffeine) and a long-term store, fed by a background indexer.
 *
 * <p>Concurrency: writes hold the read side of {@link #lock} (so they run in parallel and share fsyncs); every
 * other change (forget, promotion, import, checkpoints) holds the write side, so it never interleaves with a write
 * between the journal append and the submission to the indexer. Reads take no lock: they combine the short-term
 * tier, the indexer's pending overlay and the store.
 */
public final class LociMemory implements Memory {
    private static final Logger LOG = LoggerFactory.getLogger(LociMemory.class);
    /**
     * Writes hand what the short-term tier evicted to the promotion policy once this many wait (ticks, consolidation
     * and forget take them at any count): one journal group, one fsync, for them all, where one per write would cost
     * each write a second fsync under the write lock. Until then they stay readable in the short-term tier (and are
     * in it again after a reopen: the journal still has them as short-term records).
     */
    static final int EVICTION_BATCH = 64;
    /** The directory of the embeddings' log, beside the journal's. */
    static final String EMBEDDINGS = "embeddings";
    /** How many recent questions' vectors a memory keeps. */
    static final int QUERY_CACHE_SIZE = 1024;

    private final Clock clock;
    private final Embedder embedder;
    private final PromotionPolicy policy;
    private final Tokenizer tokenizer;
    private final @Nullable Duration recencyHalfLife;
    private final Journal journal;
    /**
     * The embeddings the indexer computed, apart from the journal so that a writer's fsync never carries them: synced
     * every second, cut at damage (what it loses is embedded again), rewritten with the journal on a purge.
     */
    private final Journal embeddings;
    private final LongTermStore store;
    private final ShortTermTier shortTerm;
    private final Indexer indexer;
    private final Ids ids;
    private final Conversations conversations = new Conversations();
    /** The vectors of recent questions: embedders are deterministic, so a repeated question skips the model. */
    private final Cache<String, float[]> queryVectors = Caffeine.newBuilder().maximumSize(QUERY_CACHE_SIZE).build();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile @Nullable ScheduledExecutorService ownScheduler;
    private volatile @Nullable ScheduledFuture<?> ticks;
    private volatile boolean closed;

    private LociMemory(MemoryConfig config, Journal journal, Journal embeddings, LongTermStore store) {
        this.clock = config.clock();
        this.embedder = config.embedder();
        this.policy = config.promotionPolicy();
        this.tokenizer = config.tokenizer();
        this.recencyHalfLife = config.recencyHalfLife();
        this.journal = journal;
        this.embeddings = embeddings;
        this.store = store;
        this.shortTerm = new ShortTermTier(config.shortTermRecords(), config.shortTermAge(), clock);
        this.indexer = new Indexer(store, embedder, shortTerm::attachIndexed, this::journalEmbeddings);
        this.ids = new Ids(clock);
    }

    /** Starts the automatic ticks, once recovery is done (a tick must never run beside it). */
    private void startTicks(MemoryConfig config) {
        if (config.manualTicks()) {
            return;
        }
        ScheduledExecutorService executor = config.scheduleExecutor();
        if (executor == null) {
            executor = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("loci-scheduler").factory());
            ownScheduler = executor;
        }
        long period = config.tickInterval().toMillis();
        ticks = executor.scheduleAtFixedRate(this::scheduledTick, period, period, TimeUnit.MILLISECONDS);
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** Opens the memory in the configured directory, replaying the journal past the store's checkpoint. */
    public static Memory open(MemoryConfig config) {
        return open(config, JournalIo.DISK);
    }

    /** As {@link #open(MemoryConfig)}, with the journal's files on {@code journalIo} (tests: a simulated disk). */
    public static Memory open(MemoryConfig config, JournalIo journalIo) {
        Path directory = config.directory();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new MemoryException("cannot create the memory directory " + directory + ": " + e, e);
        }
        Journal.Options options = config.durability().waitForSync()
                ? Journal.Options.sync() : Journal.Options.async(config.durability().interval());
        Journal journal = Journal.open(directory.resolve("journal"),
                config.recoveryMode() == RecoveryMode.TRUNCATE_AT_DAMAGE ? options.truncatingAtDamage() : options,
                journalIo);
        if (journal.cutAtDamage()) {
            try {
                // The store may hold what was cut away, and its checkpoint may lie past the journal's end: rebuild.
                deleteRecursively(directory.resolve("long-term"));
                LOG.warn("the journal was cut at damage: the long-term store in {} is rebuilt from what is left",
                        directory.resolve("long-term"));
            } catch (IOException e) {
                journal.close();
                throw new MemoryException("cannot remove the long-term store " + directory.resolve("long-term")
                        + " to rebuild it after cutting the journal: " + e, e);
            }
        }
        LongTermStore store;
        try {
            store = config.longTermStore().open(directory.resolve("long-term"), config.embedder().dimension());
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
        try {
            // The journal was checked entry by entry; the store's files are read lazily by searches, so check them
            // now: a damaged index must fail here, not answer a search wrongly later.
            store.verify();
        } catch (RuntimeException e) {
            RuntimeException failure = e instanceof CorruptedMemoryException corrupted
                    ? new CorruptedMemoryException(corrupted.getMessage() + " (the long-term store is rebuilt from the"
                            + " journal if you delete " + directory.resolve("long-term") + ")", corrupted)
                    : e;
            throw closedAfter(failure, store, journal);
        }
        Journal embeddings;
        try {
            embeddings = Journal.open(directory.resolve(EMBEDDINGS), Journal.Options.async(Duration.ofSeconds(1))
                    .truncatingAtDamage(), journalIo);
        } catch (RuntimeException e) {
            throw closedAfter(e, store, journal);
        }
        LociMemory memory = new LociMemory(config, journal, embeddings, store);
        try {
            memory.recover();
            memory.indexer.checkHealthy(); // a store that failed while recovering fails the open, not a later call
            LOG.info("opened memory in {}: journal at sequence {}, store checkpoint {}", directory,
                    journal.lastSequence(), store.checkpoint());
            memory.startTicks(config);
        } catch (RuntimeException e) {
            try {
                memory.close(); // releases the journal: a failed open must not lock the directory
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return memory;
    }

    /**
     * Closes the store and the journal an open that failed had opened, adding what closing throws to the failure;
     * returns the failure. The journal always: left open it would lock the directory until this JVM exits.
     */
    private static RuntimeException closedAfter(RuntimeException failure, LongTermStore store, Journal journal) {
        try {
            store.close();
        } catch (RuntimeException closing) {
            failure.addSuppressed(closing);
        } finally {
            journal.close();
        }
        return failure;
    }

    /**
     * Rebuilds the short-term tier from the whole journal and re-applies to the store what it has not seen; then
     * finishes a purge that a crash interrupted (see {@link #finishPurge}).
     */
    private void recover() {
        long checkpoint = store.checkpoint();
        Map<String, MemoryRecord> working = new LinkedHashMap<>();
        Map<String, Scope> purgedPastCheckpoint = new HashMap<>();
        Event[] last = new Event[1];
        long[] lastSequence = new long[1];
        journal.replay(0, (sequence, payload) -> {
            Event event = Event.decode(sequence, payload);
            last[0] = event;
            lastSequence[0] = sequence;
            MemoryRecord record = event.record();
            if (record == null) {
                event.ids().forEach(working::remove);
                conversations.forget(event.ids());
            } else {
                if (event.type() == Event.Type.WRITTEN || event.type() == Event.Type.IMPORTED) {
                    conversations.remember(record);
                }
                if (record.tier() == Tier.SHORT_TERM && record.isActive()) {
                    working.put(record.id(), record);
                } else {
                    working.remove(record.id());
                }
            }
            if (sequence > checkpoint) {
                if (record == null) {
                    // A purge the store has not committed: note the scopes of the records it still knows, before
                    // they go, to find the messages whose context names them.
                    for (String id : event.ids()) {
                        MemoryRecord known = held(id);
                        if (known != null) {
                            purgedPastCheckpoint.put(id, known.scope());
                        }
                    }
                }
                apply(event);
            }
        });
        for (MemoryRecord record : working.values()) {
            MemoryRecord known = indexer.pending(record.id());
            shortTerm.put(known == null ? store.get(record.id()).orElse(record) : record);
        }
        // The embeddings computed for what the store has not committed, so that the indexer does not compute them
        // again (entries of records no longer pending are ignored).
        embeddings.replay(0, (sequence, payload) -> {
            Event.Embedded embedded = Event.decode(sequence, payload).embedded();
            if (embedded != null) {
                indexer.journaled(embedded);
            }
        });
        indexer.start();
        Event tail = last[0];
        if (tail != null && tail.type() == Event.Type.PURGED) {
            finishPurge(tail, lastSequence[0] > checkpoint, purgedPastCheckpoint);
        }
    }

    /**
     * The journal ends with a purge, which its process may not have finished: a purge appends nothing after its
     * event, so only the last one can be unfinished. If the store has not committed past the event, recovery has just
     * re-applied its delete: the messages whose context names a purged record are indexed again without it, and the
     * store commits. Then the journal is rewritten without the purged records' entries (the store first, as in
     * {@link #purge}). After a finished purge this costs one scan of the journal that drops nothing, or nothing at all
     * when no view knew the purged records (a store in RAM, rebuilt from a journal that no longer holds them).
     */
    private void finishPurge(Event purge, boolean storeBehind, Map<String, Scope> known) {
        Set<String> purged = Set.copyOf(purge.ids());
        int dependants = 0;
        if (storeBehind) {
            if (purged.stream().noneMatch(known::containsKey)) {
                return; // no view knew them: their journal entries are gone, the purge had finished
            }
            List<MemoryRecord> reindexed = dependants(purged, Set.copyOf(known.values()));
            reindexed.forEach(indexer::upsert);
            dependants = reindexed.size();
            Indexer.await(checkpointStore());
        }
        int dropped = rewriteOut(purged);
        if (dependants > 0 || dropped > 0) {
            LOG.info("finished an interrupted purge of {} records: {} records re-indexed, {} journal entries "
                    + "rewritten out", purged.size(), dependants, dropped);
        }
    }


    // ---------------------------------------------------------------- write

    @Override
    public MemoryRecord write(Scope scope, String text) {
        Objects.requireNonNull(text, "text must not be null");
        return write(scope, Write.text(text));
    }

    @Override
    public MemoryRecord write(Scope scope, Write write) {
        Objects.requireNonNull(scope, "scope must not be null");
        Objects.requireNonNull(write, "write must not be null");
        checkOpen();
        indexer.checkHealthy(); // refuse before journaling, not after
        Embedding embedding = write.embedding();
        if (embedding != null) {
            checkEmbedding(embedding, "write embedding");
        }
        Instant now = clock.instant();
        MemoryRecord record = newRecord(scope, write, now);
        journalWritten(List.of(record), now);
        return record;
    }

    @Override
    public List<MemoryRecord> writeAll(Scope scope, List<Write> writes) {
        Objects.requireNonNull(scope, "scope must not be null");
        Objects.requireNonNull(writes, "writes must not be null");
        if (writes.size() > MAX_BATCH_WRITES) {
            throw new IllegalArgumentException("writeAll got " + writes.size() + " writes; the limit is "
                    + MAX_BATCH_WRITES + "; nothing was written");
        }
        for (int i = 0; i < writes.size(); i++) {
            Write write = Objects.requireNonNull(writes.get(i), "writes[" + i + "] must not be null");
            Embedding embedding = write.embedding();
            if (embedding != null) {
                checkEmbedding(embedding, "writes[" + i + "] embedding");
            }
        }
        checkOpen();
        indexer.checkHealthy();
        // Every write is valid now (a Write checks itself when made): no message takes its place in a conversation
        // for a batch that then fails.
        Instant now = clock.instant();
        List<MemoryRecord> records = new ArrayList<>(writes.size());
        for (Write write : writes) {
            records.add(newRecord(scope, write, now));
        }
        if (!records.isEmpty()) {
            journalWritten(records, now);
        }
        return List.copyOf(records);
    }

    /**
     * A new record of the write, in the short-term tier: a new id, the clock's time, a message's context (the
     * messages written before it to the scope), the relative dates its text names.
     */
    private MemoryRecord newRecord(Scope scope, Write write, Instant now) {
        Instant occurredAt = write.occurredAt() != null ? write.occurredAt() : now;
        String id = ids.next();
        return MemoryRecord.builder(id, scope, write.text(), now)
                .kind(write.kind())
                .context(Kind.MESSAGE.equals(write.kind()) ? conversations.next(scope, id) : null)
                .occurredAt(occurredAt)
                .importance(write.importance())
                .source(write.source())
                .tags(write.tags())
                .metadata(withDates(write.metadata(), write.text(), occurredAt))
                .payload(write.payload())
                .embedding(write.embedding())
                .expiresAt(write.expiresAt())
                .sourceIds(write.sourceIds())
                .build();
    }

    /** Journals new records as one group and applies them; then promotes what the short-term tier evicted. */
    private void journalWritten(List<MemoryRecord> records, Instant now) {
        List<Event> events = records.stream().map(r -> Event.of(Event.Type.WRITTEN, now, r)).toList();
        lock.readLock().lock();
        try {
            checkOpen();
            journal.appendAll(events.stream().map(Event::encode).toList());
            events.forEach(this::apply);
        } finally {
            lock.readLock().unlock();
        }
        if (shortTerm.evictedCount() >= EVICTION_BATCH) {
            promoteEvictedLocked();
        }
    }

    /** The metadata plus the periods the text names relatively ({@link MemoryRecord#DATES}), unless already set. */
    private Map<String, JsonNode> withDates(Map<String, JsonNode> metadata, String text, Instant occurredAt) {
        if (metadata.containsKey(MemoryRecord.DATES)) {
            return metadata;
        }
        List<RelativeDates.Mention> mentions = RelativeDates.resolve(text, day(occurredAt));
        if (mentions.isEmpty()) {
            return metadata;
        }
        ArrayNode dates = JsonNodeFactory.instance.arrayNode();
        for (RelativeDates.Mention mention : mentions) {
            dates.addObject().put("phrase", mention.phrase()).put("from", mention.from().toString())
                    .put("to", mention.to().toString()).put("words", mention.words());
        }
        Map<String, JsonNode> with = new HashMap<>(metadata);
        with.put(MemoryRecord.DATES, dates);
        return with;
    }

    private LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, clock.getZone());
    }

    /**
     * Logs the embeddings the indexer computed (on its thread), one entry each, so that recovery does not compute
     * them again: in their own log, synced every second, never by a writer (in the journal a writer's fsync carried
     * them: two pages instead of one a write). Losing the last second of them costs only embedding again. Not under
     * the memory's lock: a purge waits for the indexer to pass its delete before rewriting the logs, so an entry for a
     * purged record is always appended before that rewrite drops it.
     */
    private void journalEmbeddings(List<Event.Embedded> computed) {
        Instant now = clock.instant();
        embeddings.appendAllLazily(computed.stream().map(e -> Event.embedded(now, e).encode()).toList());
    }

    /** Applies a journaled event to the views. Callers hold a lock (or are recovering, alone). */
    private void apply(Event event) {
        MemoryRecord record = event.record();
        if (record == null) {
            indexer.delete(event.ids()); // purge() has already taken them out of the short-term tier
            return;
        }
        if (record.tier() == Tier.SHORT_TERM && record.isActive()) {
            shortTerm.put(record);
        } else {
            shortTerm.remove(record);
        }
        indexer.upsert(record);
    }

    private void checkEmbedding(Embedding embedding, String what) {
        if (embedding.dimension() != embedder.dimension()) {
            throw new IllegalArgumentException(what + " has " + embedding.dimension()
                    + " dimensions; the embedder " + embedder.modelId() + " makes " + embedder.dimension());
        }
        if (!embedding.model().equals(embedder.modelId())) {
            throw new IllegalArgumentException(what + " comes from model '" + embedding.model()
                    + "'; this memory embeds with '" + embedder.modelId() + "'");
        }
        float[] vector = embedding.vector();
        if (Vectors.cosine(vector, vector) == 0) {
            throw new IllegalArgumentException(what + " is all zeros: it has no direction to compare");
        }
    }

    // ---------------------------------------------------------------- read

    @Override
    public List<Recall> read(Scope scope, Query query) {
        Objects.requireNonNull(scope, "scope must not be null");
        Objects.requireNonNull(query, "query must not be null");
        checkOpen();
        indexer.checkHealthy();
        float[] vector = queryVectors.get(query.text(), embedder::embedQuery).clone(); // the cache's own stays intact
        int candidates = Math.max(query.limit() * 3, 30);

        // Newest known version of every record this read may touch: the indexer's pending records first (see
        // contained() for why that order), then the short-term tier; the store is asked last.
        Map<String, MemoryRecord> overlay = new HashMap<>();
        Set<String> pending = new HashSet<>();
        for (MemoryRecord record : indexer.pendingRecords()) {
            overlay.put(record.id(), record);
            pending.add(record.id());
        }
        List<MemoryRecord> working = new ArrayList<>();
        for (MemoryRecord record : shortTerm.records(scope.user(), scope::sees)) {
            overlay.merge(record.id(), record, (a, b) -> a.version() > b.version() ? a : b);
        }
        // The short-term channel scans the working set and what the store does not have yet (a record written and
        // promoted before the indexer reached it would otherwise be invisible for that moment).
        for (MemoryRecord record : overlay.values()) {
            if (scope.sees(record.scope()) && query.accepts(record)) {
                working.add(record);
            }
        }

        Fusion fusion = new Fusion(recencyHalfLife, clock.instant());
        Set<String> found = new HashSet<>();
        Predicate<MemoryRecord> shown = record -> scope.sees(record.scope()) && query.accepts(record);
        List<List<String>> channels = query.accepts(Tier.LONG_TERM)
                ? storeChannels(fusion, scope, query, vector, candidates, overlay, shown)
                : List.of(); // the working set alone: every short-term record is in the tier or the overlay
        channels.forEach(found::addAll);
        // The short-term channel adds what the store's channels could not find (not yet indexed, or beyond their
        // candidates); counting an indexed record twice would only repeat the semantic channel's evidence.
        working.removeIf(record -> found.contains(record.id()));
        // For a record the store does not hold yet it stands in for every store channel that answered, so there it
        // counts that many times: a message written a moment ago is not outranked merely for being found once.
        int answering = Math.max(1, (int) channels.stream().filter(ids -> !ids.isEmpty()).count());
        addShortTerm(fusion, working, query.text(), vector, candidates,
                record -> pending.contains(record.id()) ? answering : 1);
        List<Recall> recalls = Selection.select(fusion.top(Selection.pool(query), ids -> load(ids, shown)), query,
                tokenizer);
        Instant now = clock.instant();
        for (Recall recall : recalls) {
            if (recall.record().tier() == Tier.SHORT_TERM) {
                shortTerm.touch(recall.record(), now);
            }
        }
        return recalls;
    }

    /** Asks the store's four channels (two, if the in-context ones would answer the same); returns their ids. */
    private List<List<String>> storeChannels(Fusion fusion, Scope scope, Query query, float[] vector, int candidates,
                                             Map<String, MemoryRecord> overlay, Predicate<MemoryRecord> shown) {
        Query words = withDateWords(query);
        List<StoreHit> lexical = store.lexical(scope, words, candidates);
        List<StoreHit> semantic = store.semantic(scope, query, vector, candidates);
        boolean context = store.holdsContext(scope); // if not, the in-context channels would answer as these two
        return List.of(
                addStoreChannel(fusion, Recall.LEXICAL, lexical, overlay, shown),
                addStoreChannel(fusion, Recall.SEMANTIC, semantic, overlay, shown),
                addStoreChannel(fusion, Recall.LEXICAL_IN_CONTEXT,
                        context ? store.lexicalInContext(scope, words, candidates) : lexical, overlay, shown),
                addStoreChannel(fusion, Recall.SEMANTIC_IN_CONTEXT,
                        context ? store.semanticInContext(scope, query, vector, candidates) : semantic, overlay,
                        shown));
    }

    /**
     * The query for the lexical channels: its text plus the dates its relative phrases name, counted from today
     * ("what did I do yesterday?" also looks for "29 November 2026"), as stores index those words with the text.
     */
    private Query withDateWords(Query query) {
        StringBuilder text = new StringBuilder(query.text());
        for (RelativeDates.Mention mention : RelativeDates.resolve(query.text(), day(clock.instant()))) {
            text.append('\n').append(mention.words());
        }
        return text.length() > MemoryRecord.MAX_TEXT_LENGTH || text.length() == query.text().length() ? query
                : query.withText(text.toString());
    }

    /**
     * The short-term channel: an exact scan, by cosine where embedded. Records still being embedded come first (they
     * have no vector yet): those sharing the most words with the question first, then the newest.
     */
    private static void addShortTerm(Fusion fusion, List<MemoryRecord> working, String question, float[] vector,
                                     int limit, java.util.function.ToIntFunction<MemoryRecord> weight) {
        record Scored(MemoryRecord record, double score) {
        }
        Set<String> words = words(question);
        // Best first: higher score, then the newer id. Only the best `limit` are kept (after a burst of writes the
        // records waiting for the indexer can be thousands: no need to sort them all).
        Comparator<Scored> best = Comparator.comparingDouble((Scored s) -> -s.score)
                .thenComparing(s -> s.record.id(), Comparator.reverseOrder());
        java.util.PriorityQueue<Scored> kept = new java.util.PriorityQueue<>(best.reversed());
        for (MemoryRecord record : working) {
            Embedding e = record.embedding();
            Scored scored = new Scored(record, e != null ? e.cosine(vector) : PENDING + shared(record.text(), words));
            if (kept.size() < limit) {
                kept.add(scored);
            } else if (best.compare(scored, kept.peek()) < 0) {
                kept.poll();
                kept.add(scored);
            }
        }
        List<Scored> top = new ArrayList<>(kept);
        top.sort(best);
        fusion.add(Recall.SHORT_TERM, top.stream().map(Scored::record).toList(),
                top.stream().map(s -> s.score >= PENDING ? 1.0 : s.score).toList(), weight);
    }

    /** Above every cosine: where records not embedded yet rank in the short-term channel. */
    private static final double PENDING = 2.0;
    /** The lower-case words of a text, for ranking records not embedded yet. */
    private static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        forEachWord(text, words::add);
        return words;
    }

    /** How many of the words the text holds. */
    private static int shared(String text, Set<String> words) {
        Set<String> found = new HashSet<>();
        forEachWord(text, word -> {
            if (words.contains(word)) {
                found.add(word);
            }
        });
        return found.size();
    }

    /**
     * Each run of letters and numbers in the text, lower-cased. A scan, not a regular expression: a read ranks every
     * record still being embedded this way, and after a burst of writes those can be thousands.
     */
    private static void forEachWord(String text, java.util.function.Consumer<String> action) {
        int start = -1;
        for (int i = 0; i <= text.length(); ) {
            int c = i < text.length() ? text.codePointAt(i) : ' ';
            boolean inWord = Character.isLetter(c) || switch (Character.getType(c)) {
                case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
                default -> false;
            };
            if (inWord && start < 0) {
                start = i;
            } else if (!inWord && start >= 0) {
                action.accept(text.substring(start, i).toLowerCase(java.util.Locale.ROOT));
                start = -1;
            }
            i += i < text.length() ? Character.charCount(c) : 1;
        }
    }

    /**
     * Adds one of the store's channels, seen through the overlay of unapplied changes: an id the overlay holds is
     * added with that record (if still shown), any other by id alone, for {@link Fusion#top} to load if it must.
     * Returns the ids added.
     */
    private List<String> addStoreChannel(Fusion fusion, String channel, List<StoreHit> hits,
                                         Map<String, MemoryRecord> overlay, Predicate<MemoryRecord> shown) {
        List<StoreHit> kept = new ArrayList<>();
        List<MemoryRecord> newer = new ArrayList<>();
        for (StoreHit hit : hits) {
            MemoryRecord unapplied = overlay.get(hit.id());
            if (indexer.isPurging(hit.id()) || unapplied != null && !shown.test(unapplied)) {
                continue;
            }
            if (unapplied != null) {
                newer.add(unapplied);
            }
            kept.add(hit);
        }
        fusion.addHits(channel, kept);
        newer.forEach(fusion::know);
        return kept.stream().map(StoreHit::id).toList();
    }

    /**
     * The records of a read's winning candidates, from the store, keeping only what the read may show: the store
     * promises to return only those, and this checks it again (a record of another user is never shown, whatever a
     * store returns); one being purged meanwhile is left out.
     */
    private Map<String, MemoryRecord> load(List<String> ids, Predicate<MemoryRecord> shown) {
        Map<String, MemoryRecord> records = new HashMap<>();
        for (MemoryRecord record : store.getAll(ids)) {
            if (shown.test(record) && !indexer.isPurging(record.id())) {
                records.put(record.id(), record);
            }
        }
        return records;
    }

    // ---------------------------------------------------------------- consolidate, schedule

    @Override
    public Consolidation consolidate(Scope scope) {
        Objects.requireNonNull(scope, "scope must not be null");
        checkOpen();
        Trigger trigger = scope.session() != null ? Trigger.SESSION_END : Trigger.CONSOLIDATE;
        lock.writeLock().lock();
        try {
            checkOpen();
            Consolidation done = promoteEvicted()
                    .plus(offer(shortTerm.records(scope.user(), scope::contains), trigger));
            checkpointStore();
            return done;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public MemoryScheduler scheduler() {
        return this::tick;
    }

    private Consolidation tick() {
        checkOpen();
        lock.writeLock().lock();
        try {
            checkOpen();
            shortTerm.cleanUp();
            Consolidation done = promoteEvicted().plus(offer(shortTerm.records(scope -> true), Trigger.TICK));
            checkpointStore();
            return done;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void scheduledTick() {
        try {
            if (!closed) {
                tick();
            }
        } catch (RuntimeException e) {
            LOG.error("scheduled tick failed", e);
        }
    }

    /** {@link #promoteEvicted()} under the write lock, if the short-term tier has evicted anything. */
    private void promoteEvictedLocked() {
        if (shortTerm.hasEvicted()) {
            lock.writeLock().lock();
            try {
                if (!closed) {
                    promoteEvicted();
                }
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    /** Hands every record the short-term tier evicted to the policy; never drops one. Caller holds the write lock. */
    private Consolidation promoteEvicted() {
        return offer(shortTerm.drainEvicted(), Trigger.EVICTION);
    }

    /** Asks the policy about each record and journals its decisions as one group (one fsync). */
    private Consolidation offer(List<MemoryRecord> records, Trigger trigger) {
        Instant now = clock.instant();
        List<Change> changes = new ArrayList<>();
        int promoted = 0;
        int faded = 0;
        for (MemoryRecord record : records) {
            Decision decision = policy.decide(record, trigger, now);
            if (decision == Decision.KEEP && trigger == Trigger.EVICTION) {
                decision = Decision.PROMOTE;
            }
            switch (decision) {
                case KEEP -> { }
                case PROMOTE -> {
                    changes.add(Change.of(Event.Type.PROMOTED, record.toBuilder().tier(Tier.LONG_TERM), record, now));
                    promoted++;
                }
                case FADE -> {
                    changes.add(Change.of(Event.Type.FADED, record.toBuilder().state(State.ARCHIVED), record, now));
                    faded++;
                }
            }
        }
        journalAndApply(changes);
        return new Consolidation(promoted, faded);
    }

    /** A new version of a record, and the version it replaces. */
    private record Change(Event event, MemoryRecord from) {
        /** The embedding is left out of the journal: the store keeps it. */
        static Change of(Event.Type type, MemoryRecord.Builder changed, MemoryRecord from, Instant now) {
            return new Change(Event.of(type, now, changed.version(from.version() + 1).embedding(null).build()), from);
        }
    }

    /** Journals the changes as one group, then applies them. Caller holds the write lock. */
    private void journalAndApply(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        journal.appendAll(changes.stream().map(change -> change.event().encode()).toList());
        for (Change change : changes) {
            shortTerm.remove(change.from());
            apply(change.event());
        }
    }

    // ---------------------------------------------------------------- forget

    @Override
    public int forget(Scope scope, Forget forget) {
        Objects.requireNonNull(scope, "scope must not be null");
        Objects.requireNonNull(forget, "forget must not be null");
        checkOpen();
        lock.writeLock().lock();
        try {
            checkOpen();
            promoteEvicted();
            List<MemoryRecord> targets = contained(scope, forget.targetIds()).stream()
                    .filter(r -> forget.mode() == Forget.Mode.PURGE || r.isActive())
                    .filter(forget.filter())
                    .toList();
            if (targets.isEmpty()) {
                return 0;
            }
            Instant now = clock.instant();
            if (forget.mode() == Forget.Mode.ARCHIVE) {
                journalAndApply(targets.stream().map(record -> Change.of(Event.Type.ARCHIVED,
                        record.toBuilder().state(State.ARCHIVED), record, now)).toList());
                checkpointStore();
            } else {
                purge(targets, now);
            }
            return targets.size();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void purge(List<MemoryRecord> targets, Instant now) {
        Set<String> purged = new HashSet<>();
        Set<Scope> scopes = new HashSet<>();
        for (MemoryRecord record : targets) {
            purged.add(record.id());
            scopes.add(record.scope());
            shortTerm.remove(record);
        }
        List<MemoryRecord> dependants = dependants(purged, scopes);
        Event event = Event.purged(now, List.copyOf(purged));
        journal.append(event.encode());
        apply(event);
        conversations.forget(purged);
        dependants.forEach(indexer::upsert); // after the delete, in queue order
        // The store first (its checkpoint waits for the PURGED event to be durable), so that a crash in between
        // leaves the journal's event to redo the delete.
        Indexer.await(checkpointStore());
        int dropped = rewriteOut(purged);
        LOG.info("purged {} records ({} journal entries rewritten out)", purged.size(), dropped);
    }

    /**
     * The records of these scopes whose context names a purged record, with their context as ids only: indexed again
     * after the purge's delete, the indexer resolves their context anew, without it.
     */
    private List<MemoryRecord> dependants(Set<String> purged, Set<Scope> scopes) {
        List<MemoryRecord> dependants = new ArrayList<>();
        for (Scope scope : scopes) {
            for (MemoryRecord record : contained(scope, Set.of())) {
                Context context = record.context();
                if (!purged.contains(record.id()) && context != null
                        && context.ids().stream().anyMatch(purged::contains)) {
                    dependants.add(record.toBuilder().context(context.idsOnly()).build());
                }
            }
        }
        return dependants;
    }

    /**
     * Rewrites the journal and the embeddings' log without the entries that carry the purged records; returns how
     * many were dropped.
     */
    private int rewriteOut(Set<String> purged) {
        return journal.rewrite(payload -> Event.decode(-1, payload).carriesAny(purged))
                + embeddings.rewrite(payload -> Event.decode(-1, payload).carriesAny(purged));
    }

    /**
     * The newest version, from all views, of every record the scope contains; only of the given ids unless that set
     * is empty (then the whole scope is listed).
     */
    private List<MemoryRecord> contained(Scope scope, Set<String> onlyIds) {
        Map<String, MemoryRecord> newest = new LinkedHashMap<>();
        Consumer<MemoryRecord> add = record -> {
            if (scope.contains(record.scope()) && (onlyIds.isEmpty() || onlyIds.contains(record.id()))) {
                newest.merge(record.id(), record, (a, b) -> a.version() >= b.version() ? a : b);
            }
        };
        // Pending first: the indexer moves a record from pending to the store (store first, then out of pending),
        // so a record missing from this snapshot of pending is already in the store when the store is asked.
        indexer.pendingRecords().forEach(add);
        if (onlyIds.isEmpty()) {
            store.list(scope).forEach(add);
        } else {
            onlyIds.forEach(id -> store.get(id).ifPresent(add));
        }
        shortTerm.records(scope.user(), scope::contains).forEach(add);
        return newest.values().stream().filter(r -> !indexer.isPurging(r.id())).toList();
    }

    // ---------------------------------------------------------------- history, export, import

    @Override
    public List<HistoryEntry> history(Scope scope, String id) {
        Objects.requireNonNull(scope, "scope must not be null");
        Objects.requireNonNull(id, "id must not be null");
        checkOpen();
        if (!knowsUser(scope.user())) {
            throw new ScopeException("this memory holds nothing for user '" + scope.user() + "'");
        }
        List<HistoryEntry> entries = new ArrayList<>();
        journal.replay(0, (sequence, payload) -> {
            Event event = Event.decode(sequence, payload);
            MemoryRecord record = event.record();
            if (record != null && record.id().equals(id) && scope.contains(record.scope())) {
                entries.add(new HistoryEntry(sequence, event.at(), event.type().change(), record));
            }
        });
        return entries;
    }

    private boolean knowsUser(String user) {
        // Pending before the store, for the reason given in contained().
        return shortTerm.hasUser(user)
                || indexer.pendingRecords().stream().anyMatch(r -> r.scope().user().equals(user))
                || store.hasUser(user);
    }

    @Override
    public long exportTo(Writer out) {
        return export(null, out);
    }

    @Override
    public long exportTo(Scope scope, Writer out) {
        return export(Objects.requireNonNull(scope, "scope must not be null"), out);
    }

    /** The newest version of every record the scope contains (every record if null) that is not purged. */
    private long export(@Nullable Scope scope, Writer out) {
        Objects.requireNonNull(out, "out must not be null");
        checkOpen();
        Map<String, MemoryRecord> latest = new LinkedHashMap<>();
        lock.writeLock().lock();
        try {
            journal.replay(0, (sequence, payload) -> {
                Event event = Event.decode(sequence, payload);
                MemoryRecord record = event.record();
                if (record == null) {
                    event.ids().forEach(latest::remove); // a purge; embeddings name no ids
                } else if (scope == null || scope.contains(record.scope())) {
                    latest.put(record.id(), record);
                }
            });
        } finally {
            lock.writeLock().unlock();
        }
        try {
            BufferedWriter writer = new BufferedWriter(out);
            for (MemoryRecord record : latest.values()) {
                writer.write(record.toJson());
                writer.write('\n');
            }
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("export failed after writing part of the output: " + e.getMessage(), e);
        }
        return latest.size();
    }

    @Override
    public long importFrom(Reader in) {
        return load(null, in);
    }

    @Override
    public long importFrom(Scope scope, Reader in) {
        return load(Objects.requireNonNull(scope, "scope must not be null"), in);
    }

    /** Imports the records of the input, each of which the scope must contain (any record if null). */
    private long load(@Nullable Scope scope, Reader in) {
        Objects.requireNonNull(in, "in must not be null");
        checkOpen();
        List<MemoryRecord> records = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int lineNumber = 0;
        try (BufferedReader reader = new BufferedReader(in)) {
            for (String line; (line = reader.readLine()) != null; ) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                MemoryRecord record;
                try {
                    record = MemoryRecord.fromJson(line);
                    if (record.version() > MemoryRecord.MAX_IMPORTED_VERSION) {
                        throw new IllegalArgumentException("version " + record.version() + " is above the limit "
                                + MemoryRecord.MAX_IMPORTED_VERSION);
                    }
                    Embedding embedding = record.embedding();
                    if (embedding != null && !embedding.model().equals(embedder.modelId())) {
                        record = record.toBuilder().embedding(null).build(); // another model's: embed again
                    } else if (embedding != null) {
                        checkEmbedding(embedding, "record " + record.id() + " embedding");
                    }
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("import line " + lineNumber + ": " + e.getMessage()
                            + "; nothing was imported", e);
                }
                if (scope != null && !scope.contains(record.scope())) {
                    throw new IllegalArgumentException("import line " + lineNumber + ": the record belongs to "
                            + "another scope than " + scope + "; nothing was imported");
                }
                if (!seen.add(record.id())) {
                    throw new IllegalArgumentException("import line " + lineNumber + ": id " + record.id()
                            + " appears twice; nothing was imported");
                }
                records.add(record);
                lines.add(lineNumber);
            }
        } catch (CharacterCodingException e) {
            // The reader decodes ahead of the line being read, so the bad bytes are in this line or a later one.
            throw new UncheckedIOException("import line " + (lineNumber + 1) + " or a later one is not valid text"
                    + " in the reader's character encoding (" + e + "); nothing was imported", e);
        } catch (IOException e) {
            throw new UncheckedIOException("import failed while reading after line " + lineNumber
                    + "; nothing was imported: " + e.getMessage(), e);
        }
        if (records.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        List<Event> events = records.stream().map(r -> Event.of(Event.Type.IMPORTED, now, r)).toList();
        lock.writeLock().lock();
        try {
            checkOpen();
            for (int i = 0; i < records.size(); i++) {
                // Replacing a record keeps it where it was; moving it to another scope (another user) would lose it.
                MemoryRecord held = held(records.get(i).id());
                if (held != null && !held.scope().equals(records.get(i).scope())) {
                    throw new IllegalArgumentException("import line " + lines.get(i) + ": id " + held.id()
                            + " is already stored in another scope; nothing was imported");
                }
            }
            journal.appendAll(events.stream().map(Event::encode).toList());
            events.forEach(this::apply);
            records.forEach(conversations::remember);
            checkpointStore();
        } finally {
            lock.writeLock().unlock();
        }
        promoteEvictedLocked();
        return records.size();
    }

    /**
     * The newest version of the record this memory holds, or null (also while it is being purged). Every record is
     * in the indexer's pending overlay or in the store; pending first, for the reason given in contained(). Caller
     * holds the write lock (or is recovering, alone).
     */
    private @Nullable MemoryRecord held(String id) {
        if (indexer.isPurging(id)) {
            return null;
        }
        MemoryRecord pending = indexer.pending(id);
        return pending != null ? pending : store.get(id).orElse(null);
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void verify() {
        checkOpen();
        journal.replay(0, (sequence, payload) -> Event.decode(sequence, payload)); // checksums, then the JSON
        embeddings.replay(0, (sequence, payload) -> Event.decode(sequence, payload));
        store.verify();
    }

    /**
     * Queues a store checkpoint covering the journal so far, once the journal is durable that far: in async mode a
     * checkpoint must never claim entries that a power loss could still take from the journal. (In sync mode every
     * entry is durable already and the sync returns at once.)
     */
    private java.util.concurrent.CompletableFuture<Void> checkpointStore() {
        journal.sync();
        return indexer.commit(journal.lastSequence());
    }

    @Override
    public void flush() {
        checkOpen();
        Indexer.await(checkpoint());
    }

    private java.util.concurrent.CompletableFuture<Void> checkpoint() {
        lock.writeLock().lock();
        try {
            return checkpointStore();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.writeLock().unlock();
        }
        ScheduledFuture<?> scheduled = ticks;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        ScheduledExecutorService own = ownScheduler;
        if (own != null) {
            own.shutdownNow();
        }
        RuntimeException failure = null;
        try {
            Indexer.await(checkpointStore());
        } catch (RuntimeException e) {
            failure = e;
        }
        indexer.close();
        try {
            store.close();
        } catch (RuntimeException e) {
            failure = failure == null ? e : failure;
        }
        embeddings.close(); // after the indexer, which appends to it until it stops
        journal.close();
        LOG.info("closed memory");
        if (failure != null) {
            throw failure;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this memory is closed");
        }
    }
}
