package dev.loci.lucene;

import dev.loci.Context;
import dev.loci.Embedding;
import dev.loci.MemoryRecord;
import dev.loci.spi.Vectors;
import dev.loci.testkit.Canary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValuesType;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.jspecify.annotations.Nullable;

/**
 * Reads a Loci Lucene index on disk read-only and reports what of a {@link Canary} it still holds, where a byte scan
 * cannot see (stored fields are compressed, terms prefix-coded): in every commit point, every segment, every
 * document live or deleted, its stored fields (decompressed), the terms and sorted doc values of every field, and
 * every float vector; and any file that belongs to no commit. Each finding is one line naming where it is.
 */
final class IndexInspection {
    /** Vectors this close (1 - cosine) to a canary vector count as the same vector. */
    static final double SAME_VECTOR = 1e-6;

    private IndexInspection() {
    }

    /** What of the canary the index in {@code index} (a memory's {@code long-term} directory) still holds. */
    static List<String> leftovers(Path index, Canary canary) throws IOException {
        Set<String> words = words(canary);
        List<String> found = new ArrayList<>();
        try (Directory directory = FSDirectory.open(index)) {
            Set<String> referenced = new HashSet<>();
            for (IndexCommit commit : DirectoryReader.listCommits(directory)) {
                referenced.addAll(commit.getFileNames());
                try (DirectoryReader reader = DirectoryReader.open(commit)) {
                    for (LeafReaderContext leaf : reader.leaves()) {
                        SegmentReader segment = (SegmentReader) leaf.reader();
                        String where = commit.getSegmentsFileName() + " segment " + segment.getSegmentName();
                        inspectDocuments(segment, where, canary, words, found);
                        inspectFields(segment, where, canary, words, found);
                    }
                }
            }
            for (String file : directory.listAll()) {
                if (!referenced.contains(file) && !file.equals(IndexWriter.WRITE_LOCK_NAME)) {
                    found.add("file " + file + " belongs to no commit");
                }
            }
        }
        return List.copyOf(found);
    }

    /** The live records of the index's last commit: their stored JSON, with the vectors of their vector fields. */
    static List<MemoryRecord> records(Path index) throws IOException {
        List<MemoryRecord> records = new ArrayList<>();
        try (Directory directory = FSDirectory.open(index); DirectoryReader reader = DirectoryReader.open(directory)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                Bits live = leaf.reader().getLiveDocs();
                for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                    if (live == null || live.get(doc)) {
                        MemoryRecord record = MemoryRecord.fromJson(binary(leaf, LuceneLongTermStore.JSON, doc));
                        MemoryRecord.Builder whole = record.toBuilder().embedding(new Embedding(
                                binary(leaf, LuceneLongTermStore.MODEL, doc),
                                vector(leaf, LuceneLongTermStore.VECTOR, doc)));
                        Context context = record.context();
                        String contextModel = binary(leaf, LuceneLongTermStore.CONTEXT_MODEL, doc);
                        if (context != null && contextModel != null) {
                            whole.context(new Context(context.ids(), context.text(), new Embedding(contextModel,
                                    vector(leaf, LuceneLongTermStore.VECTOR_IN_CONTEXT, doc))));
                        }
                        records.add(whole.build());
                    }
                }
            }
        }
        return records;
    }

    /** A document's binary doc value as text, or null. */
    private static @Nullable String binary(LeafReaderContext leaf, String field, int doc) throws IOException {
        BinaryDocValues values = leaf.reader().getBinaryDocValues(field);
        return values != null && values.advanceExact(doc) ? values.binaryValue().utf8ToString() : null;
    }

    private static float[] vector(LeafReaderContext leaf, String field, int doc) throws IOException {
        FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
        KnnVectorValues.DocIndexIterator iterator = values.iterator();
        if (iterator.advance(doc) != doc) {
            throw new AssertionError("document " + doc + " has no " + field);
        }
        return values.vectorValue(iterator.index()).clone();
    }

    /** How many documents, live or deleted, the segment that holds the record has in the last commit; 0 if none. */
    static int segmentSize(Path index, String id) throws IOException {
        try (Directory directory = FSDirectory.open(index); DirectoryReader reader = DirectoryReader.open(directory)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                Bits live = leaf.reader().getLiveDocs();
                for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                    if ((live == null || live.get(doc))
                            && id.equals(binary(leaf, LuceneLongTermStore.ID_VALUE, doc))) {
                        return leaf.reader().maxDoc();
                    }
                }
            }
        }
        return 0;
    }

    /** The vectors a record holds: its embedding and its context's, where it has them. */
    static List<float[]> vectorsOf(MemoryRecord record) {
        List<float[]> vectors = new ArrayList<>();
        if (record.embedding() != null) {
            vectors.add(record.embedding().vector());
        }
        Context context = record.context();
        if (context != null && context.embedding() != null) {
            vectors.add(context.embedding().vector());
        }
        return vectors;
    }

    /** Every stored field of every document, deleted ones included (stored fields ignore live docs). */
    private static void inspectDocuments(SegmentReader segment, String where, Canary canary, Set<String> words,
                                         List<String> found) throws IOException {
        Bits live = segment.getLiveDocs();
        StoredFields stored = segment.storedFields();
        for (int doc = 0; doc < segment.maxDoc(); doc++) {
            String at = where + " doc " + doc + (live == null || live.get(doc) ? "" : " (deleted)");
            for (IndexableField field : stored.document(doc)) {
                BytesRef binary = field.binaryValue();
                String value = field.stringValue() != null ? field.stringValue()
                        : binary != null ? binary.utf8ToString() : String.valueOf(field.numericValue());
                for (String word : words) {
                    if (value.toLowerCase(Locale.ROOT).contains(word)) {
                        found.add(at + ": stored field " + field.name() + " holds '" + word + "'");
                    }
                }
                if (field.name().equals(LuceneLongTermStore.JSON)) {
                    inspectRecord(MemoryRecord.fromJson(value), at, canary, found);
                }
            }
        }
    }

    /** Terms, sorted and binary doc values of every field (ids and analysed text), and every float vector. */
    private static void inspectFields(SegmentReader segment, String where, Canary canary, Set<String> words,
                                      List<String> found) throws IOException {
        Bits live = segment.getLiveDocs();
        for (FieldInfo info : segment.getFieldInfos()) {
            String field = where + " field " + info.name;
            if (info.getIndexOptions() != IndexOptions.NONE) {
                Terms terms = segment.terms(info.name);
                if (terms != null) {
                    inspectTerms(terms.iterator(), field + " term", canary, words, found);
                }
            }
            if (info.getDocValuesType() == DocValuesType.SORTED) {
                inspectTerms(segment.getSortedDocValues(info.name).termsEnum(), field + " doc value", canary, words,
                        found);
            }
            if (info.getDocValuesType() == DocValuesType.BINARY) {
                BinaryDocValues values = segment.getBinaryDocValues(info.name);
                for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
                    String at = field + " doc value of doc " + doc
                            + (live == null || live.get(doc) ? "" : " (deleted)");
                    String value = values.binaryValue().utf8ToString();
                    inspectValue(value, at, canary, words, found);
                    if (info.name.equals(LuceneLongTermStore.JSON)) {
                        inspectRecord(MemoryRecord.fromJson(value), at, canary, found);
                    }
                }
            }
            if (info.hasVectorValues() && info.getVectorEncoding() == VectorEncoding.FLOAT32) {
                FloatVectorValues values = segment.getFloatVectorValues(info.name);
                for (int ord = 0; ord < values.size(); ord++) {
                    int doc = values.ordToDoc(ord);
                    matchVector(values.vectorValue(ord), canary, field + " vector of doc " + doc
                            + (live == null || live.get(doc) ? "" : " (deleted)"), found);
                }
            }
        }
    }

    /** A stored record: one of the canary's, or holding one of its vectors. */
    private static void inspectRecord(MemoryRecord record, String at, Canary canary, List<String> found) {
        if (canary.recordIds().contains(record.id())) {
            found.add(at + ": stored record " + record.id());
        }
        for (float[] vector : vectorsOf(record)) {
            matchVector(vector, canary, at + ": a stored embedding", found);
        }
    }

    private static void inspectTerms(TermsEnum terms, String where, Canary canary, Set<String> words,
                                     List<String> found) throws IOException {
        for (BytesRef term = terms.next(); term != null; term = terms.next()) {
            inspectValue(term.utf8ToString(), where, canary, words, found);
        }
    }

    /** A term or doc value: a canary record's id, or text holding a canary word. */
    private static void inspectValue(String text, String where, Canary canary, Set<String> words,
                                     List<String> found) {
        if (canary.recordIds().contains(text)) {
            found.add(where + " " + text + " (a canary record's id)");
        }
        for (String word : words) {
            if (text.contains(word)) {
                found.add(where + " '" + text + "' holds '" + word + "'");
            }
        }
    }

    private static void matchVector(float[] vector, Canary canary, String where, List<String> found) {
        List<float[]> vectors = canary.vectors();
        for (int i = 0; i < vectors.size(); i++) {
            if (vectors.get(i).length == vector.length && 1 - Vectors.cosine(vector, vectors.get(i)) <= SAME_VECTOR) {
                found.add(where + " is the canary's vector " + i);
            }
        }
    }

    /** The tokens as written (lower-cased) and as the store's analyser indexes them. */
    private static Set<String> words(Canary canary) throws IOException {
        Set<String> words = new LinkedHashSet<>();
        try (Analyzer analyzer = new EnglishAnalyzer(LuceneLongTermStore.STOP_WORDS)) {
            for (String token : canary.tokens()) {
                words.add(token.toLowerCase(Locale.ROOT));
                try (TokenStream stream = analyzer.tokenStream(LuceneLongTermStore.TEXT, token)) {
                    CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
                    stream.reset();
                    while (stream.incrementToken()) {
                        words.add(term.toString());
                    }
                    stream.end();
                }
            }
        }
        return words;
    }
}
