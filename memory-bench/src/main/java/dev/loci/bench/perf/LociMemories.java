package dev.loci.bench.perf;

import dev.loci.Durability;
import dev.loci.Embedding;
import dev.loci.Kind;
import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.MemoryRecord;
import dev.loci.Scope;
import dev.loci.Write;
import dev.loci.lucene.LuceneStore;
import dev.loci.lucene.LuceneStore.Quantization;
import dev.loci.policy.PromotionPolicy;
import dev.loci.spi.Embedder;
import dev.loci.spi.ForwardingLongTermStore;
import dev.loci.spi.LongTermStore;
import dev.loci.testkit.ExactLongTermStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;
import org.jspecify.annotations.Nullable;

/**
 * Loci memories holding the {@link SyntheticData} corpus, for Loci's own benchmarks, and the embedders they use.
 *
 * <p>{@link #openOrBuild} writes document {@code i} of the data into {@code Scope.user("u" + (i % scopes))} as a
 * {@link Kind#FACT} with the document's vector as the caller's embedding (model {@value #MODEL}) and its id
 * ({@link SyntheticData#id}) as its one tag, so that a benchmark can tell which document a recall is. The build
 * acknowledges writes asynchronously (fast), keeps one record per scope in the short-term tier and promotes every
 * record (an evicted one at once, the rest by one final tick), so that every record ends up long-term in the Lucene
 * store; then it flushes (the store commits), closes, and lets Lucene finish the merges its merge policy asks for
 * ({@link #finishMerges}), so a benchmark never measures reads racing a background merge.
 *
 * <p>The memory's embedder for reads is {@link QueryLookupEmbedder}: a question's vector is looked up among the
 * data's queries, so the read latency measured excludes the model, as issue 6 asks. Building the store needs no
 * embedding at all (every write carries one); the lookup embedder refuses {@code embedDocuments} so that any
 * embedding the memory would do in the background fails loudly instead of being measured by accident.
 *
 * <p>Stateless; the methods block for the I/O and the build (seconds at 10,000 documents, minutes at 100,000, an
 * hour or more at a million on two cores), and throw {@link UncheckedIOException} when I/O fails.
 */
public final class LociMemories {
    /** The model id of the data's vectors, as the memories' embedders state it. */
    public static final String MODEL = "synthetic-384";
    /** The marker file whose content names the data a built memory holds (see {@link #openOrBuild}). */
    static final String MARKER = "loci-perf-data";
    /** Changes whenever the build changes, so that older cached memories are rebuilt. */
    static final String LAYOUT = "loci-v5";
    /** Writes between two flushes of the build, which bound what waits in the indexer's queue (and the heap). */
    private static final int FLUSH_EVERY = 50_000;

    private LociMemories() {
    }

    /** The scope of document {@code i} (and of query {@code j}) when the data is spread over {@code scopes}. */
    public static Scope scope(int i, int scopes) {
        return Scope.user("u" + (i % scopes));
    }

    /**
     * Where a benchmark keeps a memory: a directory to keep, or a scratch one to delete when the benchmark is done.
     *
     * @param path    the memory's directory
     * @param scratch true if {@link #release} deletes it
     */
    public record Place(Path path, boolean scratch) {
        /** Deletes the directory if it is a scratch one. */
        public void release() {
            if (scratch) {
                TempDirs.delete(path);
            }
        }
    }

    /**
     * Where a memory of {@code data} in {@code scopes} scopes lives: under the directory the system property
     * {@value RawLuceneBenchmark#INDEX_CACHE} names, kept and reused by later runs (delete it by hand), or, if the
     * property is not set, in a new scratch directory ({@link TempDirs}).
     */
    public static Place place(SyntheticData data, int scopes) {
        return place(data, scopes, Quantization.NONE);
    }

    /** As {@link #place(SyntheticData, int)}, for a memory whose store quantises its vectors so. */
    public static Place place(SyntheticData data, int scopes, Quantization quantization) {
        String cache = System.getProperty(RawLuceneBenchmark.INDEX_CACHE);
        if (cache == null) {
            return new Place(TempDirs.create("loci-perf-memory-"), true);
        }
        return new Place(Path.of(cache, "loci-" + Long.toHexString(data.seed()) + "-" + data.size() + "-" + scopes
                + (quantization == Quantization.NONE ? "" : "-" + quantization.name().toLowerCase(Locale.ROOT))),
                false);
    }

    /**
     * Returns {@code path} once it holds a memory of {@code data} in {@code scopes} scopes: kept as it is if a
     * previous build there completed for the same data (seed, size), scopes and {@link #LAYOUT} (its marker file
     * says so), else emptied and built as the class comment says.
     */
    public static Path openOrBuild(SyntheticData data, int scopes, Path path) {
        return openOrBuild(data, scopes, path, Quantization.NONE);
    }

    /** As {@link #openOrBuild(SyntheticData, int, Path)}, the store quantising its vectors so. */
    public static Path openOrBuild(SyntheticData data, int scopes, Path path, Quantization quantization) {
        Objects.requireNonNull(data, "data must not be null");
        Objects.requireNonNull(quantization, "quantization must not be null");
        if (scopes < 1) {
            throw new IllegalArgumentException("scopes must be at least 1, was " + scopes);
        }
        String key = dataKey(data, scopes) + (quantization == Quantization.NONE ? "" : " " + quantization);
        Path marker = path.resolve(MARKER);
        try {
            if (Files.isRegularFile(marker) && key.equals(Files.readString(marker, StandardCharsets.UTF_8))) {
                return path;
            }
            TempDirs.delete(path);
            Files.createDirectories(path);
            build(data, scopes, path, LuceneStore.onDisk().quantization(quantization));
            Files.writeString(marker, key, StandardCharsets.UTF_8);
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the memory in " + path + ": " + e, e);
        }
    }

    /** What the marker file says of a memory of {@code data} in {@code scopes} scopes. */
    static String dataKey(SyntheticData data, int scopes) {
        return LAYOUT + " lucene " + Version.LATEST + " seed " + Long.toHexString(data.seed()) + " size "
                + data.size() + " scopes " + scopes;
    }

    private static void build(SyntheticData data, int scopes, Path path, LongTermStore.Factory store) {
        try (Memory memory = builder(path, new QueryLookupEmbedder(List.of()), store)
                .durability(Durability.async(Duration.ofSeconds(1)))
                .shortTerm(1, Duration.ofDays(3650))
                .build()) {
            writeDocs(memory, data, 0, data.size(), scopes);
            memory.scheduler().tick(); // promotes the one record left in each scope
            memory.flush();
        }
        finishMerges(path.resolve("long-term"));
        int stored = storedRecords(path.resolve("long-term"));
        if (stored != data.size()) {
            throw new IllegalStateException("the memory in " + path + " holds " + stored + " records in its store, "
                    + "not " + data.size());
        }
    }

    /**
     * The long-term store a benchmark's {@code store} parameter names: {@code lucene} ({@link LuceneStore#onDisk()},
     * the default) or {@code exact} (the testkit's map: no HNSW work beside the measured thread, to show what that
     * costs on two cores).
     */
    static LongTermStore.Factory store(String name) {
        return switch (name) {
            case "lucene" -> LuceneStore.onDisk();
            case "exact" -> ExactLongTermStore.factory();
            default -> throw new IllegalArgumentException("store must be lucene or exact, was " + name);
        };
    }

    /**
     * The builder of a memory of the data in {@code path} as the benchmarks open it: the given embedder and store,
     * every record promoted ({@code PROMOTE} whatever the trigger), no automatic ticks.
     */
    static Loci.Builder builder(Path path, Embedder embedder, LongTermStore.Factory store) {
        return Loci.builder()
                .directory(path)
                .embedder(embedder)
                .longTermStore(store)
                .promotionPolicy((record, trigger, now) -> PromotionPolicy.Decision.PROMOTE)
                .manualTicks();
    }

    /**
     * Writes documents {@code from .. to - 1} of the data as the build does (caller's embeddings, tags naming the
     * documents), flushing every {@value #FLUSH_EVERY} writes.
     */
    static void writeDocs(Memory memory, SyntheticData data, int from, int to, int scopes) {
        float[] vector = new float[SyntheticData.DIMENSION];
        for (int i = from; i < to; i++) {
            data.vectorInto(i, vector, 0);
            memory.write(scope(i, scopes), Write.text(data.text(i)).kind(Kind.FACT).tags(data.id(i))
                    .embedding(new Embedding(MODEL, vector)));
            if ((i - from + 1) % FLUSH_EVERY == 0) {
                memory.flush();
            }
        }
    }

    /**
     * Opens the built memory in {@code path} for reads: the Lucene store on disk, {@link QueryLookupEmbedder} over
     * the data's first {@value QueryCursor#QUERIES} queries, the default durability and short-term bounds, no
     * automatic ticks. Close it.
     */
    public static Memory openForReads(Path path, SyntheticData data) {
        return builder(path, new QueryLookupEmbedder(data.queries(QueryCursor.QUERIES)), LuceneStore.onDisk())
                .build();
    }

    /**
     * The document index a record stands for: its tag, a {@link SyntheticData#id}.
     *
     * @throws IllegalArgumentException if the record was not written by {@link #writeDocs}
     */
    static int docOf(MemoryRecord record) {
        for (String tag : record.tags()) {
            if (tag.length() == 8 && tag.charAt(0) == 'd') {
                return Integer.parseInt(tag, 1, 8, 10);
            }
        }
        throw new IllegalArgumentException("record " + record.id() + " has no document tag");
    }

    /**
     * Opens the index with Lucene's own writer and the store's merge policy (Lucene's {@link TieredMergePolicy}),
     * runs the merges it asks for and closes, which waits for them and commits (the commit data, the store's
     * checkpoint, carries over). The store's own writer cancels running merges when it closes (it never commits on
     * close); this lets them complete once, as a long-running memory would have.
     */
    static void finishMerges(Path longTerm) {
        try (Directory directory = FSDirectory.open(longTerm);
             IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(new StandardAnalyzer())
                     .setOpenMode(IndexWriterConfig.OpenMode.APPEND)
                     .setMergePolicy(new TieredMergePolicy()))) {
            writer.maybeMerge();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot merge the index in " + longTerm + ": " + e, e);
        }
    }

    /** Number of live records in the store's last commit. */
    static int storedRecords(Path longTerm) {
        try (Directory directory = FSDirectory.open(longTerm);
             DirectoryReader reader = DirectoryReader.open(directory)) {
            return reader.numDocs();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the index in " + longTerm + ": " + e, e);
        }
    }

    /** Number of segments in the store's last commit. */
    static int storedSegments(Path longTerm) {
        try (Directory directory = FSDirectory.open(longTerm);
             DirectoryReader reader = DirectoryReader.open(directory)) {
            return reader.leaves().size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the index in " + longTerm + ": " + e, e);
        }
    }

    /** Copies the directory tree {@code from} into the new or empty directory {@code to}. */
    static void copy(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to + ": " + e, e);
        }
    }

    /**
     * The embedder of the read benchmarks: {@link #embedQuery} returns the vector of the {@link SyntheticData} query
     * with that text (the queries given to the constructor), so a read costs no model. It embeds no document: every
     * record of the benchmarks carries its caller's embedding, and {@link #embedDocuments} throws. Its batch size
     * is large, which only lets the memory's indexer hand the store bigger batches. Immutable and thread-safe.
     */
    static final class QueryLookupEmbedder implements Embedder {
        private final Map<String, float[]> vectors = new HashMap<>();

        QueryLookupEmbedder(List<SyntheticData.Query> queries) {
            for (SyntheticData.Query query : queries) {
                vectors.put(query.text(), query.vector());
            }
        }

        @Override
        public String modelId() {
            return MODEL;
        }

        @Override
        public int dimension() {
            return SyntheticData.DIMENSION;
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            throw new UnsupportedOperationException("the benchmark's lookup embedder embeds no document, was asked"
                    + " for " + texts.size() + ": every record of the benchmark should carry its own embedding");
        }

        @Override
        public float[] embedQuery(String text) {
            float[] vector = vectors.get(text);
            if (vector == null) {
                throw new IllegalArgumentException("not one of the benchmark's " + vectors.size() + " queries: a "
                        + text.length() + "-character text");
            }
            return vector.clone();
        }

        @Override
        public int maxBatchSize() {
            return 1024;
        }
    }

    /** A benchmark's tear-down: closes its memory (waiting for the indexer) and deletes its scratch directory. */
    static void closeAndDelete(@Nullable Memory memory, @Nullable Path directory) {
        if (memory != null) {
            memory.close();
        }
        if (directory != null) {
            TempDirs.delete(directory);
        }
    }

    /**
     * A cheap deterministic embedder for the benchmarks that let Loci embed: each word of the text (split on
     * white space) adds +1 or -1 to one of {@value SyntheticData#DIMENSION} components chosen by its hash, and the
     * sum is normalised (a text of no words gets a fixed unit vector). Costs microseconds per text, so a benchmark
     * through it measures the memory, not a model. Immutable and thread-safe.
     */
    static final class HashingEmbedder implements Embedder {
        static final String MODEL = "hashing-384";

        @Override
        public String modelId() {
            return MODEL;
        }

        @Override
        public int dimension() {
            return SyntheticData.DIMENSION;
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            return texts.stream().map(HashingEmbedder::embed).toList();
        }

        @Override
        public float[] embedQuery(String text) {
            return embed(text);
        }

        static float[] embed(String text) {
            if (text.isBlank()) {
                throw new IllegalArgumentException("text must not be blank");
            }
            float[] vector = new float[SyntheticData.DIMENSION];
            for (String word : text.split("\\s+")) {
                if (!word.isEmpty()) {
                    int hash = word.hashCode() * 0x9E3779B1;
                    vector[Math.floorMod(hash >>> 1, vector.length)] += (hash & 1) == 0 ? 1 : -1;
                }
            }
            double squares = 0;
            for (float component : vector) {
                squares += component * component;
            }
            if (squares == 0) {
                vector[0] = 1;
                return vector;
            }
            float norm = (float) Math.sqrt(squares);
            for (int k = 0; k < vector.length; k++) {
                vector[k] /= norm;
            }
            return vector;
        }
    }

    /**
     * A store that never commits (nor checkpoints past what it had on open): what a process that died after its
     * last store commit leaves on disk, once the memory is closed, since the Lucene store drops uncommitted changes
     * on close. For {@link RecoveryBenchmark}.
     */
    static LongTermStore.Factory neverCommitting(LongTermStore.Factory factory) {
        return (directory, dimension) -> new ForwardingLongTermStore(factory.open(directory, dimension)) {
            @Override
            public void commit(long journalSequence) {
                // The process "dies" before any commit.
            }
        };
    }
}
