package dev.loci.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loci.Context;
import dev.loci.CorruptedMemoryException;
import dev.loci.Embedding;
import dev.loci.Kind;
import dev.loci.MemoryException;
import dev.loci.MemoryRecord;
import dev.loci.Query;
import dev.loci.Scope;
import dev.loci.State;
import dev.loci.Tier;
import dev.loci.spi.LongTermStore;
import dev.loci.spi.StoreHit;
import dev.loci.spi.Vectors;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.WordlistLoader;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConjunctionUtils;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.RescoreTopNQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.VectorScorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IOUtils;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lucene {@link LongTermStore}: one document per record, holding the record's JSON (the source of truth on
 * read), its text analysed with {@link EnglishAnalyzer} for BM25, its embedding as an HNSW vector compared by
 * {@link VectorSimilarityFunction#COSINE}, and keyword fields for the filters. Thread-safety as described in
 * {@link LuceneStore}: reads go through a {@link SearcherManager} refreshed by every write; writes hold
 * {@link #writeLock}.
 */
final class LuceneLongTermStore implements LongTermStore {
    private static final Logger LOG = LoggerFactory.getLogger(LuceneLongTermStore.class);

    static final String ID = "id";
    /**
     * The id again, as binary doc values (uncompressed): what a search reads to name its hits and to break ties of
     * score (sorted doc values would decompress a block of ids for each lookup).
     */
    static final String ID_VALUE = "idValue";
    static final String JSON = "json";
    /** The embedding's model; its vector lives only in {@link #VECTOR} (kept out of the JSON: 4x smaller, no floats
     *  to parse). {@link #CONTEXT_MODEL} likewise for the context's embedding, in {@link #VECTOR_IN_CONTEXT}. */
    static final String MODEL = "model";
    static final String CONTEXT_MODEL = "contextModel";
    static final String TEXT = "text";
    static final String TEXT_IN_CONTEXT = "textInContext";
    static final String VECTOR = "vector";
    /** Only for records with a context embedding: the others are searched by {@link #VECTOR} in its channel. */
    static final String VECTOR_IN_CONTEXT = "vectorInContext";
    /**
     * What a record has of a context of its own: {@link #CONTEXT_TEXT}, {@link #CONTEXT_VECTOR}, both or neither
     * (then its in-context fields say no more than its plain ones; see {@link #holdsContext}).
     */
    static final String CONTEXT = "context";
    static final String CONTEXT_TEXT = "text";
    static final String CONTEXT_VECTOR = "vector";
    static final String USER = "user";
    static final String AGENT = "agent";
    static final String SESSION = "session";
    static final String KIND = "kind";
    static final String STATE = "state";
    static final String TIER = "tier";
    static final String RECORDED_AT = "recordedAt";
    static final String OCCURRED_AT = "occurredAt";
    static final String VALID_FROM = "validFrom";
    static final String VALID_TO = "validTo";
    /** Doc values of what fusion weighs besides the rank (with {@link #OCCURRED_AT}'s), read without the record. */
    static final String IMPORTANCE = "importance";
    /** The commit user-data key of the journal sequence. */
    static final String CHECKPOINT = "loci.journalSequence";
    /**
     * The commit user-data key of the index layout, {@link #LAYOUT}. An index of another layout (or of none: before
     * 2026-12) is emptied at open, and the memory rebuilds it from the journal.
     */
    static final String LAYOUT_KEY = "loci.layout";
    /**
     * 5: a record without a context embedding has no {@link #VECTOR_IN_CONTEXT}, {@link #CONTEXT} says what it has,
     * {@link #ID_VALUE} holds the id (and breaks ties), and the record and its models are binary doc values, not
     * stored fields.
     */
    static final String LAYOUT = "5";
    /** Indexed for a missing agent or session; scope parts cannot contain control characters, so it never clashes. */
    static final String NONE = "\u0000";
    /** At most this many distinct query terms are searched, well under Lucene's clause limit. */
    static final int MAX_QUERY_TERMS = 256;
    /**
     * The most candidates a store may be told to look for: more would only slow every search (HNSW's beam past a few
     * hundred finds nothing new at these sizes).
     */
    static final int MAX_CANDIDATES = 10_000;
    /** Scopes of up to this many records get exact k-NN (see {@link #semantic}). */
    static final int EXACT_SCAN_LIMIT = 2_000;
    /**
     * Best score first, ties by record id: an order that does not depend on how the index happens to be segmented
     * (which follows the indexer's timing), so the same data always gives the same results.
     */
    private static final Sort BY_SCORE_THEN_ID = new Sort(SortField.FIELD_SCORE,
            new SortField(ID_VALUE, SortField.Type.STRING_VAL));

    /** The day a record happened, as words in its text fields, so that "what did I do in June 2023" matches. */
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);

    private final Directory directory;
    private final String location;
    private final int dimension;
    /** HNSW looks for at least this many candidates (its beam); see {@link LuceneStoreFactory#candidates}. */
    private final int candidates;
    /** True if the vectors are quantised for HNSW: its candidates are then scored again on the floats. */
    private final boolean quantized;
    private final Analyzer analyzer;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Object writeLock = new Object();
    private volatile long checkpoint;
    private volatile boolean closed;
    /** The I/O failure of a write or commit, after which the store refuses further work (null while healthy). */
    private volatile @Nullable Throwable failed;

    private LuceneLongTermStore(Directory directory, String location, int dimension, int candidates,
            boolean quantized, Analyzer analyzer, IndexWriter writer, SearcherManager searchers, long checkpoint) {
        this.directory = directory;
        this.location = location;
        this.dimension = dimension;
        this.candidates = candidates;
        this.quantized = quantized;
        this.analyzer = analyzer;
        this.writer = writer;
        this.searchers = searchers;
        this.checkpoint = checkpoint;
    }

    /** Lucene's English stop words and the conversational function words of {@code stopwords.txt}. */
    static final CharArraySet STOP_WORDS = loadStopWords();

    private static CharArraySet loadStopWords() {
        try (InputStream in = Objects.requireNonNull(LuceneLongTermStore.class.getResourceAsStream("stopwords.txt"),
                "stopwords.txt is missing from memory-lucene");
             Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            CharArraySet words = WordlistLoader.getWordSet(reader, "#",
                    new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, false));
            return CharArraySet.unmodifiableSet(words);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read memory-lucene's stopwords.txt", e);
        }
    }

    /** Opens (creating if needed) the index in {@code directory}; closes the directory if that fails. */
    static LuceneLongTermStore open(Directory directory, String location, int dimension) {
        return open(directory, location, dimension, LuceneStoreFactory.DEFAULT_CANDIDATES,
                LuceneStore.Quantization.NONE);
    }

    /**
     * As {@link #open(Directory, String, int)}, with HNSW's number of candidates (at least 1) and the quantisation of
     * the vectors it writes.
     */
    static LuceneLongTermStore open(Directory directory, String location, int dimension, int candidates,
                                    LuceneStore.Quantization quantization) {
        checkDimension(dimension);
        checkCandidates(candidates);
        Analyzer analyzer = new EnglishAnalyzer(STOP_WORDS);
        IndexWriter writer = null;
        try {
            try {
                writer = new IndexWriter(directory, writerConfig(analyzer, quantization));
            } catch (IndexFormatTooOldException | IndexFormatTooNewException e) {
                emptyIfIntact(directory, location, e);
                writer = new IndexWriter(directory, writerConfig(analyzer, quantization));
            }
            long checkpoint = readCheckpoint(writer, location);
            String layout = commitData(writer).get(LAYOUT_KEY);
            if (writer.getDocStats().maxDoc > 0 && !LAYOUT.equals(layout)) {
                // A view of the journal: rebuilt from it, rather than searched by fields it does not have.
                LOG.warn("long-term store {} has index layout {}, not {}: emptied, to be rebuilt from the journal",
                        location, layout == null ? "1" : layout, LAYOUT);
                writer.deleteAll();
                checkpoint = 0;
            }
            SearcherManager searchers = new SearcherManager(writer, true, false, null);
            LuceneLongTermStore store =
                    new LuceneLongTermStore(directory, location, dimension, candidates,
                            quantization != LuceneStore.Quantization.NONE, analyzer, writer, searchers, checkpoint);
            store.checkStoredDimension();
            LOG.info("opened long-term store {} with {} records, checkpoint {}", location, writer.getDocStats().numDocs,
                    checkpoint);
            return store;
        } catch (IOException | RuntimeException e) {
            IOUtils.closeWhileHandlingException(writer);
            try {
                // Garbage in a file can surface as anything (EOF, a bad pointer, an out-of-range value): if the
                // checksums say the files are damaged, that is the error to report.
                verifyLastCommit(directory, location);
            } catch (CorruptedMemoryException corrupted) {
                corrupted.addSuppressed(e);
                IOUtils.closeWhileHandlingException(directory, analyzer);
                throw corrupted;
            } catch (RuntimeException other) {
                e.addSuppressed(other);
            }
            IOUtils.closeWhileHandlingException(directory, analyzer);
            if (e instanceof IOException io) {
                throw failure(location, "open", io);
            }
            Throwable tragedy = writer == null ? null : writer.getTragicException();
            if (tragedy != null) {
                // A merge the open started failed in the background (e.g. no space) and closed the writer.
                throw new MemoryException("the long-term store " + location + " failed while opening: " + tragedy,
                        tragedy);
            }
            throw (RuntimeException) e;
        }
    }

    static void checkCandidates(int candidates) {
        if (candidates < 1 || candidates > MAX_CANDIDATES) {
            throw new IllegalArgumentException("candidates must be within 1.." + MAX_CANDIDATES + ", was "
                    + candidates);
        }
    }

    static void checkDimension(int dimension) {
        if (dimension < 1 || dimension > KnnVectorsFormat.DEFAULT_MAX_DIMENSIONS) {
            throw new IllegalArgumentException("dimension must be within 1.." + KnnVectorsFormat.DEFAULT_MAX_DIMENSIONS
                    + ", was " + dimension);
        }
    }

    private static long readCheckpoint(IndexWriter writer, String location) {
        String value = commitData(writer).get(CHECKPOINT);
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new CorruptedMemoryException("long-term store " + location + ": commit data " + CHECKPOINT
                    + " is not a number", e);
        }
    }

    private static Map<String, String> commitData(IndexWriter writer) {
        Map<String, String> data = new HashMap<>();
        Iterable<Map.Entry<String, String>> entries = writer.getLiveCommitData();
        if (entries != null) {
            entries.forEach(entry -> data.put(entry.getKey(), entry.getValue()));
        }
        return data;
    }

    /** An index written with another embedder cannot be searched with this one: say so at open. */
    private void checkStoredDimension() throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            FieldInfo info = FieldInfos.getMergedFieldInfos(searcher.getIndexReader()).fieldInfo(VECTOR);
            if (info != null && info.getVectorDimension() != dimension) {
                throw new IllegalArgumentException("long-term store " + location + " holds vectors of dimension "
                        + info.getVectorDimension() + "; the embedder's dimension is " + dimension
                        + " (delete the store's directory to rebuild it from the journal)");
            }
        } finally {
            searchers.release(searcher);
        }
    }

    // ------------------------------------------------------------------ writes

    @Override
    public void upsert(Collection<MemoryRecord> records) {
        Objects.requireNonNull(records, "records must not be null");
        List<MemoryRecord> batch = List.copyOf(records);
        List<Document> documents = new ArrayList<>(batch.size());
        for (MemoryRecord record : batch) {
            documents.add(document(record)); // validates every record before anything changes
        }
        synchronized (writeLock) {
            ensureOpen();
            try {
                for (int i = 0; i < batch.size(); i++) {
                    writer.updateDocument(new Term(ID, batch.get(i).id()), documents.get(i));
                }
                searchers.maybeRefreshBlocking();
            } catch (IOException e) {
                failed = e;
                throw failure(location, "upsert", e);
            } catch (IllegalStateException e) {
                throw closedFailure(e);
            }
        }
    }

    @Override
    public void delete(Collection<String> ids) {
        List<String> checked = List.copyOf(Objects.requireNonNull(ids, "ids must not be null"));
        if (checked.isEmpty()) {
            ensureOpen();
            return;
        }
        Term[] terms = checked.stream().map(id -> new Term(ID, id)).toArray(Term[]::new);
        synchronized (writeLock) {
            ensureOpen();
            try {
                writer.deleteDocuments(terms);
                searchers.maybeRefreshBlocking();
            } catch (IOException e) {
                failed = e;
                throw failure(location, "delete", e);
            } catch (IllegalStateException e) {
                throw closedFailure(e);
            }
        }
    }

    @Override
    public void commit(long journalSequence) {
        synchronized (writeLock) {
            ensureOpen();
            try {
                if (writer.hasDeletions()) {
                    // Rewrite segments holding deleted (or replaced) records, so that once this commit replaces the
                    // previous one, no file holds their bytes.
                    writer.forceMergeDeletes(true);
                    // forceMergeDeletes skips a segment that a natural merge is rewriting already, and does not wait
                    // for that merge (found by the long RealErasureTest: the commit kept the segment, deleted
                    // documents and all). Wait for it, then look again: deletions made meanwhile carry over.
                    while (writer.hasDeletions() && !writer.getMergingSegments().isEmpty()) {
                        ((ConcurrentMergeScheduler) writer.getConfig().getMergeScheduler()).sync();
                        writer.forceMergeDeletes(true);
                    }
                }
                writer.setLiveCommitData(Map.of(CHECKPOINT, Long.toString(journalSequence), LAYOUT_KEY, LAYOUT)
                        .entrySet());
                writer.commit();
                checkpoint = journalSequence;
                // Release the reader of the pre-merge segments, so the writer can delete their files now.
                searchers.maybeRefreshBlocking();
            } catch (IOException e) {
                failed = e;
                throw failure(location, "commit", e);
            } catch (IllegalStateException e) {
                throw closedFailure(e);
            }
        }
        LOG.debug("committed long-term store {} at journal sequence {}", location, journalSequence);
    }

    /**
     * Checks every file of the last commit against its Lucene checksum footer. Holds the write lock meanwhile, so no
     * commit replaces (and deletes) the files being read.
     */
    @Override
    public void verify() {
        synchronized (writeLock) {
            ensureOpen();
            verifyLastCommit(directory, location);
        }
    }

    /** How the store's writer is configured (a configuration serves one writer). */
    private static IndexWriterConfig writerConfig(Analyzer analyzer, LuceneStore.Quantization quantization) {
        TieredMergePolicy mergePolicy = new TieredMergePolicy();
        // forceMergeDeletes must rewrite every segment holding a deleted record, however few it holds.
        mergePolicy.setForceMergeDeletesPctAllowed(0.0);
        IndexWriterConfig config = new IndexWriterConfig(analyzer)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setMergePolicy(mergePolicy)
                .setMergeScheduler(new ConcurrentMergeScheduler()) // the default, named: commit() waits on it
                .setCommitOnClose(false);
        KnnVectorsFormat quantized = quantization.format();
        if (quantized != null) {
            config.setCodec(new Lucene104Codec() {
                @Override
                public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                    return quantized;
                }
            });
        }
        return config;
    }

    /**
     * An index this Lucene cannot read (written by an older Lucene whose codec it no longer carries, or a newer one)
     * is a view of the journal like any other: if its last commit's segments file is intact (its checksum holds, so
     * the format it names is what was written, not damage), every file is deleted and the store starts empty, to be
     * rebuilt from the journal; if not, the damage is reported.
     */
    private static void emptyIfIntact(Directory directory, String location, IOException unreadable)
            throws IOException {
        try (IndexInput in = directory.openInput(SegmentInfos.getLastCommitSegmentsFileName(directory),
                IOContext.READONCE)) {
            CodecUtil.checksumEntireFile(in);
        } catch (CorruptIndexException e) {
            e.addSuppressed(unreadable);
            throw e;
        }
        LOG.warn("long-term store {} was written in a format this Lucene cannot read ({}): emptied, to be rebuilt"
                + " from the journal", location, unreadable.getMessage());
        for (String file : directory.listAll()) {
            if (!file.equals(IndexWriter.WRITE_LOCK_NAME)) {
                directory.deleteFile(file);
            }
        }
    }

    private static void verifyLastCommit(Directory directory, String location) {
        try {
            if (!DirectoryReader.indexExists(directory)) {
                return; // never committed: nothing durable to check
            }
            SegmentInfos commit = SegmentInfos.readLatestCommit(directory);
            for (String file : commit.files(true)) {
                try (IndexInput in = directory.openInput(file, IOContext.READONCE)) {
                    CodecUtil.checksumEntireFile(in);
                }
            }
        } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException e) {
            throw new CorruptedMemoryException("the long-term store index " + location + " is corrupted: "
                    + e.getMessage(), e);
        } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
            throw new CorruptedMemoryException("the long-term store index " + location + " is missing a file of its"
                    + " last commit: " + e.getMessage(), e);
        } catch (IOException e) {
            throw failure(location, "verify", e);
        }
    }

    @Override
    public long checkpoint() {
        ensureOpen();
        return checkpoint;
    }

    @Override
    public void close() {
        synchronized (writeLock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                IOUtils.close(searchers, writer, directory, analyzer);
            } catch (IOException e) {
                throw failure(location, "close", e);
            }
        }
        LOG.info("closed long-term store {}", location);
    }

    private Document document(MemoryRecord record) {
        Objects.requireNonNull(record, "records must not contain null");
        Embedding embedding = record.embedding();
        if (embedding == null) {
            throw new IllegalArgumentException("record " + record.id() + " has no embedding; the store needs one of "
                    + "dimension " + dimension);
        }
        float[] vector = checkVector(record, embedding, "embedding");
        Context context = record.context();
        Embedding inContext = context == null ? null : context.embedding();
        float[] vectorInContext = inContext == null ? null : checkVector(record, inContext, "context embedding");
        String when = when(record);
        Scope scope = record.scope();
        Document doc = new Document();
        doc.add(new StringField(ID, record.id(), Field.Store.NO));
        doc.add(new BinaryDocValuesField(ID_VALUE, new BytesRef(record.id())));
        // The record and its models as binary doc values, which Lucene keeps uncompressed: loading a read's winners
        // is a slice of a file each, where stored fields would decompress a block of records for every one.
        String json = record.toBuilder().embedding(null)
                .context(context == null ? null : new Context(context.ids(), context.text(), null)).build().toJson();
        doc.add(new BinaryDocValuesField(JSON, new BytesRef(escapeUnpairedSurrogates(json))));
        doc.add(new BinaryDocValuesField(MODEL, new BytesRef(embedding.model())));
        if (inContext != null) {
            doc.add(new BinaryDocValuesField(CONTEXT_MODEL, new BytesRef(inContext.model())));
        }
        doc.add(new TextField(TEXT, wellFormed(when + "\n" + record.text()), Field.Store.NO));
        boolean contextText = context != null && !context.text().isEmpty();
        doc.add(new TextField(TEXT_IN_CONTEXT, wellFormed(when + "\n" + (contextText ? context.text() + "\n" : "")
                + record.text()), Field.Store.NO));
        if (contextText) {
            doc.add(new StringField(CONTEXT, CONTEXT_TEXT, Field.Store.NO));
        }
        doc.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.COSINE));
        // The in-context vector only for a record with a context embedding: semanticInContext searches the others
        // by their own (a second HNSW graph of the same vectors would double its build and search).
        if (vectorInContext != null) {
            doc.add(new KnnFloatVectorField(VECTOR_IN_CONTEXT, vectorInContext, VectorSimilarityFunction.COSINE));
            doc.add(new StringField(CONTEXT, CONTEXT_VECTOR, Field.Store.NO));
        }
        doc.add(new StringField(USER, scope.user(), Field.Store.NO));
        doc.add(new StringField(AGENT, orNone(scope.agent()), Field.Store.NO));
        doc.add(new StringField(SESSION, orNone(scope.session()), Field.Store.NO));
        doc.add(new StringField(KIND, record.kind().name(), Field.Store.NO));
        doc.add(new StringField(STATE, record.state().name(), Field.Store.NO));
        doc.add(new StringField(TIER, record.tier().name(), Field.Store.NO));
        doc.add(new LongPoint(RECORDED_AT, millis(record.recordedAt())));
        doc.add(new LongPoint(OCCURRED_AT, millis(record.occurredAt())));
        doc.add(new NumericDocValuesField(OCCURRED_AT, millis(record.occurredAt())));
        doc.add(new NumericDocValuesField(IMPORTANCE, Double.doubleToRawLongBits(record.importance())));
        doc.add(new LongPoint(VALID_FROM, millis(record.validFrom())));
        doc.add(new LongPoint(VALID_TO, record.validTo() == null ? Long.MAX_VALUE : millis(record.validTo())));
        return doc;
    }

    /**
     * The words of the days a record is about, indexed with its text: the day it happened (UTC) and the periods its
     * text names relatively, as the memory noted them under {@link MemoryRecord#DATES}.
     */
    private static String when(MemoryRecord record) {
        StringBuilder when = new StringBuilder(DAY.format(record.occurredAt().atOffset(ZoneOffset.UTC)));
        JsonNode dates = record.metadata().get(MemoryRecord.DATES);
        if (dates != null && dates.isArray()) {
            for (JsonNode date : dates) {
                JsonNode words = date.get("words");
                if (words != null && words.isTextual()) {
                    when.append('\n').append(words.asText());
                }
            }
        }
        return when.toString();
    }

    private float[] checkVector(MemoryRecord record, Embedding embedding, String what) {
        float[] vector = embedding.vector();
        if (vector.length != dimension) {
            throw new IllegalArgumentException("record " + record.id() + " has an " + what + " of dimension "
                    + vector.length + "; the store's dimension is " + dimension);
        }
        if (isZero(vector)) {
            throw new IllegalArgumentException("record " + record.id() + " has an all-zero " + what
                    + ", which has no cosine similarity");
        }
        return vector;
    }

    // ------------------------------------------------------------------ reads

    @Override
    public Optional<MemoryRecord> get(String id) {
        Objects.requireNonNull(id, "id must not be null");
        return read("get", searcher -> {
            ScoreDoc[] docs = searcher.search(new TermQuery(new Term(ID, id)), 1).scoreDocs;
            return docs.length == 0 ? Optional.empty() : Optional.of(load(searcher, docs[0].doc));
        });
    }

    @Override
    public List<MemoryRecord> getAll(Collection<String> ids) {
        Objects.requireNonNull(ids, "ids must not be null");
        if (ids.isEmpty()) {
            ensureOpen();
            return List.of();
        }
        List<BytesRef> terms = new ArrayList<>(ids.size());
        for (String id : ids) {
            terms.add(new BytesRef(Objects.requireNonNull(id, "ids must not contain null")));
        }
        return read("getAll", searcher -> {
            Map<String, MemoryRecord> found = new HashMap<>();
            for (ScoreDoc doc : searcher.search(new TermInSetQuery(ID, terms), terms.size()).scoreDocs) {
                MemoryRecord record = load(searcher, doc.doc);
                found.put(record.id(), record);
            }
            List<MemoryRecord> records = new ArrayList<>(found.size());
            for (String id : ids) {
                MemoryRecord record = found.get(id);
                if (record != null) {
                    records.add(record);
                }
            }
            return records;
        });
    }

    @Override
    public List<MemoryRecord> list(Scope scope) {
        Objects.requireNonNull(scope, "scope must not be null");
        BooleanQuery.Builder query = new BooleanQuery.Builder().add(term(USER, scope.user()), Occur.FILTER);
        if (scope.agent() != null) {
            query.add(term(AGENT, scope.agent()), Occur.FILTER);
        }
        if (scope.session() != null) {
            query.add(term(SESSION, scope.session()), Occur.FILTER);
        }
        BooleanQuery built = query.build();
        return read("list", searcher -> {
            int count = searcher.count(built);
            if (count == 0) {
                return List.of();
            }
            List<MemoryRecord> records = new ArrayList<>(count);
            for (ScoreDoc doc : searcher.search(built, count).scoreDocs) {
                records.add(load(searcher, doc.doc));
            }
            records.sort(Comparator.comparing(MemoryRecord::id));
            return List.copyOf(records);
        });
    }

    @Override
    public boolean hasUser(String user) {
        Objects.requireNonNull(user, "user must not be null");
        return read("hasUser", searcher -> searcher.count(term(USER, user)) > 0);
    }

    @Override
    public List<StoreHit> lexical(Scope scope, Query query, int k) {
        return lexical(scope, query, k, TEXT);
    }

    /** BM25 over {@link #TEXT_IN_CONTEXT}: every record's text after its context's, if it has one. */
    @Override
    public List<StoreHit> lexicalInContext(Scope scope, Query query, int k) {
        return lexical(scope, query, k, TEXT_IN_CONTEXT);
    }

    @Override
    public List<StoreHit> semantic(Scope scope, Query query, float[] vector, int k) {
        BooleanQuery filter = filter(scope, query, k);
        float[] target = checkQueryVector(vector);
        return read("semantic", searcher -> semantic(searcher, filter, target, k, VECTOR));
    }

    /**
     * The records with a context embedding by it, the others by their own ({@link #VECTOR_IN_CONTEXT} is only indexed
     * for the first): two searches of one searcher (so a record changing meanwhile is found once), merged by score
     * (both cosines in the embedder's space), ties by id.
     */
    @Override
    public List<StoreHit> semanticInContext(Scope scope, Query query, float[] vector, int k) {
        BooleanQuery filter = filter(scope, query, k);
        float[] target = checkQueryVector(vector);
        TermQuery withVector = term(CONTEXT, CONTEXT_VECTOR);
        BooleanQuery inContext = new BooleanQuery.Builder().add(filter, Occur.FILTER).add(withVector, Occur.FILTER)
                .build();
        BooleanQuery alone = new BooleanQuery.Builder().add(filter, Occur.FILTER).add(withVector, Occur.MUST_NOT)
                .build();
        return read("semanticInContext", searcher -> {
            List<StoreHit> hits = new ArrayList<>(semantic(searcher, inContext, target, k, VECTOR_IN_CONTEXT));
            hits.addAll(semantic(searcher, alone, target, k, VECTOR));
            hits.sort(Comparator.comparingDouble(StoreHit::score).reversed().thenComparing(StoreHit::id));
            return List.copyOf(hits.subList(0, Math.min(k, hits.size())));
        });
    }

    /**
     * True if any record in the index has a context text (BM25's statistics are the whole index's: one user's
     * messages change how another's records score in context), or a record the scope sees has a context embedding.
     * Otherwise every record's {@link #TEXT_IN_CONTEXT} is its {@link #TEXT} and the scope's records are searched in
     * context by their own vectors: both channels rank exactly as the plain ones.
     */
    @Override
    public boolean holdsContext(Scope scope) {
        BooleanQuery.Builder withVector = new BooleanQuery.Builder().add(term(CONTEXT, CONTEXT_VECTOR), Occur.FILTER);
        addScope(withVector, scope);
        BooleanQuery query = withVector.build();
        Term withText = new Term(CONTEXT, CONTEXT_TEXT);
        return read("holdsContext", searcher -> searcher.getIndexReader().docFreq(withText) > 0
                || matchesAny(searcher, query));
    }

    /** True if a live document matches: stops at the first, where a count would go through them all. */
    private static boolean matchesAny(IndexSearcher searcher, org.apache.lucene.search.Query query)
            throws IOException {
        Weight weight = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1f);
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Scorer scorer = weight.scorer(leaf);
            if (scorer == null) {
                continue;
            }
            Bits live = leaf.reader().getLiveDocs();
            DocIdSetIterator docs = scorer.iterator();
            for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
                if (live == null || live.get(doc)) {
                    return true;
                }
            }
        }
        return false;
    }

    private List<StoreHit> lexical(Scope scope, Query query, int k, String field) {
        BooleanQuery filter = filter(scope, query, k);
        Set<String> terms = analyse(query.text());
        if (terms.isEmpty()) {
            ensureOpen();
            return List.of(); // only stop words: nothing to match
        }
        BooleanQuery.Builder text = new BooleanQuery.Builder();
        for (String term : terms) {
            text.add(term(field, term), Occur.SHOULD);
        }
        BooleanQuery words = text.build();
        BooleanQuery search = new BooleanQuery.Builder()
                .add(words, Occur.MUST)
                .add(filter, Occur.FILTER)
                .build();
        return read("lexical", searcher -> {
            int n = Math.min(k + 1, Math.max(1, searcher.getIndexReader().maxDoc())); // +1: see topK
            // A filter that every document passes only costs: BM25 then skips blocks by their best score alone.
            return topK(searcher, matchesAll(searcher.getIndexReader(), filter) ? words : search, n, k,
                    score -> score);
        });
    }

    /** A copy of the query vector, after checking it. */
    private float[] checkQueryVector(float[] vector) {
        Objects.requireNonNull(vector, "vector must not be null");
        if (vector.length != dimension) {
            throw new IllegalArgumentException("query vector has dimension " + vector.length
                    + "; the store's dimension is " + dimension);
        }
        if (isZero(vector)) {
            throw new IllegalArgumentException("query vector is all zeros, which has no cosine similarity");
        }
        return vector.clone();
    }

    /**
     * The {@code k} documents {@code filter} matches nearest to {@code target} by the vectors in {@code field}.
     * Lucene scans a segment exactly when its filter matches no more records than it is asked for. So a scope of up
     * to {@link #EXACT_SCAN_LIMIT} records is searched exactly: recall 1, and results that do not depend on how the
     * index happens to be segmented (which follows the indexer's timing). Larger scopes use HNSW, asked for at least
     * {@code candidates} because its beam is that wide and a small k finds a local optimum.
     */
    private List<StoreHit> semantic(IndexSearcher searcher, BooleanQuery filter, float[] target, int k, String field)
            throws IOException {
        // How many the filter matches: bounded by its terms' frequencies, counted only where that bound does not
        // decide (a count goes through every match: milliseconds at a million records).
        boolean all = matchesAll(searcher.getIndexReader(), filter);
        long visible = all ? searcher.getIndexReader().numDocs() : atMost(searcher.getIndexReader(), filter);
        if (visible > EXACT_SCAN_LIMIT && !all) {
            visible = searcher.count(filter);
        }
        if (visible == 0) {
            return List.of();
        }
        // Lucene scores COSINE as (1 + cos) / 2; report the cosine itself.
        DoubleUnaryOperator cosine = score -> 2 * score - 1;
        if (visible <= EXACT_SCAN_LIMIT) {
            ScoreDoc[] docs = exactNearest(searcher, field, target, filter, k + 1);
            if (docs.length > k && docs[k].score == docs[k - 1].score) { // a tie across the k-th place
                docs = searcher.search(new KnnFloatVectorQuery(field, target, (int) visible, filter), (int) visible,
                        BY_SCORE_THEN_ID, true).scoreDocs;
            }
            return hits(searcher, docs, k, cosine);
        }
        int n = Math.max(k + 1, candidates);
        // A filter that every document passes (one user's memory) only costs: HNSW builds its bit set on every search.
        org.apache.lucene.search.Query knn = all ? new KnnFloatVectorQuery(field, target, n)
                : new KnnFloatVectorQuery(field, target, n, filter);
        return topK(searcher, quantized ? RescoreTopNQuery.createFullPrecisionRescorerQuery(knn, target, field, n)
                : knn, n, k, cosine);
    }

    /**
     * True if every document passes the filter, as its terms' frequencies show: each term it requires is in every
     * document (deleted ones included: Lucene counts them until a merge), and each it excludes in none. False
     * whenever a clause is of another kind (a range, a choice), which would need a search to tell.
     */
    private static boolean matchesAll(IndexReader reader, BooleanQuery filter) throws IOException {
        for (BooleanClause clause : filter.clauses()) {
            boolean passes = switch (clause.query()) {
                case TermQuery term when clause.occur() == Occur.FILTER || clause.occur() == Occur.MUST ->
                        reader.docFreq(term.getTerm()) == reader.maxDoc();
                case TermQuery term when clause.occur() == Occur.MUST_NOT -> reader.docFreq(term.getTerm()) == 0;
                case BooleanQuery nested when clause.occur() == Occur.FILTER -> matchesAll(reader, nested);
                default -> false;
            };
            if (!passes) {
                return false;
            }
        }
        return true;
    }

    /** At most how many documents pass the filter: the fewest that hold one of the terms it requires. */
    private static long atMost(IndexReader reader, BooleanQuery filter) throws IOException {
        long bound = reader.maxDoc();
        for (BooleanClause clause : filter.clauses()) {
            if (clause.occur() == Occur.FILTER || clause.occur() == Occur.MUST) {
                if (clause.query() instanceof TermQuery term) {
                    bound = Math.min(bound, reader.docFreq(term.getTerm()));
                } else if (clause.query() instanceof BooleanQuery nested) {
                    bound = Math.min(bound, atMost(reader, nested));
                }
            }
        }
        return bound;
    }

    /** Scope.sees, state ACTIVE and the query's kinds, as one filter; also checks the common arguments. */
    private BooleanQuery filter(Scope scope, Query query, int k) {
        Objects.requireNonNull(scope, "scope must not be null");
        Objects.requireNonNull(query, "query must not be null");
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        BooleanQuery.Builder filter = new BooleanQuery.Builder();
        addScope(filter, scope);
        Instant asOf = query.asOf();
        if (asOf == null) {
            filter.add(term(STATE, State.ACTIVE.name()), Occur.FILTER);
        } else {
            filter.add(new BooleanQuery.Builder()
                    .add(term(STATE, State.ACTIVE.name()), Occur.SHOULD)
                    .add(term(STATE, State.SUPERSEDED.name()), Occur.SHOULD)
                    .build(), Occur.FILTER);
            filter.add(LongPoint.newRangeQuery(RECORDED_AT, Long.MIN_VALUE, millis(asOf)), Occur.FILTER);
            filter.add(LongPoint.newRangeQuery(VALID_FROM, Long.MIN_VALUE, millis(asOf)), Occur.FILTER);
            filter.add(LongPoint.newRangeQuery(VALID_TO, Math.max(millis(asOf), millis(asOf) + 1), Long.MAX_VALUE),
                    Occur.FILTER);
        }
        if (query.after() != null || query.before() != null) {
            long from = query.after() == null ? Long.MIN_VALUE : millis(query.after());
            long until = query.before() == null ? Long.MAX_VALUE : Math.min(millis(query.before()),
                    millis(query.before()) - 1);
            filter.add(LongPoint.newRangeQuery(OCCURRED_AT, from, until), Occur.FILTER);
        }
        if (!query.kinds().isEmpty()) {
            BooleanQuery.Builder kinds = new BooleanQuery.Builder();
            for (Kind kind : query.kinds()) {
                kinds.add(term(KIND, kind.name()), Occur.SHOULD);
            }
            filter.add(kinds.build(), Occur.FILTER);
        }
        if (!query.tiers().isEmpty()) {
            BooleanQuery.Builder tiers = new BooleanQuery.Builder();
            for (Tier tier : query.tiers()) {
                tiers.add(term(TIER, tier.name()), Occur.SHOULD);
            }
            filter.add(tiers.build(), Occur.FILTER);
        }
        return filter.build();
    }

    /** {@link Scope#sees}: the scope's user, and if it names an agent, that agent's records or no agent's. */
    private static void addScope(BooleanQuery.Builder filter, Scope scope) {
        Objects.requireNonNull(scope, "scope must not be null");
        filter.add(term(USER, scope.user()), Occur.FILTER);
        if (scope.agent() != null) {
            filter.add(new BooleanQuery.Builder()
                    .add(term(AGENT, scope.agent()), Occur.SHOULD)
                    .add(term(AGENT, NONE), Occur.SHOULD)
                    .build(), Occur.FILTER);
        }
    }

    /** The distinct terms the analyser makes of the text, in order, at most {@link #MAX_QUERY_TERMS}. */
    private Set<String> analyse(String text) {
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream tokens = analyzer.tokenStream(TEXT, wellFormed(text))) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken() && terms.size() < MAX_QUERY_TERMS) {
                terms.add(term.toString());
            }
            tokens.end();
        } catch (IOException e) {
            throw failure(location, "analyse the query", e);
        } catch (AlreadyClosedException e) {
            throw closedFailure(e);
        }
        return terms;
    }

    /** The record of a document: its stored JSON, with the embeddings put back from the vector fields. */
    private MemoryRecord load(IndexSearcher searcher, int doc) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        int local = doc - leaf.docBase;
        String json = binaryValue(leaf, JSON, local);
        if (json == null) {
            throw new CorruptedMemoryException("long-term store " + location + ": document " + doc
                    + " has no stored record");
        }
        MemoryRecord record;
        try {
            record = MemoryRecord.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new CorruptedMemoryException("long-term store " + location + ": document " + doc
                    + " holds an unreadable record: " + e.getMessage(), e);
        }
        String model = binaryValue(leaf, MODEL, local);
        if (model == null) {
            throw new CorruptedMemoryException("long-term store " + location + ": document " + doc
                    + " has no embedding model");
        }
        MemoryRecord.Builder withVectors = record.toBuilder().embedding(new Embedding(model,
                vector(leaf, VECTOR, local)));
        Context context = record.context();
        String contextModel = binaryValue(leaf, CONTEXT_MODEL, local);
        if (context != null && contextModel != null) {
            withVectors.context(new Context(context.ids(), context.text(),
                    new Embedding(contextModel, vector(leaf, VECTOR_IN_CONTEXT, local))));
        }
        return withVectors.build();
    }

    /** A document's binary doc value in {@code field} as UTF-8 text, or null if it has none. */
    private static @Nullable String binaryValue(LeafReaderContext leaf, String field, int local) throws IOException {
        BinaryDocValues values = leaf.reader().getBinaryDocValues(field);
        return values != null && values.advanceExact(local) ? values.binaryValue().utf8ToString() : null;
    }

    /** A document's vector in {@code field} (a random read of the vector file, no decoding). */
    private float[] vector(LeafReaderContext leaf, String field, int local) throws IOException {
        FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
        KnnVectorValues.DocIndexIterator iterator = values == null ? null : values.iterator();
        if (iterator == null || iterator.advance(local) != local) {
            throw new CorruptedMemoryException("long-term store " + location + ": document " + (leaf.docBase + local)
                    + " has no " + field);
        }
        return values.vectorValue(iterator.index()).clone();
    }

    @FunctionalInterface
    private interface Read<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    private <T> T read(String operation, Read<T> read) {
        ensureOpen();
        IndexSearcher searcher;
        try {
            searcher = searchers.acquire();
        } catch (IOException e) {
            throw failure(location, operation, e);
        } catch (AlreadyClosedException e) {
            throw closedFailure(e);
        }
        try {
            return read.apply(searcher);
        } catch (IOException e) {
            throw failure(location, operation, e);
        } catch (AlreadyClosedException e) {
            throw closedFailure(e);
        } finally {
            try {
                searchers.release(searcher);
            } catch (IOException | AlreadyClosedException e) {
                LOG.debug("releasing a searcher of {} failed", location, e);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the long-term store " + location + " is closed");
        }
        Throwable tragedy = writer.getTragicException();
        if (tragedy == null) {
            tragedy = failed; // a failed write that Lucene does not count as tragic may still have left a bad state
        }
        if (tragedy != null) {
            throw new MemoryException("the long-term store " + location
                    + " failed earlier and refuses further work: " + describe(tragedy), tragedy);
        }
    }

    /**
     * An {@link IllegalStateException} from Lucene: the writer closed by a tragic error (in another thread, such as a
     * merge: {@code AlreadyClosedException}, or "this writer hit an unrecoverable error"), or this store closed.
     */
    private RuntimeException closedFailure(IllegalStateException e) {
        if (!(e instanceof AlreadyClosedException) && writer.getTragicException() == null) {
            return e; // not a failure of the store
        }
        if (closed) {
            return new IllegalStateException("the long-term store " + location + " is closed", e);
        }
        Throwable tragedy = writer.getTragicException();
        return new MemoryException("the long-term store " + location + " failed and refuses further work: "
                + describe(tragedy != null ? tragedy : e), tragedy != null ? tragedy : e);
    }

    private static RuntimeException failure(String location, String operation, IOException e) {
        LOG.error("long-term store {}: {} failed", location, operation, e);
        if (e instanceof CorruptIndexException) {
            return new CorruptedMemoryException("the long-term store index " + location + " is corrupted ("
                    + operation + "): " + e.getMessage(), e);
        }
        if (e instanceof IndexFormatTooOldException || e instanceof IndexFormatTooNewException) {
            // A flipped bit in a file header reads as a format version too: either way the index cannot be read.
            return new CorruptedMemoryException("the long-term store index " + location + " cannot be read: it is "
                    + "damaged or was written by an incompatible Lucene version (" + operation + "): "
                    + e.getMessage(), e);
        }
        return new MemoryException("the long-term store " + location + ": " + operation + " failed: " + describe(e), e);
    }

    /** The exception and its causes, so the root cause is named (a failed merge reports it as a cause only). */
    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e));
        Throwable cause = e.getCause();
        for (int depth = 0; cause != null && depth < 5; depth++, cause = cause.getCause()) {
            text.append(" (caused by ").append(cause).append(')');
        }
        return text.toString();
    }

    /**
     * The text with every unpaired surrogate replaced by U+FFFD, which is what Lucene stores for one anyway. The
     * analyser needs it: Lucene's StandardTokenizer drops every word of a text that ends in a lone high surrogate (a
     * text cut in the middle of an emoji), so such a record could not be found by its words, nor such a query find any.
     */
    static String wellFormed(String text) {
        return replaceUnpairedSurrogates(text, c -> "\uFFFD");
    }

    /**
     * The record's JSON with every unpaired surrogate written as a JSON escape ({@code \ud83d}), which reads back as
     * the same character. Lucene stores strings as UTF-8, which has no form for an unpaired surrogate: unescaped, a
     * text cut in the middle of an emoji would come back from the store changed.
     */
    static String escapeUnpairedSurrogates(String json) {
        return replaceUnpairedSurrogates(json, c -> String.format("\\u%04x", (int) c));
    }

    private static String replaceUnpairedSurrogates(String text, Function<Character, String> replacement) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(replacement.apply(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static TermQuery term(String field, String value) {
        return new TermQuery(new Term(field, value));
    }

    private static String orNone(@Nullable String part) {
        return part == null ? NONE : part;
    }

    /**
     * Milliseconds since the epoch, clamped to what a long holds. Time filters compare to the millisecond, as
     * {@link Query#accepts(MemoryRecord)} does.
     */
    private static long millis(Instant instant) {
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException e) {
            return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static boolean isZero(float[] vector) {
        for (float v : vector) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }


    /**
     * The first {@code k} of the top {@code n} documents (n > k where there are more), best score first, ties by
     * record id, so that the result never depends on how the index happens to be segmented. Lucene's own top-n
     * breaks ties by document number; sorting by score then id in Lucene gives up its block-max skipping (about twice
     * the cost of a BM25 search), so that is done only when a tie straddles the k-th place. Ids come from doc values,
     * scores are mapped by {@code score}, importance and time come from doc values: no stored field is read.
     */
    private List<StoreHit> topK(IndexSearcher searcher, org.apache.lucene.search.Query query, int n, int k,
                                DoubleUnaryOperator score) throws IOException {
        ScoreDoc[] docs = searcher.search(query, n).scoreDocs;
        if (docs.length > k && docs[k].score == docs[k - 1].score) {
            docs = searcher.search(query, n, BY_SCORE_THEN_ID, true).scoreDocs;
        }
        return hits(searcher, docs, k, score);
    }

    /**
     * The exact {@code n} nearest of the live documents {@code filter} matches, best first, ties by document: each
     * one scored by Lucene's vector scorer (off-heap, SIMD), no candidate list of every match as Lucene's own exact
     * k-NN builds (which cost some 25 ms a search at 10,000 records). Scoring every match costs about 1.5 ms at
     * 10,000 records of 384 dimensions here, HNSW about a tenth of that: hence {@link #EXACT_SCAN_LIMIT}.
     */
    private static ScoreDoc[] exactNearest(IndexSearcher searcher, String field, float[] target,
                                           org.apache.lucene.search.Query filter, int n) throws IOException {
        Comparator<ScoreDoc> worstFirst = Comparator.comparingDouble((ScoreDoc d) -> d.score)
                .thenComparing(d -> -d.doc);
        PriorityQueue<ScoreDoc> best = new PriorityQueue<>(worstFirst);
        Weight matching = searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Scorer filtered = matching.scorer(leaf);
            FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
            VectorScorer vectors = values == null ? null : values.scorer(target);
            if (filtered == null || vectors == null) {
                continue;
            }
            Bits live = leaf.reader().getLiveDocs();
            DocIdSetIterator docs = ConjunctionUtils.intersectIterators(
                    List.of(filtered.iterator(), vectors.iterator()));
            for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
                if (live == null || live.get(doc)) {
                    ScoreDoc scored = new ScoreDoc(leaf.docBase + doc, vectors.score());
                    if (best.size() < n) {
                        best.add(scored);
                    } else if (worstFirst.compare(scored, best.peek()) > 0) {
                        best.poll();
                        best.add(scored);
                    }
                }
            }
        }
        ScoreDoc[] docs = best.toArray(new ScoreDoc[0]);
        Arrays.sort(docs, worstFirst.reversed());
        return docs;
    }

    /** The first {@code k} of {@code docs} as hits (see {@link #topK}). */
    private List<StoreHit> hits(IndexSearcher searcher, ScoreDoc[] docs, int k, DoubleUnaryOperator score)
            throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        List<StoreHit> hits = new ArrayList<>(Math.min(k, docs.length));
        for (int i = 0; i < Math.min(k, docs.length); i++) {
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(docs[i].doc, leaves));
            int local = docs[i].doc - leaf.docBase;
            String id = binaryValue(leaf, ID_VALUE, local);
            if (id == null) {
                throw new CorruptedMemoryException("long-term store " + location + ": document " + docs[i].doc
                        + " has no id");
            }
            NumericDocValues importance = leaf.reader().getNumericDocValues(IMPORTANCE);
            NumericDocValues occurred = leaf.reader().getNumericDocValues(OCCURRED_AT);
            if (importance == null || !importance.advanceExact(local) || occurred == null
                    || !occurred.advanceExact(local)) {
                throw new CorruptedMemoryException("long-term store " + location + ": document " + docs[i].doc
                        + " has no importance or time");
            }
            hits.add(new StoreHit(id, score.applyAsDouble(docs[i].score),
                    Double.longBitsToDouble(importance.longValue()), Instant.ofEpochMilli(occurred.longValue())));
        }
        hits.sort(Comparator.comparingDouble(StoreHit::score).reversed().thenComparing(StoreHit::id));
        return List.copyOf(hits);
    }

    @Override
    public String toString() {
        return "LuceneLongTermStore[" + location + ", dimension " + dimension + "]";
    }
}
