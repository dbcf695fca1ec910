package dev.loci.internal;

import dev.loci.MemoryRecord;
import dev.loci.Recall;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal-rank fusion: a record's score is the sum over the channels that found it of
 * {@code 1 / (K + rank)}. Pure and thread-safe.
 */
final class Fusion {
    /** The usual RRF constant (Cormack et al. 2009). */
    static final int K = 60;

    private final Map<String, Entry> entries = new LinkedHashMap<>();

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
        for (int i = 0; i < ranked.size(); i++) {
            MemoryRecord record = ranked.get(i);
            Entry entry = entries.computeIfAbsent(record.id(), id -> new Entry(record));
            if (record.version() > entry.record.version()) {
                entry.record = record;
            }
            entry.score += 1.0 / (K + i + 1);
            entry.channels.add(new Recall.Channel(channel, i + 1, scores.get(i)));
        }
    }

    /** The fused results, best first (ties by id, so the order is deterministic). */
    List<Recall> top(int limit) {
        return entries.values().stream()
                .sorted(Comparator.comparingDouble((Entry e) -> -e.score).thenComparing(e -> e.record.id()))
                .limit(limit)
                .map(e -> new Recall(e.record, e.score, e.channels.stream()
                        .sorted(Comparator.comparingInt(Recall.Channel::rank)).toList()))
                .toList();
    }
}
