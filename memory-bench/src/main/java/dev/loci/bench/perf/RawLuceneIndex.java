package dev.loci.bench.perf;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.WordlistLoader;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;
import org.apache.lucene.util.Version;

/**
 * A plain Lucene index of {@link SyntheticData}: per document one {@link TextField} and one
 * {@link KnnFloatVectorField}, set up as memory-lucene's {@code LuceneLongTermStore} sets up its own, so that the
 * difference between the two is Loci's work and not Lucene's configuration:
 * <ul>
 *   <li>the same analyser: {@link EnglishAnalyzer} with Lucene's English stop words and memory-lucene's
 *       {@code stopwords.txt} (read from memory-lucene's jar);</li>
 *   <li>the same vector similarity, {@link VectorSimilarityFunction#COSINE}, and the default codec with its default
 *       HNSW settings (neither store chooses others);</li>
 *   <li>the same directory kind, {@link FSDirectory#open} (memory-mapped), and a searcher without an executor.</li>
 * </ul>
 * Unlike the store, the index holds nothing else (no id, stored JSON, scope or time fields, second text and vector),
 * and it is force-merged to one segment once built: one HNSW graph and one posting list per term, whatever the
 * flush and merge timing of the build, so the baseline is reproducible and is the best case for plain Lucene. A
 * larger RAM buffer than the store's only makes the build faster; the result is one segment either way.
 *
 * <p>Reads are thread-safe; {@link #close} must not run concurrently with them. Calls block on I/O and throw
 * {@link UncheckedIOException} when it fails.
 */
public final class RawLuceneIndex implements Closeable {
    /** The text field, named as the store names its own. */
    public static final String TEXT = "text";
    /** The vector field, named as the store names its own. */
    public static final String VECTOR = "vector";
    /** The commit user-data key naming the data an index holds (see {@link #openOrBuild}). */
    static final String DATA_KEY = "loci.perf.data";
    /** Changes whenever {@link #document} or the writer settings change, so that older cached indexes are rebuilt. */
    static final String LAYOUT = "raw-v1";

    private final Directory directory;
    private final Analyzer analyzer;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;

    private RawLuceneIndex(Directory directory, Analyzer analyzer, DirectoryReader reader) {
        this.directory = directory;
        this.analyzer = analyzer;
        this.reader = reader;
        this.searcher = new IndexSearcher(reader);
    }

    /**
     * Indexes every document of {@code data} into {@code path} (replacing any index there), force-merges to one
     * segment, commits and opens a reader. Blocks for the whole build: seconds at 10,000 documents, tens of minutes
     * at a million on two cores. Needs little heap: documents are generated one at a time.
     */
    public static RawLuceneIndex build(SyntheticData data, Path path) {
        return open(data, path, false);
    }

    /**
     * Opens the index at {@code path} if a previous {@link #build} or {@code openOrBuild} there completed for the
     * same data (seed and size) and the same {@link #LAYOUT}; otherwise builds it as {@link #build} does. Lets a
     * series of runs at a million documents pay for the build once.
     */
    public static RawLuceneIndex openOrBuild(SyntheticData data, Path path) {
        return open(data, path, true);
    }

    /** What the commit user data says of an index of {@code data}. */
    static String dataKey(SyntheticData data) {
        return LAYOUT + " lucene " + Version.LATEST + " seed " + Long.toHexString(data.seed()) + " size "
                + data.size();
    }

    private static RawLuceneIndex open(SyntheticData data, Path path, boolean reuse) {
        Objects.requireNonNull(data, "data must not be null");
        Directory directory = null;
        Analyzer analyzer = lociAnalyzer();
        try {
            Files.createDirectories(path);
            directory = FSDirectory.open(path);
            if (reuse && DirectoryReader.indexExists(directory)) {
                try {
                    DirectoryReader reader = DirectoryReader.open(directory);
                    if (dataKey(data).equals(reader.getIndexCommit().getUserData().get(DATA_KEY))) {
                        return new RawLuceneIndex(directory, analyzer, reader);
                    }
                    reader.close();
                } catch (IndexFormatTooOldException | IndexFormatTooNewException e) {
                    // Kept by another Lucene: built again, in an emptied directory.
                    directory.close();
                    TempDirs.delete(path);
                    Files.createDirectories(path);
                    directory = FSDirectory.open(path);
                }
            }
            IndexWriterConfig config = new IndexWriterConfig(analyzer)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
                    .setMergePolicy(new TieredMergePolicy())
                    .setRAMBufferSizeMB(256);
            try (IndexWriter writer = new IndexWriter(directory, config)) {
                float[] vector = new float[SyntheticData.DIMENSION];
                for (int i = 0; i < data.size(); i++) {
                    data.vectorInto(i, vector, 0);
                    writer.addDocument(document(data.text(i), vector));
                }
                writer.forceMerge(1);
                writer.setLiveCommitData(Map.of(DATA_KEY, dataKey(data)).entrySet());
                writer.commit();
            }
            return new RawLuceneIndex(directory, analyzer, DirectoryReader.open(directory));
        } catch (IOException e) {
            IOUtils.closeWhileHandlingException(directory, analyzer);
            throw new UncheckedIOException("cannot build the Lucene index in " + path + ": " + e, e);
        } catch (RuntimeException e) {
            IOUtils.closeWhileHandlingException(directory, analyzer);
            throw e;
        }
    }

    /** The Lucene document of one text and vector (the vector is copied by the field). */
    public static Document document(String text, float[] vector) {
        Document doc = new Document();
        doc.add(new TextField(TEXT, text, Field.Store.NO));
        doc.add(new KnnFloatVectorField(VECTOR, vector.clone(), VectorSimilarityFunction.COSINE));
        return doc;
    }

    /** The analyser of memory-lucene's long-term store: English, with its stop words. A new one; close it. */
    public static Analyzer lociAnalyzer() {
        String resource = "/dev/loci/lucene/stopwords.txt";
        try (InputStream in = Objects.requireNonNull(RawLuceneIndex.class.getResourceAsStream(resource),
                resource + " (from memory-lucene) is not on the class path");
             Reader text = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            CharArraySet stopWords = WordlistLoader.getWordSet(text, "#",
                    new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, false));
            return new EnglishAnalyzer(CharArraySet.unmodifiableSet(stopWords));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + ": " + e, e);
        }
    }

    /** k-NN over the vector field, as the store asks it (without the store's filter). */
    public Query knnQuery(float[] vector, int k) {
        return new KnnFloatVectorQuery(VECTOR, vector.clone(), k);
    }

    /** BM25: the distinct terms the analyser makes of {@code text}, OR-ed, as the store's lexical search asks. */
    public Query bm25Query(String text) {
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        for (String term : terms(text)) {
            query.add(new TermQuery(new Term(TEXT, term)), Occur.SHOULD);
        }
        return query.build();
    }

    /** The distinct terms the analyser makes of {@code text}, in order. */
    public Set<String> terms(String text) {
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream tokens = analyzer.tokenStream(TEXT, text)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken()) {
                terms.add(term.toString());
            }
            tokens.end();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot analyse a query: " + e, e);
        }
        return terms;
    }

    /** The top {@code k} documents by score. */
    public TopDocs search(Query query, int k) {
        try {
            return searcher.search(query, k);
        } catch (IOException e) {
            throw new UncheckedIOException("search failed: " + e, e);
        }
    }

    /** Number of documents. */
    public int size() {
        return reader.numDocs();
    }

    /** Number of segments (1 once built). */
    public int segments() {
        return reader.leaves().size();
    }

    @Override
    public void close() {
        try {
            IOUtils.close(reader, directory, analyzer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the Lucene index: " + e, e);
        }
    }
}
