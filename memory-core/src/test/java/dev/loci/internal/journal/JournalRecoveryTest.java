package dev.loci.internal.journal;

import static dev.loci.internal.journal.Journals.bytes;
import static dev.loci.internal.journal.Journals.replayed;
import static dev.loci.internal.journal.Journals.segments;
import static dev.loci.internal.journal.Journals.syncOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loci.CorruptedMemoryException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage on disk: a torn tail is repaired, anything else is reported with file and offset. Three 5-byte entries
 * sit at offsets 24, 49 and 74 of the first segment, which ends at 99.
 */
class JournalRecoveryTest {
    private static final int FIRST = 24;
    private static final int SECOND = 49;
    private static final int THIRD = 74;
    private static final int END = 99;

    @TempDir
    Path dir;

    private Path threeEntries() {
        try (Journal journal = Journal.open(dir, Journal.Options.sync())) {
            journal.append(bytes("alpha"));
            journal.append(bytes("bravo"));
            journal.append(bytes("charl"));
        }
        Path segment = segments(dir).get(0);
        assertThat(segment.toFile().length()).isEqualTo(END);
        return segment;
    }

    private static void truncate(Path file, long length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
    }

    private static void flip(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x40);
        }
    }

    private Map<Long, String> reopened() {
        try (Journal journal = Journal.open(dir, Journal.Options.sync())) {
            return replayed(journal);
        }
    }

    @Test
    void aFileTruncatedMidEntryKeepsEveryEntryBeforeIt() throws IOException {
        Path segment = threeEntries();
        truncate(segment, END - 3);
        try (Journal journal = Journal.open(dir, Journal.Options.sync())) {
            assertThat(replayed(journal)).containsExactly(Map.entry(1L, "alpha"), Map.entry(2L, "bravo"));
            assertThat(segment.toFile().length()).isEqualTo(THIRD);
            assertThat(journal.append(bytes("delta"))).isEqualTo(3);
        }
        assertThat(reopened()).containsEntry(3L, "delta").hasSize(3);
    }

    @Test
    void aFileTruncatedInsideAnEntryHeaderKeepsEveryEntryBeforeIt() throws IOException {
        Path segment = threeEntries();
        truncate(segment, THIRD + 7);
        assertThat(reopened()).containsOnlyKeys(1L, 2L);
        assertThat(segment.toFile().length()).isEqualTo(THIRD);
    }

    @Test
    void aChecksumFailureOfTheFinalEntryIsATornTail() throws IOException {
        Path segment = threeEntries();
        flip(segment, END - 6); // inside the last payload
        assertThat(reopened()).containsOnlyKeys(1L, 2L);
        assertThat(segment.toFile().length()).isEqualTo(THIRD);
    }

    @Test
    void zeroesAfterTheLastEntryAreATornTail() throws IOException {
        Path segment = threeEntries();
        truncate(segment, END + 100);
        assertThat(reopened()).containsOnlyKeys(1L, 2L, 3L);
        assertThat(segment.toFile().length()).isEqualTo(END);
    }

    @Test
    void garbageAfterTheLastEntryIsATornTail() throws IOException {
        Path segment = threeEntries();
        byte[] garbage = new byte[40];
        Arrays.fill(garbage, (byte) 0x5A);
        Files.write(segment, garbage, java.nio.file.StandardOpenOption.APPEND);
        assertThat(reopened()).containsOnlyKeys(1L, 2L, 3L);
        assertThat(segment.toFile().length()).isEqualTo(END);
    }

    @Test
    void zeroesFromInsideTheLastEntryHeaderAreATornTail() throws IOException {
        Path segment = threeEntries();
        byte[] content = Files.readAllBytes(segment);
        Arrays.fill(content, THIRD + 5, END, (byte) 0); // the size reached the disk, the data did not
        Files.write(segment, content);
        assertThat(reopened()).containsOnlyKeys(1L, 2L);
        assertThat(segment.toFile().length()).isEqualTo(THIRD);
    }

    @Test
    void aFlippedPayloadByteInAnEarlierEntryIsReportedNotSkipped() throws IOException {
        Path segment = threeEntries();
        flip(segment, FIRST + 16 + 2);
        assertThatThrownBy(() -> Journal.open(dir, Journal.Options.sync()))
                .isInstanceOf(CorruptedMemoryException.class)
                .hasMessageContaining(segment.toString())
                .hasMessageContaining("offset " + FIRST)
                .hasMessageContaining("checksum");
        assertThat(segment.toFile().length()).as("nothing was truncated").isEqualTo(END);
    }

    @Test
    void aFlippedLengthIsReportedNotMistakenForATornTail() throws IOException {
        Path segment = threeEntries();
        flip(segment, SECOND + 1); // the length now points far past the end of the file
        assertThatThrownBy(() -> Journal.open(dir, Journal.Options.sync()))
                .isInstanceOf(CorruptedMemoryException.class)
                .hasMessageContaining(segment.toString())
                .hasMessageContaining("offset " + SECOND);
        assertThat(segment.toFile().length()).isEqualTo(END);
    }

    @Test
    void aBadHeaderIsReported() throws IOException {
        Path segment = threeEntries();
        flip(segment, 3);
        assertThatThrownBy(() -> Journal.open(dir, Journal.Options.sync()))
                .isInstanceOf(CorruptedMemoryException.class)
                .hasMessageContaining(segment.toString())
                .hasMessageContaining("offset 0")
                .hasMessageContaining("magic");
    }

    @Test
    void anUnknownVersionIsReported() throws IOException {
        Path segment = threeEntries();
        byte[] content = Files.readAllBytes(segment);
        ByteBuffer.wrap(content).putInt(8, 2);
        byte[] header = Arrays.copyOf(content, 20);
        ByteBuffer.wrap(content).putInt(20, Format.crc(header, 0, 20));
        Files.write(segment, content);
        assertThatThrownBy(() -> Journal.open(dir, Journal.Options.sync()))
                .isInstanceOf(CorruptedMemoryException.class)
                .hasMessageContaining("version 2");
    }

    @Test
    void damageInAnEarlierSegmentIsNeverRepaired() throws IOException {
        try (Journal journal = Journal.open(dir, syncOptions(100))) {
            for (int i = 0; i < 6; i++) {
                journal.append(bytes("entry-" + i + "-padding-padding"));
            }
        }
        Path first = segments(dir).get(0);
        long length = first.toFile().length();
        truncate(first, length - 3);
        assertThatThrownBy(() -> Journal.open(dir, syncOptions(100)))
                .isInstanceOf(CorruptedMemoryException.class)
                .hasMessageContaining(first.toString())
                .hasMessageContaining("offset " + FIRST);
        assertThat(first.toFile().length()).isEqualTo(length - 3);
    }

    @Test
    void aLeftoverTemporaryFileIsRemoved() throws IOException {
        threeEntries();
        Path leftover = dir.resolve("segment-00000000000000000004.log.tmp");
        Files.write(leftover, bytes("half a rewrite"));
        assertThat(reopened()).hasSize(3);
        assertThat(leftover).doesNotExist();
    }
}
