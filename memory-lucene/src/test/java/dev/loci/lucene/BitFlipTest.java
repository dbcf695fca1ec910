package dev.loci.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.loci.CorruptedMemoryException;
import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.Query;
import dev.loci.Recall;
import dev.loci.Scope;
import dev.loci.Write;
import dev.loci.spi.LongTermStore;
import dev.loci.testkit.FakeClock;
import dev.loci.testkit.TestEmbedder;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One random bit flipped in one file of a closed memory. For each kind of Lucene file of the last commit,
 * {@value #TRIALS} trials (times {@code loci.test.iterations}) on the store as a memory opens it (open, then
 * {@code verify()}): every flip must be reported as {@link CorruptedMemoryException}. Then
 * {@value #MEMORY_TRIALS} trials a kind, journal included, on the whole memory: opening fails with
 * {@link CorruptedMemoryException}, or every read returns exactly what the undamaged memory returned. A flip inside
 * the journal's last entry is the one case that looks like a torn write: it is cut off with a WARN, and the memory
 * opens without that entry (counted apart; nothing else may change). The journal's own 200 trials are in
 * memory-core's {@code JournalBitFlipTest}.
 */
class BitFlipTest {
    static final int TRIALS = 200;
    static final int MEMORY_TRIALS = 10;
    /** The journal's segment header, and the bytes an entry adds to its payload (length, sequence, two CRCs). */
    static final int JOURNAL_HEADER_BYTES = 24;
    static final int JOURNAL_ENTRY_OVERHEAD = 20;
    static final Scope ALICE = Scope.user("alice").session("s1");
    static final List<String> QUESTIONS = List.of("peanuts", "marathon in Berlin", "where is my passport",
            "what did the doctor say", "coffee");

    @TempDir
    Path tmp;
    Path pristine;
    Map<String, List<String>> expected = new LinkedHashMap<>();

    @BeforeEach
    void buildPristineMemory() {
        pristine = tmp.resolve("pristine");
        try (Memory memory = open(pristine)) {
            String[] notes = {"I am allergic to peanuts", "I run the marathon in Berlin", "my passport is in the drawer",
                    "the doctor said to rest my knee", "I take my coffee black", "we adopted a cat called Miso"};
            for (int i = 0; i < 30; i++) {
                memory.write(ALICE, Write.text(notes[i % notes.length] + " (note " + i + ")"));
            }
            memory.consolidate(ALICE);
            memory.write(ALICE, "a last note, after the checkpoint");
            memory.flush();
            for (String question : QUESTIONS) {
                expected.put(question, ids(memory, question));
            }
        }
    }

    @Test
    void everyFlipInAnIndexFileIsReportedWhenTheStoreOpens() throws IOException {
        long seed = Long.getLong("loci.test.seed", new SplittableRandom().nextLong());
        SplittableRandom random = new SplittableRandom(seed);
        int trials = TRIALS * Integer.getInteger("loci.test.iterations", 1);
        Map<String, List<Path>> kinds = kinds();
        kinds.remove("journal");
        assertThat(kinds).as("kinds of index files").containsKeys("segments", "si");
        for (Map.Entry<String, List<Path>> kind : kinds.entrySet()) {
            for (int trial = 0; trial < trials; trial++) {
                Path file = kind.getValue().get(random.nextInt(kind.getValue().size()));
                byte[] original = Files.readAllBytes(file);
                int offset = random.nextInt(original.length);
                int bit = random.nextInt(8);
                byte[] flipped = original.clone();
                flipped[offset] ^= (byte) (1 << bit);
                Files.write(file, flipped);
                String where = kind.getKey() + " " + file.getFileName() + " byte " + offset + " bit " + bit
                        + " (seed " + seed + ")";
                try {
                    assertThat(openAndVerifyStore()).as(where + " was not reported").isTrue();
                } finally {
                    Files.write(file, original);
                }
            }
        }
    }

    /** True if opening the store as a memory does (open, then verify) reports damage. */
    private boolean openAndVerifyStore() {
        LongTermStore store;
        try {
            store = LuceneStore.onDisk().open(pristine.resolve("long-term"), TestEmbedder.DEFAULT_DIMENSION);
        } catch (CorruptedMemoryException e) {
            return true;
        }
        try (store) {
            store.verify();
            return false;
        } catch (CorruptedMemoryException e) {
            return true;
        }
    }

    @Test
    void everyFlippedBitIsDetectedOrChangesNothing() throws IOException {
        long seed = Long.getLong("loci.test.seed", new SplittableRandom().nextLong());
        SplittableRandom random = new SplittableRandom(seed);
        int trials = MEMORY_TRIALS * Integer.getInteger("loci.test.iterations", 1);
        Map<String, List<Path>> kinds = kinds();
        assertThat(kinds).as("kinds of files").containsKey("journal").hasSizeGreaterThanOrEqualTo(3);
        Map<String, int[]> outcomes = new LinkedHashMap<>(); // kind -> {detected, unchanged, torn tail}
        for (Map.Entry<String, List<Path>> kind : kinds.entrySet()) {
            int[] counts = outcomes.computeIfAbsent(kind.getKey(), k -> new int[3]);
            for (int trial = 0; trial < trials; trial++) {
                Path copy = tmp.resolve("trial");
                deleteRecursively(copy);
                copyRecursively(pristine, copy);
                Path file = copy.resolve(pristine.relativize(kind.getValue().get(random.nextInt(kind.getValue().size()))));
                long size = Files.size(file);
                long offset = random.nextLong(size);
                int bit = random.nextInt(8);
                flip(file, offset, bit);
                String where = kind.getKey() + " " + file.getFileName() + " byte " + offset + " bit " + bit
                        + " (seed " + seed + ")";
                counts[check(copy, where, kind.getKey().equals("journal") && offset >= lastEntryStart(file))]++;
            }
        }
        outcomes.forEach((kind, counts) -> assertThat(counts[0] + counts[1] + counts[2]).as(kind)
                .isEqualTo(trials));
    }

    /** 0: detected at open; 1: opened and answered exactly as before; 2: journal tail cut (the last note gone). */
    private int check(Path directory, String where, boolean inLastJournalEntry) {
        Memory memory;
        try {
            memory = open(directory);
        } catch (CorruptedMemoryException e) {
            return 0;
        }
        try (memory) {
            memory.flush();
            Map<String, List<String>> got = new LinkedHashMap<>();
            for (String question : QUESTIONS) {
                got.put(question, ids(memory, question));
            }
            if (got.equals(expected)) {
                return 1;
            }
            if (inLastJournalEntry) {
                // The torn-tail case: the last entry was cut off; everything else must be as before.
                for (String question : QUESTIONS) {
                    List<String> without = new ArrayList<>(expected.get(question));
                    assertThat(got.get(question)).as(where + ": " + question).isSubsetOf(without);
                }
                return 2;
            }
            return fail("a flipped bit changed what reads return without an error: " + where + "\nexpected "
                    + expected + "\nbut got " + got);
        } catch (CorruptedMemoryException e) {
            return 0; // found when a read touched the damage
        }
    }

    private static Memory open(Path directory) {
        return Loci.builder().directory(directory).embedder(new TestEmbedder()).longTermStore(LuceneStore.onDisk())
                .clock(new FakeClock()).manualTicks().build();
    }

    private static List<String> ids(Memory memory, String question) {
        return memory.read(ALICE, Query.text(question).limit(5)).stream().map(Recall::record)
                .map(r -> r.id() + " " + r.text() + " v" + r.version()).toList();
    }

    /** The pristine memory's files by kind: "journal", or a Lucene file's extension ("segments" for segments_N). */
    private Map<String, List<Path>> kinds() throws IOException {
        Map<String, List<Path>> kinds = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(pristine)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".lock") || name.equals("write.lock") || Files.size(file) == 0) {
                    continue; // locks hold no data
                }
                String kind = name.startsWith("segment-") ? "journal"
                        : name.startsWith("segments_") ? "segments"
                        : name.substring(name.lastIndexOf('.') + 1);
                kinds.computeIfAbsent(kind, k -> new ArrayList<>()).add(file);
            }
        }
        return kinds;
    }

    /** Where the last entry of a segment starts: [int length][long sequence][int crc][payload][int crc], big-endian. */
    private static long lastEntryStart(Path segment) {
        try (RandomAccessFile in = new RandomAccessFile(segment.toFile(), "r")) {
            long position = JOURNAL_HEADER_BYTES;
            long last = position;
            while (position + 4 <= in.length()) {
                in.seek(position);
                int length = in.readInt();
                if (length < 0 || position + JOURNAL_ENTRY_OVERHEAD + length > in.length()) {
                    break;
                }
                last = position;
                position += JOURNAL_ENTRY_OVERHEAD + length;
            }
            return last;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void flip(Path file, long offset, int bit) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ (1 << bit));
        }
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
