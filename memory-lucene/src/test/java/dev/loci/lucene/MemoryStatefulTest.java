package dev.loci.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loci.Consolidation;
import dev.loci.Durability;
import dev.loci.Forget;
import dev.loci.HistoryEntry;
import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.MemoryRecord;
import dev.loci.Query;
import dev.loci.Recall;
import dev.loci.Scope;
import dev.loci.ScopeException;
import dev.loci.State;
import dev.loci.Tier;
import dev.loci.testkit.ExactLongTermStore;
import dev.loci.testkit.FakeClock;
import dev.loci.testkit.TestEmbedder;
import dev.loci.testkit.stateful.Command;
import dev.loci.spi.ForwardingLongTermStore;
import dev.loci.spi.LongTermStore;
import dev.loci.testkit.stateful.StatefulTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random sequences of write / read / forget / consolidate / tick / reopen / history against a plain model. The
 * invariants: a read never returns another user's record, an archived or purged record never returns, every
 * acknowledged write survives a reopen, and history agrees with the model. Run over the reference store and both
 * Lucene stores.
 */
class MemoryStatefulTest {
    static final List<Scope> SCOPES = List.of(
            Scope.user("u0"), Scope.user("u0").agent("a").session("s0"), Scope.user("u0").agent("a").session("s1"),
            Scope.user("u0").agent("b"), Scope.user("u1").agent("a").session("s0"), Scope.user("u1"));
    static final List<String> WORDS = List.of("coffee", "lisbon", "peanuts", "marathon", "piano", "invoice");

    /** The model: every record ever written, in order, with its state (PURGED is modelled as null). */
    static final class Model {
        final List<Entry> written = new ArrayList<>();

        /** Visibility written out again, independently of {@link Scope#sees}: same user, agent unless shared. */
        List<Entry> readable(Scope scope) {
            return written.stream().filter(e -> e.state == State.ACTIVE && e.scope.user().equals(scope.user())
                    && (scope.agent() == null || e.scope.agent() == null || scope.agent().equals(e.scope.agent())))
                    .toList();
        }
    }

    static final class Entry {
        final Scope scope;
        final String text;
        String id = "";
        State state = State.ACTIVE; // null once purged

        Entry(Scope scope, String text) {
            this.scope = scope;
            this.text = text;
        }
    }

    /** The system under test: a memory over a directory, re-openable. */
    static final class System implements AutoCloseable {
        final Path dir;
        final FakeClock clock = new FakeClock();
        final LongTermStore.Factory store;
        /** While set, the store ignores commits: a close then leaves it as a crash would, at its last commit. */
        volatile boolean crashing;
        Memory memory;

        System(LongTermStore.Factory factory) {
            this.store = (directory, dimension) -> new ForwardingLongTermStore(factory.open(directory, dimension)) {
                @Override
                public void commit(long journalSequence) {
                    if (!crashing) {
                        super.commit(journalSequence);
                    }
                }
            };
            try {
                dir = Files.createTempDirectory("loci-stateful");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            memory = open();
        }

        Memory open() {
            return Loci.builder().directory(dir).embedder(new TestEmbedder()).longTermStore(store).clock(clock).manualTicks().shortTerm(4, Duration.ofMinutes(30))
                    .durability(Durability.async(Duration.ofHours(1))) // close() still fsyncs; crashes are tested elsewhere
                    .build();
        }

        @Override
        public void close() {
            memory.close();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    record Write(int scope, String text) implements Command<Model, System> {
        @Override
        public void run(Model model, System system) {
            Entry entry = new Entry(SCOPES.get(scope), text);
            MemoryRecord record = system.memory.write(entry.scope, text);
            assertThat(record.scope()).isEqualTo(entry.scope);
            assertThat(record.text()).isEqualTo(text);
            entry.id = record.id();
            model.written.add(entry);
        }
    }

    /** Reads with a limit above the model's size: the result must be exactly the readable records. */
    record Read(int scope, String word) implements Command<Model, System> {
        @Override
        public void run(Model model, System system) {
            Scope s = SCOPES.get(scope);
            List<Recall> hits = system.memory.read(s, Query.text(word).limit(Query.MAX_LIMIT));
            for (Recall hit : hits) {
                assertThat(hit.record().scope().user()).as("a read returned another user's record")
                        .isEqualTo(s.user());
            }
            Set<String> expected = model.readable(s).stream().map(e -> e.id + " " + e.text)
                    .collect(Collectors.toSet());
            assertThat(hits.stream().map(h -> h.record().id() + " " + h.record().text()))
                    .containsExactlyInAnyOrderElementsOf(expected);
            // Each tier alone (the short-term one answered without the store) shows its part, and the two all.
            Set<String> byTier = new java.util.HashSet<>();
            for (Tier tier : Tier.values()) {
                for (Recall hit : system.memory.read(s, Query.text(word).limit(Query.MAX_LIMIT).tiers(tier))) {
                    assertThat(hit.record().tier()).as("a read of %s", tier).isEqualTo(tier);
                    byTier.add(hit.record().id() + " " + hit.record().text());
                }
            }
            assertThat(byTier).as("the tiers' reads together").isEqualTo(expected);
        }
    }

    record Archive(int index) implements Command<Model, System> {
        @Override
        public boolean precondition(Model model) {
            return index < model.written.size();
        }

        @Override
        public void run(Model model, System system) {
            Entry entry = model.written.get(index);
            int expected = entry.state == State.ACTIVE ? 1 : 0;
            assertThat(system.memory.forget(entry.scope, Forget.ids(entry.id))).isEqualTo(expected);
            if (expected == 1) {
                entry.state = State.ARCHIVED;
            }
        }
    }

    record PurgeUser(int scope) implements Command<Model, System> {
        @Override
        public void run(Model model, System system) {
            Scope user = SCOPES.get(scope).userOnly();
            List<Entry> targets = model.written.stream().filter(e -> e.state != null && user.contains(e.scope))
                    .toList();
            assertThat(system.memory.forget(user, Forget.everything().purge())).isEqualTo(targets.size());
            targets.forEach(e -> e.state = null);
        }
    }

    record Consolidate(int scope) implements Command<Model, System> {
        @Override
        public void run(Model model, System system) {
            Consolidation done = system.memory.consolidate(SCOPES.get(scope));
            assertThat(done.faded()).isZero();
        }
    }

    record Tick(int minutes) implements Command<Model, System> {
        @Override
        public void run(Model model, System system) {
            system.clock.advance(Duration.ofMinutes(minutes));
            assertThat(system.memory.scheduler().tick().faded()).isZero();
        }
    }

    record Reopen() implements Command<Model, System> {
        @Override
        public void run(Model model, System system) {
            system.memory.close();
            system.memory = system.open();
        }
    }

    /**
     * The process dies: the store keeps only its last commit (the journal, written before every acknowledgement,
     * keeps everything; the page cache survives a process crash). Reopening must replay the rest.
     */
    record CrashReopen() implements Command<Model, System> {
        @Override
        public void run(Model model, System system) {
            system.crashing = true;
            try {
                system.memory.close();
            } finally {
                system.crashing = false;
            }
            system.memory = system.open();
        }
    }

    record History(int index) implements Command<Model, System> {
        @Override
        public boolean precondition(Model model) {
            return index < model.written.size();
        }

        @Override
        public void run(Model model, System system) {
            Entry entry = model.written.get(index);
            boolean userKnown = model.written.stream()
                    .anyMatch(e -> e.state != null && e.scope.user().equals(entry.scope.user()));
            if (!userKnown) {
                assertThatThrownBy(() -> system.memory.history(entry.scope, entry.id))
                        .isInstanceOf(ScopeException.class);
                return;
            }
            List<HistoryEntry> history = system.memory.history(entry.scope, entry.id);
            if (entry.state == null) {
                assertThat(history).isEmpty();
                return;
            }
            assertThat(history).isNotEmpty();
            assertThat(history.getFirst().change()).isEqualTo(HistoryEntry.Change.WRITTEN);
            assertThat(history).allMatch(h -> h.record().id().equals(entry.id) && h.record().text().equals(entry.text));
            assertThat(history.getLast().record().state()).isEqualTo(entry.state);
            assertThat(history).extracting(HistoryEntry::sequence).isSorted();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"exact", "lucene-disk", "lucene-ram"})
    void memoryAgreesWithTheModel(String storeName) {
        LongTermStore.Factory store = switch (storeName) {
            case "exact" -> ExactLongTermStore.factory();
            case "lucene-disk" -> LuceneStore.onDisk();
            default -> LuceneStore.inMemory();
        };
        // 10,000 commands in all (x loci.test.iterations), most where they are cheap: every commit on disk fsyncs.
        // The long profile also doubles the sequences (loci.test.stateful.steps = 100): deeper states, 10^6 commands.
        int runs = switch (storeName) {
            case "exact" -> 100;
            case "lucene-disk" -> 20;
            default -> 80;
        };
        StatefulTest.<Model, System>builder(Model::new, () -> new System(store))
                .commands((random, model) -> {
                    int n = model.written.size();
                    return switch (random.nextInt(20)) {
                        case 0, 1, 2, 3, 4, 5 -> new Write(random.nextInt(SCOPES.size()),
                                "note " + n + " about " + WORDS.get(random.nextInt(WORDS.size())));
                        case 6, 7, 8, 9 -> new Read(random.nextInt(SCOPES.size()),
                                WORDS.get(random.nextInt(WORDS.size())));
                        case 10, 11 -> new Archive(random.nextInt(Math.max(1, n)));
                        case 12 -> new PurgeUser(random.nextInt(SCOPES.size()));
                        case 13 -> new Consolidate(random.nextInt(SCOPES.size()));
                        case 14, 15 -> new Tick(random.nextInt(1, 50));
                        case 16 -> new Reopen();
                        case 17 -> new CrashReopen();
                        default -> new History(random.nextInt(Math.max(1, n)));
                    };
                })
                .teardown(System::close)
                .steps(Integer.getInteger("loci.test.stateful.steps", 50))
                .runs(runs)
                .maxShrinkReplays(150)
                .build()
                .check();
    }
}
