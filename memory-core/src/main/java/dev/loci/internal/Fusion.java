package dev.loci.internal;

import dev.loci.MemoryRecord;
import dev.loci.Recall;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reciprocal-rank fusion: a record's score is the sum over the channels that found it of {@code 1 / (K + rank)},
 * times {@code 0.75 + importance / 2} (so the default importance, 0.5, leaves it as it is, and the most important
 * records count half again as much as the least), and, if the memory prefers recent records, times
 * {@code 0.5 + 0.5 * 2^(-age / halfLife)} (age from when the record happened until now; never below half). Not
 * thread-safe: one per read.
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
        MemoryRecord record;
        double score;
        final List<Recall.Channel> channels = new ArrayList<>();

        Entry(MemoryRecord record) {
            this.record = record;
        }
    }

    /** Adds one channel's ranked list (best first). */
    void add(String channel, List<MemoryRecord> ranked, List<Double> scores) {
        add(channel, ranked, scores, record -> 1);
    }

    /** Adds one channel's ranked list (best first), each record's rank counting {@code weight(record)} times. */
    void add(String channel, List<MemoryRecord> ranked, List<Double> scores,
             java.util.function.ToIntFunction<MemoryRecord> weight) {
        for (int i = 0; i < ranked.size(); i++) {
            MemoryRecord record = ranked.get(i);
            Entry entry = entries.computeIfAbsent(record.id(), id -> new Entry(record));
            if (record.version() > entry.record.version()) {
                entry.record = record;
            }
            entry.score += (double) weight.applyAsInt(record) / (K + i + 1);
            entry.channels.add(new Recall.Channel(channel, i + 1, scores.get(i)));
        }
    }

    private double weighted(Entry e) {
        double score = e.score * (0.75 + e.record.importance() / 2);
        if (halfLife != null) {
            double age = Math.max(0, Duration.between(e.record.occurredAt(), now).toMillis());
            score *= 0.5 + 0.5 * Math.pow(2, -age / halfLife.toMillis());
        }
        return score;
    }

    /** The fused results, best first (ties by id, so the order is deterministic). */
    List<Recall> top(int limit) {
        return entries.values().stream()
                .sorted(Comparator.comparingDouble((Entry e) -> -weighted(e)).thenComparing((Entry e) -> e.record.id()))
                .limit(limit)
                .map(e -> new Recall(e.record, weighted(e), e.channels.stream()
                        .sorted(Comparator.comparingInt(Recall.Channel::rank)).toList()))
                .toList();
    }
}
