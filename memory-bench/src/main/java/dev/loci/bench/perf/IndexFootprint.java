package dev.loci.bench.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.codecs.CompoundDirectory;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The bytes of a Lucene index's last commit by file extension, compound files opened (a small segment packs its
 * files into one {@code .cfs}; what is left of it besides them, its headers, counts as {@code "cfs"}). Stateless.
 */
final class IndexFootprint {
    private IndexFootprint() {
    }

    /**
     * Bytes by extension ({@code "vec"}, {@code "tim"}, ...) of every file of the last commit, its
     * {@code segments_N} file as {@code "segments"}.
     */
    static Map<String, Long> byExtension(Path index) {
        Map<String, Long> bytes = new TreeMap<>();
        try (Directory directory = FSDirectory.open(index)) {
            SegmentInfos commit = SegmentInfos.readLatestCommit(directory);
            bytes.merge("segments", directory.fileLength(commit.getSegmentsFileName()), Long::sum);
            for (SegmentCommitInfo segment : commit) {
                long packed = 0; // the bytes of the files inside the compound file, if any
                if (segment.info.getUseCompoundFile()) {
                    try (CompoundDirectory compound = segment.info.getCodec().compoundFormat()
                            .getCompoundReader(directory, segment.info)) {
                        for (String file : compound.listAll()) {
                            bytes.merge(extension(file), compound.fileLength(file), Long::sum);
                            packed += compound.fileLength(file);
                        }
                    }
                }
                for (String file : segment.files()) {
                    // A compound file counts as what it holds, and its own headers as "cfs".
                    long length = directory.fileLength(file) - (extension(file).equals("cfs") ? packed : 0);
                    bytes.merge(extension(file), length, Long::sum);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure the index in " + index + ": " + e, e);
        }
        return bytes;
    }

    /**
     * The bytes an HNSW search keeps reading: the graph and the vectors it walks on, the quantised ones if the index
     * has them (the floats are then read only to score the candidates found again), the floats otherwise.
     */
    static long searched(Map<String, Long> bytes) {
        long graph = bytes.getOrDefault("vex", 0L);
        return graph + (bytes.containsKey("veq") ? bytes.get("veq") : bytes.getOrDefault("vec", 0L));
    }

    /** The total of all extensions. */
    static long total(Map<String, Long> bytes) {
        return bytes.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String extension(String file) {
        int dot = file.lastIndexOf('.');
        return dot < 0 ? "" : file.substring(dot + 1);
    }
}
