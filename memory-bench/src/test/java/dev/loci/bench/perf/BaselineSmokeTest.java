package dev.loci.bench.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each baseline fixture builds at a tiny size and its benchmark methods answer sensibly; nothing is timed. */
class BaselineSmokeTest {
    private static final int SIZE = 500;

    @Test
    void rawLuceneIndexesAsTheStoreDoesAndAnswersBothKindsOfQuery() {
        RawLuceneBenchmark bench = new RawLuceneBenchmark();
        bench.size = SIZE;
        bench.setUp();
        try {
            RawLuceneIndex index = bench.index();
            assertThat(index.size()).isEqualTo(SIZE);
            assertThat(index.segments()).isEqualTo(1);
            SyntheticData data = SyntheticData.of(SIZE);
            // The synthetic words pass the store's analyser unchanged, so a query's terms are its words.
            assertThat(index.terms(data.text(0)))
                    .containsExactlyElementsOf(new LinkedHashSet<>(List.of(data.text(0).split(" "))));
            assertThat(String.join(" ", index.terms(data.query(0).text()))).isEqualTo(data.query(0).text());

            QueryCursor cursor = new QueryCursor();
            QueryCursor exactCursor = new QueryCursor();
            float[] vectors = data.flatVectors();
            int overlap = 0;
            int bm25Hits = 0;
            for (int j = 0; j < 20; j++) {
                TopDocs knn = bench.knnTop10(cursor);
                assertThat(knn.scoreDocs).hasSize(10);
                Set<Integer> exact = new HashSet<>();
                for (int doc : ExactSearch.top(vectors, data.query(exactCursor.next()).vector(), 10).docs()) {
                    exact.add(doc);
                }
                for (ScoreDoc hit : knn.scoreDocs) {
                    overlap += exact.contains(hit.doc) ? 1 : 0; // one segment, added in order: doc id = index
                }
                TopDocs bm25 = bench.bm25Top10(queryAt(j));
                assertThat(bm25.scoreDocs.length).isLessThanOrEqualTo(10);
                bm25Hits += bm25.scoreDocs.length;
                RawLuceneBenchmark.Hybrid hybrid = bench.knnPlusBm25(queryAt(j));
                assertThat(hybrid.knn().scoreDocs).hasSize(10);
            }
            // 500 points over 1024 clusters: a query's neighbours are points of other clusters, all at cosine about
            // 0 +- 0.05, where HNSW is approximate (about 70% here); at 10,000 and more a query has its own cluster.
            assertThat(overlap).as("HNSW top-10 agreeing with the exact top-10 over 20 queries")
                    .isGreaterThanOrEqualTo(100);
            assertThat(bm25Hits).as("BM25 hits over 20 queries").isPositive();
        } finally {
            bench.tearDown();
        }
    }

    @Test
    void theCandidatesAreHnswsKAndFewerThanTenAreRefused() {
        SyntheticData data = SyntheticData.of(SIZE);
        float[] vectors = data.flatVectors();
        int[] found = new int[2];
        int[] candidates = {10, 200};
        for (int c = 0; c < 2; c++) {
            RawLuceneBenchmark bench = new RawLuceneBenchmark();
            bench.size = SIZE;
            bench.candidates = candidates[c];
            bench.setUp();
            try {
                int k = candidates[c];
                assertThat(bench.knnQuery(0)).isInstanceOfSatisfying(KnnFloatVectorQuery.class,
                        query -> assertThat(query.getK()).isEqualTo(k));
                QueryCursor cursor = new QueryCursor();
                for (int j = 0; j < 50; j++) {
                    Set<Integer> exact = new HashSet<>();
                    for (int doc : ExactSearch.top(vectors, data.query(j).vector(), 10).docs()) {
                        exact.add(doc);
                    }
                    TopDocs knn = bench.knnPlusBm25(cursor).knn();
                    assertThat(knn.scoreDocs).hasSize(10);
                    for (ScoreDoc hit : knn.scoreDocs) {
                        found[c] += exact.contains(hit.doc) ? 1 : 0;
                    }
                }
            } finally {
                bench.tearDown();
            }
        }
        assertThat(found[1]).as("200 candidates in 500 documents: the exact top 10 of all 50 queries")
                .isEqualTo(500).isGreaterThanOrEqualTo(found[0]);
        RawLuceneBenchmark tooFew = new RawLuceneBenchmark();
        tooFew.size = SIZE;
        tooFew.candidates = 9;
        assertThatThrownBy(tooFew::setUp).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("candidates must be at least 10, was 9");
    }

    @Test
    void aKeptIndexIsReusedForTheSameDataAndRebuiltForOther(@TempDir Path cache) throws IOException {
        Path path = cache.resolve("lucene");
        try (RawLuceneIndex built = RawLuceneIndex.openOrBuild(SyntheticData.of(200), path)) {
            assertThat(built.size()).isEqualTo(200);
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(path)) {
            files = listed.sorted().toList();
        }
        try (RawLuceneIndex reused = RawLuceneIndex.openOrBuild(SyntheticData.of(200), path)) {
            assertThat(reused.size()).isEqualTo(200);
        }
        try (Stream<Path> listed = Files.list(path)) {
            assertThat(listed.sorted().toList()).isEqualTo(files); // no new commit
        }
        try (RawLuceneIndex rebuilt = RawLuceneIndex.openOrBuild(SyntheticData.of(300), path)) {
            assertThat(rebuilt.size()).isEqualTo(300);
            assertThat(rebuilt.segments()).isEqualTo(1);
        }
    }

    @Test
    void journalAppendsExtendTheFile() throws IOException {
        JournalAppendBenchmark bench = new JournalAppendBenchmark();
        bench.recordBytes = 1024;
        bench.setUp();
        try {
            bench.emptyTheFile();
            assertThat(bench.appendForce()).isEqualTo(1024);
            assertThat(bench.appendForceLatency()).isEqualTo(2048);
            assertThat(bench.groupCommit64()).isEqualTo(2048 + 64 * 1024);
            assertThat(bench.fileSize()).isEqualTo(2048 + 64 * 1024);
            bench.emptyTheFile();
            assertThat(bench.fileSize()).isZero();
            assertThat(bench.position()).isZero();
        } finally {
            bench.tearDown();
        }
    }

    @Test
    void bruteForceFindsTheExactTopTen() {
        BruteForceBenchmark bench = new BruteForceBenchmark();
        bench.size = SIZE;
        bench.setUp();
        SyntheticData data = SyntheticData.of(SIZE);
        ExactSearch.Hits hits = bench.exactTop10(new QueryCursor());
        assertThat(hits.docs()).hasSize(10).doesNotHaveDuplicates();
        float[] scores = hits.scores();
        for (int i = 1; i < scores.length; i++) {
            assertThat(scores[i]).isLessThanOrEqualTo(scores[i - 1]);
        }
        // Against a plain scalar scan.
        float[] query = data.query(0).vector();
        Integer[] order = new Integer[SIZE];
        double[] dots = new double[SIZE];
        for (int i = 0; i < SIZE; i++) {
            order[i] = i;
            dots[i] = dot(query, data.vector(i));
        }
        Arrays.sort(order, (a, b) -> Double.compare(dots[b], dots[a]));
        assertThat(hits.docs()[0]).isEqualTo(order[0]);
        assertThat(scores[0]).isCloseTo((float) dots[order[0]], org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(scores[9]).isCloseTo((float) dots[order[9]], org.assertj.core.data.Offset.offset(1e-4f));
    }

    @Test
    void inMemoryStoreFindsTheExactTopTen() {
        InMemoryStoreBenchmark bench = new InMemoryStoreBenchmark();
        bench.size = SIZE;
        bench.setUp();
        SyntheticData data = SyntheticData.of(SIZE);
        EmbeddingSearchResult<TextSegment> result = bench.search(new QueryCursor());
        List<EmbeddingMatch<TextSegment>> matches = result.matches();
        assertThat(matches).hasSize(10);
        int best = ExactSearch.top(data.flatVectors(), data.query(0).vector(), 1).docs()[0];
        assertThat(matches.getFirst().embeddingId()).isEqualTo(data.id(best));
        assertThat(matches.getFirst().embedded().text()).isEqualTo(data.text(best));
    }

    @Test
    void embedderEmbedsOneAndThirtyTwoTexts() {
        EmbedderBenchmark bench = new EmbedderBenchmark();
        bench.setUp();
        QueryCursor cursor = new QueryCursor();
        List<float[]> one = bench.batch1(cursor);
        assertThat(one).hasSize(1);
        assertThat(one.getFirst()).hasSize(384);
        List<float[]> many = bench.batch32(cursor);
        assertThat(many).hasSize(32).allSatisfy(vector -> assertThat(vector).hasSize(384));
    }

    /** A cursor whose next query is {@code j}. */
    private static QueryCursor queryAt(int j) {
        QueryCursor cursor = new QueryCursor();
        for (int i = 0; i < j; i++) {
            cursor.next();
        }
        return cursor;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            sum += (double) a[k] * b[k];
        }
        return sum;
    }
}
