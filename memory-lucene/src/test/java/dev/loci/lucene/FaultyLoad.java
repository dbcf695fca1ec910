package dev.loci.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loci.Forget;
import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.MemoryException;
import dev.loci.MemoryRecord;
import dev.loci.Query;
import dev.loci.Recall;
import dev.loci.Scope;
import dev.loci.State;
import dev.loci.policy.PromotionPolicy;
import dev.loci.spi.LongTermStore;
import dev.loci.testkit.FakeClock;
import dev.loci.testkit.TestEmbedder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The scripted load of the fault tests on the Lucene store ({@link LucenePowerLossTest}, {@link LuceneIoErrorTest},
 * {@link LuceneDiskFullTest}): a whole memory (real journal on disk) whose store runs on a {@link FaultyDirectory};
 * writes of two users, consolidations (the store commits), archives, purges, flushes and reads, with a model of what
 * was acknowledged. Every text holds a word of its own, so a read can look for exactly one record.
 */
final class FaultyLoad {
    static final Scope ALICE = Scope.user("alice");
    static final Scope BOB = Scope.user("bob");
    private static final String LETTERS = "bcdfghjkmnpqrtvwxz";

    /** What became of an acknowledged write. */
    enum Status { ACTIVE, ARCHIVED, PURGED }

    final Map<String, Status> acknowledged = new LinkedHashMap<>();
    final Map<String, Scope> scopes = new HashMap<>();
    final Map<String, String> words = new HashMap<>();
    /** Ids an archive or purge that threw was about: either outcome is allowed. */
    final Set<String> uncertain = new HashSet<>();
    final Set<String> attemptedTexts = new HashSet<>();
    final List<MemoryException> errors = new ArrayList<>();
    /** Ids written, archived or purged (or tried) since the last flush returned: all an async journal may lose. */
    final Set<String> sinceFlush = new HashSet<>();
    private int counter;

    /** Opens a memory in {@code directory} whose store is opened by {@code stores}. */
    static Memory open(Path directory, LongTermStore.Factory stores) {
        return Loci.builder().directory(directory).embedder(new TestEmbedder()).longTermStore(stores)
                .clock(new FakeClock()).promotionPolicy((record, trigger, now) -> PromotionPolicy.Decision.PROMOTE)
                .manualTicks().build();
    }

    /**
     * A factory opening the store on a {@link FaultyDirectory}, which it hands to {@code opened} after {@code setup}
     * (so faults set there count from the store's open).
     */
    static LongTermStore.Factory faulty(AtomicReference<FaultyDirectory> opened, Consumer<FaultyDirectory> setup) {
        return (path, dimension) -> {
            try {
                Files.createDirectories(path);
                FaultyDirectory directory = new FaultyDirectory(path);
                setup.accept(directory);
                opened.set(directory);
                return LuceneLongTermStore.open(directory, "faulty", dimension);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** One random operation; a {@link MemoryException} is recorded and returned, anything else propagates. */
    @Nullable MemoryException step(Memory memory, SplittableRandom random) {
        Scope scope = random.nextBoolean() ? ALICE : BOB;
        int what = random.nextInt(20);
        String target = null;
        try {
            if (what < 10) {
                write(memory, scope, random);
            } else if (what < 12) {
                memory.consolidate(scope);
            } else if (what < 14) {
                target = pick(scope, Status.ACTIVE, random);
                if (target != null) {
                    sinceFlush.add(target);
                    memory.forget(scope, Forget.ids(target).archive());
                    acknowledged.put(target, Status.ARCHIVED);
                }
            } else if (what < 15) {
                target = pick(scope, null, random);
                if (target != null) {
                    sinceFlush.add(target);
                    memory.forget(scope, Forget.ids(target).purge());
                    acknowledged.put(target, Status.PURGED);
                }
            } else if (what < 17) {
                memory.flush();
                sinceFlush.clear();
            } else {
                String id = pick(scope, null, random);
                if (id != null) {
                    checkRead(memory, id);
                }
            }
            return null;
        } catch (MemoryException e) {
            if (target != null) {
                uncertain.add(target);
            }
            errors.add(e);
            return e;
        }
    }

    void write(Memory memory, Scope scope, SplittableRandom random) {
        StringBuilder word = new StringBuilder("k");
        for (int i = 0; i < 7; i++) {
            word.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
        }
        String text = "note " + counter++ + " about " + word + " and some padding words " + "lorem ".repeat(
                random.nextInt(40));
        attemptedTexts.add(text);
        MemoryRecord record = memory.write(scope, text);
        acknowledged.put(record.id(), Status.ACTIVE);
        sinceFlush.add(record.id());
        scopes.put(record.id(), scope);
        words.put(record.id(), word.toString());
    }

    /** A read for the record's own word finds it exactly when it is active (never a wrong result). */
    void checkRead(Memory memory, String id) {
        List<String> found = memory.read(scopes.get(id), Query.text(words.get(id)).limit(10)).stream()
                .map(Recall::record).map(MemoryRecord::id).toList();
        if (uncertain.contains(id)) {
            return;
        }
        if (acknowledged.get(id) == Status.ACTIVE) {
            assertThat(found).as("a read for the word of active record %s", id).contains(id);
        } else {
            assertThat(found).as("a read for the word of %s record %s", acknowledged.get(id), id).doesNotContain(id);
        }
    }

    private @Nullable String pick(Scope scope, @Nullable Status status, SplittableRandom random) {
        List<String> candidates = acknowledged.entrySet().stream()
                .filter(e -> scopes.get(e.getKey()).equals(scope))
                .filter(e -> status == null ? e.getValue() != Status.PURGED : e.getValue() == status)
                .map(Map.Entry::getKey).toList();
        return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }

    /** Closes a memory whose store may have failed: its close may throw a MemoryException, which is allowed. */
    static void closeQuietly(Memory memory) {
        try {
            memory.close();
        } catch (MemoryException | IllegalStateException e) {
            // allowed: the store failed or lost its disk
        }
    }

    /**
     * Reopens the memory with a store that {@code stores} opens, flushes, and checks the store holds every
     * acknowledged write as acknowledged (archived ones archived), nothing purged, and only records that were written,
     * whole; about a third of the records are also looked for by a read. {@code alsoCheck} sees the memory first,
     * before its flush. Returns the records of the store.
     */
    Map<String, MemoryRecord> checkReopened(Path directory, LongTermStore.Factory stores, Consumer<Memory> alsoCheck) {
        return checkReopened(factory -> open(directory, factory), stores, alsoCheck);
    }

    /** As {@link #checkReopened(Path, LongTermStore.Factory, Consumer)}, opening the memory with {@code opener}. */
    Map<String, MemoryRecord> checkReopened(Function<LongTermStore.Factory, Memory> opener,
            LongTermStore.Factory stores, Consumer<Memory> alsoCheck) {
        AtomicReference<LongTermStore> opened = new AtomicReference<>();
        Map<String, MemoryRecord> held = new LinkedHashMap<>();
        try (Memory memory = opener.apply((path, dimension) -> {
            LongTermStore store = stores.open(path, dimension);
            opened.set(store);
            return store;
        })) {
            alsoCheck.accept(memory);
            memory.flush();
            for (String id : acknowledged.keySet()) {
                if (!uncertain.contains(id) && acknowledged.get(id) != Status.PURGED && random(id)) {
                    checkRead(memory, id);
                }
            }
            opened.get().verify();
            for (Scope scope : List.of(ALICE, BOB)) {
                opened.get().list(scope).forEach(r -> held.put(r.id(), r));
            }
        }
        for (MemoryRecord record : held.values()) {
            assertThat(attemptedTexts).as("a record that was written, whole").contains(record.text());
        }
        for (Map.Entry<String, Status> e : acknowledged.entrySet()) {
            String id = e.getKey();
            if (uncertain.contains(id)) {
                continue;
            }
            switch (e.getValue()) {
                case ACTIVE -> assertThat(held.get(id)).as("acknowledged write %s", id).isNotNull()
                        .extracting(MemoryRecord::state).isEqualTo(State.ACTIVE);
                case ARCHIVED -> assertThat(held.get(id)).as("acknowledged archive %s", id).isNotNull()
                        .extracting(MemoryRecord::state).isEqualTo(State.ARCHIVED);
                case PURGED -> assertThat(held).as("acknowledged purge %s", id).doesNotContainKey(id);
            }
        }
        return held;
    }

    /** Reads back about a third of the records (a stable choice by id), to keep the checks fast. */
    private static boolean random(String id) {
        return Math.floorMod(id.hashCode(), 3) == 0;
    }
}
