package dev.loci.bench.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loci.Consolidation;
import dev.loci.Memory;
import dev.loci.MemoryRecord;
import dev.loci.Recall;
import dev.loci.Scope;
import dev.loci.Tier;
import dev.loci.lucene.LuceneStore;
import dev.loci.spi.LongTermStore;
import dev.loci.spi.Embedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each Loci benchmark fixture builds at a tiny size and its benchmark method answers sensibly; nothing is timed. */
class LociPerfSmokeTest {
    private static final int SIZE = 300;

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void theBuiltMemoryHoldsEveryDocumentLongTermAndReadsTopTen(int scopes) {
        LociReadBenchmark bench = new LociReadBenchmark();
        bench.size = SIZE;
        bench.scopes = scopes;
        bench.setUp();
        try {
            QueryCursor cursor = new QueryCursor();
            for (int j = 0; j < 6; j++) {
                List<Recall> recalls = bench.hybridTop10(cursor);
                assertThat(recalls).hasSize(10);
                Scope asked = LociMemories.scope(j, scopes);
                int scope = j % scopes;
                assertThat(recalls).allSatisfy(recall -> {
                    assertThat(recall.record().scope()).isEqualTo(asked);
                    assertThat(recall.record().tier()).isEqualTo(Tier.LONG_TERM);
                    assertThat(LociMemories.docOf(recall.record()) % scopes).isEqualTo(scope);
                });
            }
        } finally {
            Path path = bench.place().path();
            bench.tearDown();
            assertThat(path).doesNotExist(); // a scratch directory without the cache property
        }
    }

    @Test
    void aBuiltMemoryIsCommittedMergedAndReusedForTheSameData(@TempDir Path cache) throws Exception {
        SyntheticData data = SyntheticData.of(SIZE);
        Path path = LociMemories.openOrBuild(data, 3, cache.resolve("m"));
        assertThat(LociMemories.storedRecords(path.resolve("long-term"))).isEqualTo(SIZE);
        long modified = Files.getLastModifiedTime(path.resolve(LociMemories.MARKER)).toMillis();
        try (LongTermStore store = LuceneStore.onDisk().open(path.resolve("long-term"), SyntheticData.DIMENSION)) {
            assertThat(store.checkpoint()).as("the merge kept the store's checkpoint").isPositive();
            assertThat(store.list(Scope.user("u1"))).hasSize(SIZE / 3)
                    .allSatisfy(record -> assertThat(record.tier()).isEqualTo(Tier.LONG_TERM));
        }
        LociMemories.openOrBuild(data, 3, path);
        assertThat(Files.getLastModifiedTime(path.resolve(LociMemories.MARKER)).toMillis())
                .isEqualTo(modified);
        // Opening it replays nothing into the store: the lookup embedder would fail if anything needed embedding.
        try (Memory memory = LociMemories.openForReads(path, data)) {
            assertThat(memory.read(Scope.user("u0"), data.query(0).text())).hasSize(10);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void theVectorChannelOfATinyStoreIsExact(int scopes, @TempDir Path cache) {
        SyntheticData data = SyntheticData.of(SIZE);
        Path path = LociMemories.openOrBuild(data, scopes, cache.resolve("m"));
        // A scope of at most 2,000 records is scanned exactly by the store.
        VectorRecall.Result result = VectorRecall.measure(path, data, scopes, 20, 100);
        assertThat(result.recall()).isEqualTo(1.0);
        assertThat(result.medianMillis()).isPositive();
    }

    @Test
    void theLookupEmbedderEmbedsQueriesOnly() {
        SyntheticData data = SyntheticData.of(1);
        LociMemories.QueryLookupEmbedder embedder = new LociMemories.QueryLookupEmbedder(data.queries(2));
        assertThat(embedder.embedQuery(data.query(1).text())).isEqualTo(data.query(1).vector());
        assertThatThrownBy(() -> embedder.embedQuery("something else")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> embedder.embedDocuments(List.of("a text")))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("embeds no document");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lucene", "exact"})
    void aDurableWriteIsAcknowledged(String store) {
        LociWriteBenchmark bench = new LociWriteBenchmark();
        bench.recordBytes = 1024;
        bench.shortTermRecords = 256;
        bench.store = store;
        bench.setUp();
        try {
            QueryCursor cursor = new QueryCursor();
            MemoryRecord first = bench.writeLatency(cursor);
            MemoryRecord second = bench.writeThroughput(cursor);
            assertThat(first.text().length()).isBetween(1000, 1024);
            assertThat(second.id()).isNotEqualTo(first.id());
            assertThat(first.scope()).isEqualTo(LociWriteBenchmark.SCOPE);
            List<MemoryRecord> batch = bench.writeBatchThroughput(cursor);
            List<MemoryRecord> next = bench.writeBatchThroughput(cursor);
            assertThat(batch).hasSize(LociWriteBenchmark.BATCH).doesNotContainAnyElementsOf(next);
            SyntheticData data = SyntheticData.of(QueryCursor.QUERIES);
            assertThat(next.getFirst().text()).as("the cursor's fourth call: the fourth batch of the prepared writes")
                    .isEqualTo(LociWriteBenchmark.text(data, 3 * LociWriteBenchmark.BATCH, 1024));
            bench.memory().flush();
            assertThat(bench.memory().read(LociWriteBenchmark.SCOPE, second.text().substring(0, 40))).isNotEmpty();
        } finally {
            bench.tearDown();
        }
    }

    @Test
    void shortTermReadFindsTopTenOfTheWorkingSet() {
        ShortTermReadBenchmark bench = new ShortTermReadBenchmark();
        bench.records = 200;
        bench.setUp();
        try {
            QueryCursor cursor = new QueryCursor();
            for (int j = 0; j < 5; j++) {
                List<Recall> recalls = bench.read(cursor);
                assertThat(recalls).hasSize(10).allSatisfy(recall -> {
                    assertThat(recall.record().tier()).isEqualTo(Tier.SHORT_TERM);
                    assertThat(recall.record().scope()).isEqualTo(ShortTermReadBenchmark.SCOPE);
                    assertThat(recall.channels()).extracting(Recall.Channel::name)
                            .containsExactly(Recall.SHORT_TERM);
                });
                assertThat(bench.readAllTiers(cursor)).as("the store's channels answer too").hasSize(10)
                        .anySatisfy(recall -> assertThat(recall.channels()).extracting(Recall.Channel::name)
                                .contains(Recall.SEMANTIC));
            }
        } finally {
            bench.tearDown();
        }
    }

    @Test
    void consolidationPromotesTheWholeScope() {
        ConsolidateBenchmark bench = new ConsolidateBenchmark();
        bench.setUp();
        try {
            for (int call = 0; call < 2; call++) {
                bench.writeRecords();
                Consolidation done = bench.consolidate();
                assertThat(done.promoted()).isEqualTo(ConsolidateBenchmark.RECORDS);
                assertThat(done.faded()).isZero();
            }
        } finally {
            bench.tearDown();
        }
    }

    @Test
    void recoveryFindsEveryRecord() {
        RecoveryBenchmark bench = new RecoveryBenchmark();
        bench.committed = SIZE;
        bench.tail = 100;
        bench.setUp();
        try {
            for (boolean flushed : new boolean[] {true, false}) {
                bench.copyTheCrashedDirectory();
                Path path = bench.copy();
                assertThat(path).isNotNull();
                assertThat(storedRecords(path)).as("the store before recovery").hasSize(SIZE);
                Memory memory = flushed ? bench.reopen() : bench.openOnly();
                List<Recall> recalls = memory.read(Scope.user("u0"), SyntheticData.of(1).query(0).text());
                assertThat(recalls).hasSize(10);
                bench.closeMemory();
                assertThat(storedRecords(path)).as("the store after recovery").hasSize(SIZE + 100)
                        .allSatisfy(record -> assertThat(record.tier()).isEqualTo(Tier.LONG_TERM));
                bench.closeAndDelete();
                assertThat(path).doesNotExist();
            }
        } finally {
            bench.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lucene", "exact"})
    void ingestWritesEmbedsAndIndexesABatch(String store) {
        IngestBenchmark bench = new IngestBenchmark();
        bench.batch = 8;
        bench.store = store;
        bench.setUp();
        try {
            Memory memory = bench.ingest();
            List<Recall> recalls = memory.read(IngestBenchmark.SCOPE, SyntheticData.of(8).text(3));
            assertThat(recalls).hasSize(8);
            assertThat(recalls.getFirst().record().text()).isEqualTo(SyntheticData.of(8).text(3));
            assertThat(recalls).allSatisfy(recall -> assertThat(recall.record().embedding()).isNotNull());
        } finally {
            bench.tearDown();
        }
    }

    /**
     * Issue 6: embedding and indexing never run on the caller's thread. The embedder blocks until released; a write
     * returns meanwhile (a write that waited for it would hang this test until its timeout).
     */
    @Test
    @Timeout(60)
    void aWriteReturnsWhileTheEmbedderIsBlocked() throws InterruptedException {
        CountDownLatch embedding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Embedder hashing = new LociMemories.HashingEmbedder();
        Embedder gated = new Embedder() {
            @Override
            public String modelId() {
                return hashing.modelId();
            }

            @Override
            public int dimension() {
                return hashing.dimension();
            }

            @Override
            public float[] embedQuery(String text) {
                return hashing.embedQuery(text);
            }

            @Override
            public List<float[]> embedDocuments(List<String> texts) {
                embedding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return hashing.embedDocuments(texts);
            }
        };
        LociWriteBenchmark bench = new LociWriteBenchmark();
        bench.recordBytes = 1024;
        bench.shortTermRecords = 256;
        bench.setUp(gated);
        try {
            QueryCursor cursor = new QueryCursor();
            MemoryRecord first = bench.writeLatency(cursor);
            embedding.await(); // the indexer is inside the embedder, blocked, with the first record
            MemoryRecord second = bench.writeLatency(cursor);
            MemoryRecord third = bench.writeThroughput(cursor);
            assertThat(release.getCount()).as("still blocked").isEqualTo(1);
            assertThat(List.of(first, second, third)).allSatisfy(record -> {
                assertThat(record.embedding()).isNull();
                assertThat(record.tier()).isEqualTo(Tier.SHORT_TERM);
            });
            // Read-your-writes while nothing is embedded yet.
            assertThat(bench.memory().read(LociWriteBenchmark.SCOPE, "anything").stream()
                    .map(recall -> recall.record().id())).contains(first.id(), second.id(), third.id());
        } finally {
            release.countDown();
            bench.tearDown();
        }
    }

    private static List<MemoryRecord> storedRecords(Path memory) {
        try (LongTermStore store = LuceneStore.onDisk().open(memory.resolve("long-term"), SyntheticData.DIMENSION)) {
            return store.list(Scope.user("u0"));
        }
    }
}
