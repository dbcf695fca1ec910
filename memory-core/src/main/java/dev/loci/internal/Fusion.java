package dev.loci.internal;

import dev.loci.MemoryRecord;
import dev.loci.Recall;
import dev.loci.spi.StoreHit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Reciprocal-rank fusion: a record's score is the sum over the channels that found it of {@code 1 / (K + rank)},
 * times {@code 0.75 + importance / 2} (so the default importance, 0.5, leaves it as it is, and the most important
 * records count half again as much as the least), and, if the memory prefers recent records, times
 * {@code 0.5 + 0.5 * 2^(-age / halfLife)} (age from when the record happened until now; never below half).
 *
 * <p>The store's channels add hits (id, importance, time), not records: {@link #top} loads only the records that
 * make the result. Not thread-safe: one per read.
 */
final class Fusion {
    /**
     * The rank constant. Cormack et al. (2009) use 60, which flattens the difference between ranks 1 and 20; with
     * several channels that each put the right record near the top, a small constant lets that agreement decide.
     * Measured on the LoCoMo dev split (docs/benchmarks.md): 60 to 5 is worth about four points of recall@10.
     */
    static final int K = 5;

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final @Nullable Duration halfLife;
    private final Instant now;

    /** Fusion without a preference for recent records. */
    Fusion() {
        this(null, Instant.EPOCH);
    }

    /** Fusion that prefers records that happened recently, if {@code halfLife} is not null. */
    Fusion(@Nullable Duration halfLife, Instant now) {
        this.halfLife = halfLife;
        this.now = now;
    }

    private static final class Entry {
        final String id;
        double importance;
        Instant occurredAt;
        @Nullable MemoryRecord record;
        double score;
        final List<Recall.Channel> channels = new ArrayList<>();

        Entry(String id, double importance, Instant occurredAt) {
            this.id = id;
            this.importance = importance;
            this.occurredAt = occurredAt;
        }
    }

    /** Adds one channel's ranked records (best first). */
    void add(String channel, List<MemoryRecord> ranked, List<Double> scores) {
        add(channel, ranked, scores, record -> 1);
    }

    /** Adds one channel's ranked records (best first), each record's rank counting {@code weight(record)} times. */
    void add(String channel, List<MemoryRecord> ranked, List<Double> scores, ToIntFunction<MemoryRecord> weight) {
        for (int i = 0; i < ranked.size(); i++) {
            MemoryRecord record = ranked.get(i);
            rank(channel, StoreHit.of(record, scores.get(i)), i, weight.applyAsInt(record));
            know(record);
        }
    }

    /** Adds one store channel's hits (best first), whose records {@link #top} loads if they make the result. */
    void addHits(String channel, List<StoreHit> ranked) {
        for (int i = 0; i < ranked.size(); i++) {
            rank(channel, ranked.get(i), i, 1);
        }
    }

    /** The record of an id a channel added, as the memory knows it (the store's copy is older): not loaded then. */
    void know(MemoryRecord record) {
        Entry entry = entries.get(record.id());
        if (entry != null && (entry.record == null || record.version() > entry.record.version())) {
            entry.record = record;
            entry.importance = record.importance();
            entry.occurredAt = record.occurredAt();
        }
    }

    private void rank(String channel, StoreHit hit, int index, int weight) {
        Entry entry = entries.computeIfAbsent(hit.id(), id -> new Entry(id, hit.importance(), hit.occurredAt()));
        entry.score += (double) weight / (K + index + 1);
        entry.channels.add(new Recall.Channel(channel, index + 1, hit.score()));
    }

    private double weighted(Entry e) {
        double score = e.score * (0.75 + e.importance / 2);
        if (halfLife != null) {
            double age = Math.max(0, Duration.between(e.occurredAt, now).toMillis());
            score *= 0.5 + 0.5 * Math.pow(2, -age / halfLife.toMillis());
        }
        return score;
    }

    /** The best {@code limit} results of the records added as records; hits without a record are dropped. */
    List<Recall> top(int limit) {
        return top(limit, ids -> Map.of());
    }

    /**
     * The best {@code limit} results, best first (ties by id, so the order is deterministic). {@code load} gets the
     * ids of winning hits whose records are unknown, a batch at a time, and returns the records it can show; a hit
     * it leaves out is dropped and the next one moves up.
     */
    List<Recall> top(int limit, Function<List<String>, Map<String, MemoryRecord>> load) {
        List<Entry> ranked = entries.values().stream()
                .sorted(Comparator.comparingDouble((Entry e) -> -weighted(e)).thenComparing(e -> e.id)).toList();
        List<Recall> top = new ArrayList<>();
        int next = 0;
        while (top.size() < limit && next < ranked.size()) {
            List<Entry> batch = ranked.subList(next, Math.min(ranked.size(), next + limit - top.size()));
            next += batch.size();
            List<String> missing = batch.stream().filter(e -> e.record == null).map(e -> e.id).toList();
            Map<String, MemoryRecord> loaded = missing.isEmpty() ? Map.of() : load.apply(missing);
            for (Entry e : batch) {
                MemoryRecord record = e.record != null ? e.record : loaded.get(e.id);
                if (record != null) {
                    top.add(new Recall(record, weighted(e), e.channels.stream()
                            .sorted(Comparator.comparingInt(Recall.Channel::rank)).toList()));
                }
            }
        }
        return top;
    }
}
