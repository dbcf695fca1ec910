package dev.loci.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loci.Forget;
import dev.loci.HistoryEntry;
import dev.loci.Kind;
import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.MemoryRecord;
import dev.loci.Query;
import dev.loci.Recall;
import dev.loci.Scope;
import dev.loci.ScopeException;
import dev.loci.Write;
import dev.loci.spi.LongTermStore;
import dev.loci.spi.StoreHit;
import dev.loci.testkit.FakeClock;
import dev.loci.testkit.TestEmbedder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many users who wrote the very same texts (so the very same vectors) in the same agents and sessions: random
 * searches of the store's four channels, reads, histories and forgets in random scopes, and purges of whole users.
 * Not one result may belong to another user, and purging a user changes no other user's records. The number of
 * queries is {@value #QUERIES} times {@code loci.test.iterations}; a failure prints the seed to replay with
 * {@code -Dloci.test.seed}.
 */
class TenantIsolationTest {
    static final int QUERIES = 100_000;
    static final int USERS = 12;
    static final List<String> TEXTS = List.of(
            "my passport is in the blue folder", "I am allergic to peanuts", "the wifi password is hunter2",
            "we adopted a cat called Miso", "I run the Berlin marathon in September", "my sister lives in Lyon",
            "the invoice number is 4412", "I take my coffee black", "my doctor is Dr Okafor",
            "the spare key is under the plant pot");
    static final String[] AGENTS = {"travel", "health"};
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void noQueryEverReturnsAnotherUsersRecord() {
        long seed = Long.getLong("loci.test.seed", new SplittableRandom().nextLong());
        try {
            run(new SplittableRandom(seed), QUERIES * Integer.getInteger("loci.test.iterations", 1));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("tenant isolation failed; replay with -Dloci.test.seed=" + seed, e);
        }
    }

    private void run(SplittableRandom random, int queries) {
        AtomicReference<@Nullable LongTermStore> opened = new AtomicReference<>();
        LongTermStore.Factory capture = (directory, dimension) -> {
            LongTermStore store = LuceneStore.onDisk().open(directory, dimension);
            opened.set(store);
            return store;
        };
        TestEmbedder embedder = new TestEmbedder();
        try (Memory memory = Loci.builder().directory(dir).embedder(embedder).longTermStore(capture)
                .clock(new FakeClock(T0)).manualTicks().build()) {
            LongTermStore store = opened.get();
            Map<String, List<MemoryRecord>> written = new HashMap<>();
            for (int u = 0; u < USERS; u++) {
                List<MemoryRecord> mine = new ArrayList<>();
                for (int i = 0; i < TEXTS.size(); i++) {
                    Scope scope = randomScope(random, "u" + u);
                    Kind kind = i % 3 == 0 ? Kind.FACT : Kind.MESSAGE;
                    mine.add(memory.write(scope, Write.text(TEXTS.get(i)).kind(kind)
                            .occurredAt(T0.minus(Duration.ofDays(i)))));
                }
                written.put("u" + u, mine);
            }
            memory.consolidate(Scope.user("u0")); // some long-term, the rest short-term: both tiers are searched
            memory.flush();

            int done = 0;
            int purged = 0;
            while (done < queries) {
                String user = "u" + random.nextInt(USERS);
                Scope reader = randomScope(random, user);
                Query query = Query.text(TEXTS.get(random.nextInt(TEXTS.size()))).limit(1 + random.nextInt(10));
                if (random.nextInt(4) == 0) {
                    query = query.kinds(Kind.FACT);
                }
                if (random.nextInt(4) == 0) {
                    query = query.after(T0.minus(Duration.ofDays(random.nextInt(TEXTS.size()))));
                }
                float[] vector = embedder.embedQuery(query.text());
                int k = query.limit();
                switch (random.nextInt(7)) {
                    case 0 -> checkHits(store, reader, store.lexical(reader, query, k));
                    case 1 -> checkHits(store, reader, store.semantic(reader, query, vector, k));
                    case 2 -> checkHits(store, reader, store.lexicalInContext(reader, query, k));
                    case 3 -> checkHits(store, reader, store.semanticInContext(reader, query, vector, k));
                    case 4 -> checkRecalls(reader, memory.read(reader, query));
                    case 5 -> {
                        MemoryRecord someone = randomRecord(random, written);
                        checkHistory(memory, reader, someone);
                        assertThat(memory.forget(reader, Forget.ids(someone.id()).archive()))
                                .as("archiving %s from %s", someone.scope(), reader)
                                .isLessThanOrEqualTo(someone.scope().user().equals(user) ? 1 : 0);
                    }
                    default -> {
                        if (random.nextInt(2_000) == 0 && purged < USERS / 2) {
                            purgeOne(memory, store, user, written);
                            purged++;
                        } else {
                            checkRecalls(reader, memory.read(reader, query.limit(1)));
                        }
                    }
                }
                done++;
            }
            assertThat(done).isGreaterThanOrEqualTo(queries);
        }
    }

    private static void purgeOne(Memory memory, LongTermStore store, String user,
                                 Map<String, List<MemoryRecord>> written) {
        memory.flush(); // the store holds every acknowledged change (an archive may still be queued for it)
        Map<String, List<MemoryRecord>> before = new HashMap<>();
        for (String other : written.keySet()) {
            if (!other.equals(user)) {
                before.put(other, store.list(Scope.user(other)));
            }
        }
        memory.forget(Scope.user(user), Forget.everything().purge());
        assertThat(store.list(Scope.user(user))).as("%s after its purge", user).isEmpty();
        for (Map.Entry<String, List<MemoryRecord>> other : before.entrySet()) {
            assertThat(store.list(Scope.user(other.getKey())))
                    .as("%s's records after purging %s", other.getKey(), user).isEqualTo(other.getValue());
        }
        written.put(user, List.of());
    }

    private static void checkHits(LongTermStore store, Scope reader, List<StoreHit> hits) {
        for (MemoryRecord hit : store.getAll(hits.stream().map(StoreHit::id).toList())) {
            assertThat(reader.sees(hit.scope())).as("%s returned to %s", hit, reader).isTrue();
        }
    }

    private static void checkRecalls(Scope reader, List<Recall> recalls) {
        for (Recall recall : recalls) {
            assertThat(reader.sees(recall.record().scope())).as("%s returned to %s", recall.record(), reader)
                    .isTrue();
        }
    }

    private static void checkHistory(Memory memory, Scope reader, MemoryRecord record) {
        List<HistoryEntry> history;
        try {
            history = memory.history(reader, record.id());
        } catch (ScopeException e) {
            return; // the reader's user is gone (purged): nothing to see, and saying so is fine
        }
        if (!reader.contains(record.scope())) {
            assertThat(history).as("history of %s asked from %s", record.scope(), reader).isEmpty();
        }
    }

    private static Scope randomScope(SplittableRandom random, String user) {
        Scope scope = Scope.user(user);
        if (random.nextBoolean()) {
            scope = scope.agent(AGENTS[random.nextInt(AGENTS.length)]);
        }
        if (random.nextBoolean()) {
            scope = scope.session("s" + random.nextInt(2));
        }
        return scope;
    }

    private static MemoryRecord randomRecord(SplittableRandom random, Map<String, List<MemoryRecord>> written) {
        while (true) {
            List<MemoryRecord> records = written.get("u" + random.nextInt(USERS));
            if (!records.isEmpty()) {
                return records.get(random.nextInt(records.size()));
            }
        }
    }
}
