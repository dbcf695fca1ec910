package dev.loci.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.loci.Context;
import dev.loci.CorruptedMemoryException;
import dev.loci.Embedding;
import dev.loci.MemoryException;
import dev.loci.MemoryRecord;
import dev.loci.Query;
import dev.loci.Scope;
import dev.loci.State;
import dev.loci.spi.LongTermStore;
import dev.loci.spi.StoreHit;
import dev.loci.testkit.DiskScan;
import dev.loci.testkit.ExactLongTermStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the contract cannot say for every store: Lucene's files, crashes, corruption and concurrency. */
class LuceneStoreTest {
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
    private static final Scope ALICE = Scope.user("alice");
    private static final Scope BOB = Scope.user("bob");
    private static final Query ANY = Query.text("anything");

    @TempDir
    Path tempDir;

    private static MemoryRecord record(String id, Scope scope, String text, float... vector) {
        return MemoryRecord.builder(id, scope, text, T0).embedding(new Embedding("test-model", vector)).build();
    }

    private static List<String> ids(List<StoreHit> hits) {
        return hits.stream().map(StoreHit::id).toList();
    }

    private static boolean anyFileContains(Path directory, String text) {
        return !DiskScan.filesContaining(directory, text).isEmpty();
    }

    /** A closed on-disk store holding record r1, committed at sequence 1. */
    private Path storeWithOneCommittedRecord() {
        Path dir = tempDir.resolve("store");
        try (LongTermStore store = LuceneStore.onDisk().open(dir, 4)) {
            store.upsert(List.of(record("r1", ALICE, "a", 1, 0, 0, 0)));
            store.commit(1);
        }
        return dir;
    }

    @Test
    void theServiceLoaderFindsTheOnDiskStore() {
        assertThat(ServiceLoader.load(LongTermStore.Factory.class).stream().map(ServiceLoader.Provider::type))
                .contains(LuceneStoreFactory.class);
    }

    /**
     * Above the exact-scan limit the k-NN search is HNSW; when every document passes the scope's filter (one user's
     * memory) it runs without the filter, otherwise with it. Either way: nearest first, and nothing the filter
     * excludes (an archived record whose vector is the query itself).
     */
    /**
     * A quantised store writes Lucene's quantised HNSW format and still scores what it returns on the floats: a
     * record's own vector finds it first, with the exact cosine, in a scope large enough for HNSW.
     */
    @ParameterizedTest
    @EnumSource(LuceneStore.Quantization.class)
    void aQuantisedStoreSearchesItsGraphAndScoresOnTheFloats(LuceneStore.Quantization quantization)
            throws IOException {
        SplittableRandom random = new SplittableRandom(Long.getLong("loci.test.seed", 9L));
        Path index = tempDir.resolve("quantised-" + quantization);
        try (LongTermStore store = LuceneStore.onDisk().quantization(quantization).open(index, 32)) {
            List<MemoryRecord> records = new ArrayList<>();
            for (int i = 0; i <= LuceneLongTermStore.EXACT_SCAN_LIMIT; i++) {
                records.add(record(String.format("r%05d", i), ALICE, "note " + i, randomVector(random, 32)));
            }
            store.upsert(records);
            store.commit(1);
            for (int q = 0; q < 5; q++) {
                MemoryRecord target = records.get(random.nextInt(records.size()));
                float[] query = target.embedding().vector();
                List<StoreHit> hits = store.semantic(ALICE, ANY, query, 5);
                assertThat(hits).hasSize(5);
                assertThat(hits.get(0).id()).isEqualTo(target.id());
                for (StoreHit hit : hits) {
                    float[] vector = records.get(Integer.parseInt(hit.id().substring(1))).embedding().vector();
                    assertThat(hit.score()).as("%s, %s", quantization, hit.id())
                            .isCloseTo(dev.loci.spi.Vectors.cosine(query, vector), within(1e-5));
                }
            }
        }
        try (org.apache.lucene.store.Directory directory = org.apache.lucene.store.FSDirectory.open(index);
             org.apache.lucene.index.DirectoryReader reader = org.apache.lucene.index.DirectoryReader.open(directory)) {
            String format = reader.leaves().getFirst().reader().getFieldInfos()
                    .fieldInfo(LuceneLongTermStore.VECTOR)
                    .getAttribute(org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY);
            assertThat(format).as("the vector field's format").isEqualTo(quantization == LuceneStore.Quantization.NONE
                    ? "Lucene99HnswVectorsFormat"
                    : org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat.NAME);
        }
    }

    /**
     * However few candidates HNSW is told to look for, a search returns the k asked for (it looks for k + 1 at least)
     * and its vector's own record first; the bounds are checked when the factory is made.
     */
    @Test
    void theNumberOfCandidatesIsTunableAndNeverBelowWhatIsAsked() {
        assertThatThrownBy(() -> LuceneStore.onDisk().candidates(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("candidates must be within 1..10000, was 0");
        assertThatThrownBy(() -> LuceneStore.onDisk().candidates(10_001))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 10001");
        SplittableRandom random = new SplittableRandom(Long.getLong("loci.test.seed", 5L));
        try (LongTermStore store = LuceneStore.onDisk().candidates(1).open(tempDir.resolve("few"), 8)) {
            List<MemoryRecord> records = new ArrayList<>();
            for (int i = 0; i <= LuceneLongTermStore.EXACT_SCAN_LIMIT; i++) {
                records.add(record(String.format("r%05d", i), ALICE, "note " + i, randomVector(random, 8)));
            }
            store.upsert(records);
            MemoryRecord target = records.get(1234);
            List<StoreHit> hits = store.semantic(ALICE, ANY, target.embedding().vector(), 20);
            assertThat(hits).hasSize(20);
            assertThat(hits.get(0).id()).isEqualTo(target.id());
        }
    }

    @Test
    void aLargeScopeIsSearchedByHnswWithTheFilterOnlyWhereItExcludesSomething() {
        SplittableRandom random = new SplittableRandom(Long.getLong("loci.test.seed", 5L));
        try (LongTermStore store = LuceneStore.onDisk().open(tempDir.resolve("large"), 8)) {
            List<MemoryRecord> records = new ArrayList<>();
            for (int i = 0; i <= LuceneLongTermStore.EXACT_SCAN_LIMIT; i++) {
                records.add(record(String.format("r%05d", i), ALICE, "note " + i, randomVector(random, 8)));
            }
            store.upsert(records);
            MemoryRecord target = records.get(records.size() / 2 + 17);
            float[] query = target.embedding().vector();
            assertThat(ids(store.semantic(ALICE, ANY, query, 5))).first().isEqualTo(target.id());
            assertThat(ids(store.lexical(ALICE, Query.text("note 42"), 5))).first().isEqualTo("r00042");
            store.delete(List.of("r00042")); // still counted by Lucene's term statistics until a merge
            assertThat(ids(store.lexical(ALICE, Query.text("note 42"), 5))).hasSize(5).doesNotContain("r00042");

            MemoryRecord archived = record("archived", ALICE, "archived note", query).toBuilder()
                    .state(State.ARCHIVED).build();
            MemoryRecord bobs = record("bobs", BOB, "bob's note", query);
            store.upsert(List.of(archived, bobs));
            List<String> found = ids(store.semantic(ALICE, ANY, query, 5));
            assertThat(found).first().isEqualTo(target.id());
            assertThat(found).doesNotContain("archived", "bobs");
            assertThat(ids(store.semantic(BOB, ANY, query, 5))).containsExactly("bobs");
            assertThat(ids(store.lexical(ALICE, Query.text("archived bob's"), 5))).isEmpty();
            assertThat(ids(store.lexical(BOB, Query.text("note"), 5))).containsExactly("bobs");
        }
    }

    @Test
    void resultsDoNotDependOnHowTheIndexWasBatched() {
        SplittableRandom random = new SplittableRandom(Long.getLong("loci.test.seed", 11L));
        List<MemoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            // Many identical texts: their BM25 scores tie, and only the id may order them.
            records.add(record(String.format("r%03d", i), ALICE, i % 3 == 0 ? "the same words again" : "note " + i,
                    randomVector(random, 8)));
        }
        try (LongTermStore oneByOne = LuceneStore.inMemory().open(tempDir.resolve("a"), 8);
             LongTermStore allAtOnce = LuceneStore.inMemory().open(tempDir.resolve("b"), 8)) {
            records.forEach(r -> oneByOne.upsert(List.of(r)));
            allAtOnce.upsert(records.reversed());
            for (int q = 0; q < 20; q++) {
                float[] vector = randomVector(random, 8);
                assertThat(ids(oneByOne.semantic(ALICE, ANY, vector, 10)))
                        .isEqualTo(ids(allAtOnce.semantic(ALICE, ANY, vector, 10)));
            }
            Query same = Query.text("same words");
            assertThat(ids(oneByOne.lexical(ALICE, same, 10))).isEqualTo(ids(allAtOnce.lexical(ALICE, same, 10)))
                    .as("ties broken by id").isSorted();
        }
    }

    @Test
    void conversationalFunctionWordsDoNotMakeLexicalHits() {
        try (LongTermStore store = LuceneStore.inMemory().open(tempDir, 2)) {
            store.upsert(List.of(record("a", ALICE, "I am here and my name is Alice", 1, 0),
                    record("b", ALICE, "I take my coffee black", 0, 1)));
            assertThat(store.lexical(ALICE, Query.text("What am I? How do I?"), 10)).isEmpty();
            assertThat(ids(store.lexical(ALICE, Query.text("How do I like my coffee?"), 10))).containsExactly("b");
            assertThat(LuceneLongTermStore.STOP_WORDS.contains("what")).isTrue();
            assertThat(LuceneLongTermStore.STOP_WORDS.contains("the")).as("Lucene's own list is kept").isTrue();
        }
    }

    /**
     * Regression (found by fuzzing queries): a trailing lone high surrogate made Lucene's tokenizer drop every word,
     * and the stored record came back with U+FFFD in its place.
     */
    @Test
    void aTextCutInTheMiddleOfAnEmojiKeepsItsWordsAndComesBackAsWritten() {
        String cut = "allergic to peanuts 😀".substring(0, "allergic to peanuts 😀".length() - 1);
        assertThat(cut).endsWith("\ud83d");
        try (LongTermStore store = LuceneStore.inMemory().open(tempDir, 2)) {
            store.upsert(List.of(record("cut", ALICE, cut, 1, 0), record("other", ALICE, "bob runs", 0, 1)));
            assertThat(ids(store.lexical(ALICE, Query.text("peanuts"), 10))).containsExactly("cut");
            assertThat(ids(store.lexical(ALICE, Query.text("peanuts \ud800"), 10))).containsExactly("cut");
            assertThat(ids(store.lexicalInContext(ALICE, Query.text("allergic\udc00"), 10))).containsExactly("cut");
            assertThat(store.get("cut").orElseThrow().text()).as("the record itself is kept as written").isEqualTo(cut);
        }
        assertThat(LuceneLongTermStore.wellFormed("a\ud800b\udc00\ud83d\ude00\ud83d"))
                .isEqualTo("a\uFFFDb\uFFFD\ud83d\ude00\uFFFD");
        assertThat(LuceneLongTermStore.escapeUnpairedSurrogates("\"\ud800\ud83d\ude00\"")).isEqualTo("\"\\ud800\ud83d\ude00\"");
    }

    @Test
    void purgedTextIsOnDiskBeforeTheCommitAndGoneAfterIt() throws IOException {
        Path dir = tempDir.resolve("store");
        // Unlike anything else in the record, so LZ4 in the stored fields keeps it as one literal run.
        String marker = "Zr4Q8xKv7Wj2";
        try (LongTermStore store = LuceneStore.onDisk().open(dir, 4)) {
            store.upsert(List.of(record("r1", ALICE, "the code is " + marker, 1, 0, 0, 0),
                    record("other", ALICE, "a plain note", 0, 1, 0, 0)));
            store.commit(1);
            assertThat(anyFileContains(dir, marker)).as("the marker is stored before the purge").isTrue();

            store.delete(List.of("r1"));
            assertThat(store.get("r1")).isEmpty();
            store.commit(2);

            assertThat(anyFileContains(dir, marker)).as("the marker remains after delete + commit").isFalse();
            assertThat(store.get("other")).isPresent();
        }
    }

    @Test
    void replacingARecordAlsoRemovesItsOldTextAtCommit() throws IOException {
        Path dir = tempDir.resolve("store");
        String marker = "Kp2Yq9Tz4Hb6";
        try (LongTermStore store = LuceneStore.onDisk().open(dir, 4)) {
            store.upsert(List.of(record("r1", ALICE, "lives at " + marker, 1, 0, 0, 0)));
            store.commit(1);
            assertThat(anyFileContains(dir, marker)).as("the marker is stored before the update").isTrue();
            store.upsert(List.of(record("r1", ALICE, "moved away", 1, 0, 0, 0)));
            store.commit(2);

            assertThat(anyFileContains(dir, marker)).isFalse();
            assertThat(store.get("r1").orElseThrow().text()).isEqualTo("moved away");
        }
    }

    @Test
    void aCrashLosesOnlyWhatWasNotCommitted() throws IOException {
        Path dir = tempDir.resolve("store");
        Path crashed = tempDir.resolve("crashed");
        try (LongTermStore store = LuceneStore.onDisk().open(dir, 4)) {
            store.upsert(List.of(record("committed", ALICE, "kept", 1, 0, 0, 0),
                    record("deleted-later", ALICE, "kept too", 0, 1, 0, 0)));
            store.commit(7);
            store.upsert(List.of(record("uncommitted", ALICE, "lost", 0, 0, 1, 0)));
            store.delete(List.of("deleted-later"));
            assertThat(store.get("uncommitted")).isPresent();
            // The files as a crash would leave them: flushed but uncommitted segments included.
            Files.createDirectories(crashed);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.copy(file, crashed.resolve(file.getFileName()));
                }
            }
        }

        try (LongTermStore store = LuceneStore.onDisk().open(crashed, 4)) {
            assertThat(store.checkpoint()).isEqualTo(7);
            assertThat(store.get("committed")).isPresent();
            assertThat(store.get("deleted-later")).isPresent();
            assertThat(store.get("uncommitted")).isEmpty();
            assertThat(ids(store.semantic(ALICE, ANY, new float[] {0, 0, 1, 0}, 10)))
                    .containsExactlyInAnyOrder("committed", "deleted-later");
        }
    }

    @Test
    void closeDoesNotCommit() {
        Path dir = tempDir.resolve("store");
        try (LongTermStore store = LuceneStore.onDisk().open(dir, 4)) {
            store.upsert(List.of(record("committed", ALICE, "kept", 1, 0, 0, 0)));
            store.commit(3);
            store.upsert(List.of(record("uncommitted", ALICE, "dropped", 1, 0, 0, 0)));
        }
        try (LongTermStore store = LuceneStore.onDisk().open(dir, 4)) {
            assertThat(store.checkpoint()).isEqualTo(3);
            assertThat(store.list(ALICE)).extracting(MemoryRecord::id).containsExactly("committed");
        }
    }

    @Test
    void aCommitWithoutChangesStillMovesTheCheckpoint() {
        Path dir = tempDir.resolve("store");
        try (LongTermStore store = LuceneStore.onDisk().open(dir, 4)) {
            store.upsert(List.of(record("r1", ALICE, "a", 1, 0, 0, 0)));
            store.commit(5);
            store.commit(9);
            assertThat(store.checkpoint()).isEqualTo(9);
        }
        try (LongTermStore store = LuceneStore.onDisk().open(dir, 4)) {
            assertThat(store.checkpoint()).isEqualTo(9);
        }
    }

    @Test
    void aDamagedCommitIsReportedAsCorruptionNamingTheDirectory() throws IOException {
        Path dir = storeWithOneCommittedRecord();
        Path segments;
        try (Stream<Path> files = Files.list(dir)) {
            segments = files.filter(f -> f.getFileName().toString().startsWith("segments_")).findFirst().orElseThrow();
        }
        try (FileChannel channel = FileChannel.open(segments, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            long position = channel.size() - 1; // the last byte of the checksum
            channel.read(last, position);
            last.put(0, (byte) (last.get(0) ^ 0xFF)).rewind();
            channel.write(last, position);
        }

        assertThatThrownBy(() -> LuceneStore.onDisk().open(dir, 4))
                .isInstanceOf(CorruptedMemoryException.class)
                .hasMessageContaining(dir.toString());
    }

    @Test
    void anIndexOfAnotherDimensionIsRefusedAtOpen() {
        Path dir = storeWithOneCommittedRecord();

        assertThatThrownBy(() -> LuceneStore.onDisk().open(dir, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimension 4").hasMessageContaining("is 8");
        // The failed open released the directory: it opens again with the right dimension.
        try (LongTermStore store = LuceneStore.onDisk().open(dir, 4)) {
            assertThat(store.get("r1")).isPresent();
        }
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefused() {
        Path dir = tempDir.resolve("store");
        try (LongTermStore store = LuceneStore.onDisk().open(dir, 4)) {
            assertThatThrownBy(() -> LuceneStore.onDisk().open(dir, 4))
                    .isInstanceOf(MemoryException.class)
                    .hasMessageContaining(dir.toString());
            assertThat(store.hasUser("alice")).isFalse();
        }
    }

    @Test
    void badDimensionsAndZeroVectorsAreRejected() {
        assertThatThrownBy(() -> LuceneStore.inMemory().open(tempDir, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
        assertThatThrownBy(() -> LuceneStore.onDisk().open(tempDir, 5000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 5000");
        try (LongTermStore store = LuceneStore.inMemory().open(tempDir, 4)) {
            assertThatThrownBy(() -> store.upsert(List.of(record("zero", ALICE, "a", 0, 0, 0, 0))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zero");
            assertThatThrownBy(() -> store.semantic(ALICE, ANY, new float[4], 3))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zeros");
            assertThat(store.get("zero")).isEmpty();
        }
    }

    /**
     * A scope holds context while a record it sees has a context embedding, or while any record of the index has a
     * context text (BM25's statistics are the index's), and no longer once those are gone.
     */
    @Test
    void aScopeHoldsContextWhileARecordItSeesHasOne() {
        try (LongTermStore store = LuceneStore.inMemory().open(tempDir, 4)) {
            MemoryRecord fact = record("fact", ALICE, "Alice likes tea", 1, 0, 0, 0);
            MemoryRecord message = record("message", BOB, "yes I did", 0, 1, 0, 0).toBuilder()
                    .context(new Context(List.of("q"), "", new Embedding("test-model", new float[] {1, 1, 0, 0})))
                    .build();
            store.upsert(List.of(fact, message));
            assertThat(store.holdsContext(ALICE)).as("another user's context embedding").isFalse();
            assertThat(store.holdsContext(BOB)).isTrue();

            MemoryRecord textOnly = record("textOnly", Scope.user("carol"), "fine", 0, 0, 1, 0).toBuilder()
                    .context(new Context(List.of("q"), "how are you", null))
                    .build();
            store.upsert(List.of(textOnly));
            assertThat(store.holdsContext(ALICE)).as("a context text anywhere changes the in-context statistics")
                    .isTrue();
            store.delete(List.of("textOnly"));
            store.commit(1); // merges the deleted document away, and its statistics with it
            assertThat(store.holdsContext(ALICE)).isFalse();

            store.delete(List.of("message"));
            assertThat(store.holdsContext(BOB)).as("after its only message is deleted").isFalse();
            store.upsert(List.of(message));
            store.upsert(List.of(message.toBuilder().context(null).build()));
            assertThat(store.holdsContext(BOB)).as("replaced by a version without context").isFalse();
        }
    }

    /**
     * The reference model and Lucene agree on random data (small enough that HNSW search is exact), in both vector
     * channels: about half the records have a context embedding, searched by it in its channel, the rest by their
     * own; and on whether a scope holds context at all (one of the users may have none).
     */
    @Test
    void semanticSearchAgreesWithTheExactReferenceStore() {
        long seed = Long.getLong("loci.test.seed", new SplittableRandom().nextLong());
        int rounds = Integer.getInteger("loci.test.iterations", 1) * 3;
        try {
            for (int round = 0; round < rounds; round++) {
                checkAgreement(new SplittableRandom(seed + round), round);
            }
        } catch (AssertionError e) {
            throw new AssertionError("replay with -Dloci.test.seed=" + seed, e);
        }
    }

    private void checkAgreement(SplittableRandom random, int round) {
        // Fresh stores each round: on a few dozen records Lucene's k-NN is exact, and so must agree exactly.
        try (LongTermStore lucene = LuceneStore.inMemory().open(tempDir, 8);
                LongTermStore exact = ExactLongTermStore.factory().open(tempDir, 8)) {
            List<MemoryRecord> records = new ArrayList<>();
            boolean contextForAll = random.nextBoolean();
            for (int i = 0; i < 60; i++) {
                Scope scope = Scope.user("u" + random.nextInt(2));
                MemoryRecord record = record("r" + round + "-" + i, scope, "text", randomVector(random, 8));
                if ((contextForAll || scope.user().equals("u0")) && random.nextBoolean()) {
                    record = record.toBuilder().context(new Context(List.of("r" + round + "-0"), "",
                            new Embedding("test-model", randomVector(random, 8)))).build();
                }
                records.add(record);
            }
            lucene.upsert(records);
            exact.upsert(records);
            for (int q = 0; q < 10; q++) {
                Scope scope = Scope.user("u" + random.nextInt(2));
                float[] vector = randomVector(random, 8);
                int k = 1 + random.nextInt(10);
                assertSameHits(lucene.semantic(scope, ANY, vector, k), exact.semantic(scope, ANY, vector, k),
                        "round " + round + ", query " + q + ", k " + k);
                assertSameHits(lucene.semanticInContext(scope, ANY, vector, k),
                        exact.semanticInContext(scope, ANY, vector, k),
                        "in context: round " + round + ", query " + q + ", k " + k);
                assertThat(lucene.holdsContext(scope)).as("holds context: round %d, %s", round, scope)
                        .isEqualTo(exact.holdsContext(scope));
            }
        }
    }

    private static void assertSameHits(List<StoreHit> actual, List<StoreHit> expected, String what) {
        assertThat(ids(actual)).as(what).isEqualTo(ids(expected));
        for (int i = 0; i < actual.size(); i++) {
            // Lucene's cosine is computed in float, the exact store's in double.
            assertThat(actual.get(i).score()).as(what).isCloseTo(expected.get(i).score(), within(1e-6));
        }
    }

    private static float[] randomVector(SplittableRandom random, int dimension) {
        float[] vector = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            vector[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return vector;
    }

    @Test
    void readsRunConcurrentlyWithWritesAndSeeEachWriteOnceItReturns() throws InterruptedException {
        int batches = 20 * Integer.getInteger("loci.test.iterations", 1);
        AtomicInteger written = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        try (LongTermStore store = LuceneStore.onDisk().open(tempDir.resolve("store"), 4)) {
            store.upsert(List.of(record("bob", Scope.user("bob"), "not alice's", 1, 0, 0, 0)));
            Thread writer = new Thread(() -> {
                try {
                    start.await();
                    for (int b = 0; b < batches; b++) {
                        List<MemoryRecord> batch = new ArrayList<>();
                        for (int i = 0; i < 5; i++) {
                            int n = b * 5 + i;
                            batch.add(record(String.format("r%05d", n), ALICE, "note " + n, 1, n % 7, 0, 1));
                        }
                        store.upsert(batch);
                        written.set((b + 1) * 5);
                        if (b % 5 == 4) {
                            store.commit(b);
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                } finally {
                    done.set(true);
                }
            });
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < 100 && !done.get(); i++) {
                            int seen = written.get();
                            if (seen > 0) {
                                String last = String.format("r%05d", seen - 1);
                                assertThat(store.get(last)).as("written record %s", last).isPresent();
                            }
                            List<StoreHit> hits = store.semantic(ALICE, ANY, new float[] {1, 0, 0, 0}, 10);
                            assertThat(hits.size()).isBetween(Math.min(10, seen), 10);
                            assertThat(store.getAll(hits.stream().map(StoreHit::id).toList()))
                                    .allMatch(hit -> hit.scope().user().equals("alice"));
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            writer.start();
            readers.forEach(Thread::start);
            start.countDown();
            writer.join();
            for (Thread reader : readers) {
                reader.join();
            }
            assertThat(failures).isEmpty();
            assertThat(store.list(ALICE)).hasSize(batches * 5);
        }
    }
}
