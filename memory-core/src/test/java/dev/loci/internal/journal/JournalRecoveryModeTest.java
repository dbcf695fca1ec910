package dev.loci.internal.journal;

import static dev.loci.internal.journal.Journals.bytes;
import static dev.loci.internal.journal.Journals.replayed;
import static dev.loci.internal.journal.Journals.stderrOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loci.CorruptedMemoryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The opt-in recovery mode: damage before the journal's tail fails a strict open and changes nothing; opened with
 * {@link Journal.Options#truncatingAtDamage()}, the journal is cut at the damage, logs what it dropped, keeps every
 * entry before it, and appends again.
 */
class JournalRecoveryModeTest {
    private static final Journal.Options SMALL = Journal.Options.sync().withSegmentBytes(512);

    @TempDir
    Path dir;

    private Map<Long, String> writeThreeSegments() {
        Map<Long, String> written = new LinkedHashMap<>();
        try (Journal journal = Journal.open(dir, SMALL)) {
            for (int i = 0; i < 30; i++) {
                String payload = "entry " + i + " " + "y".repeat(20);
                written.put(journal.append(bytes(payload)), payload);
            }
        }
        assertThat(segments()).hasSizeGreaterThanOrEqualTo(3);
        return written;
    }

    private List<Path> segments() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("segment-\\d+\\.log")).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void damageInAnEarlierSegmentIsCutThereWithEverythingAfterIt() throws IOException {
        Map<Long, String> written = writeThreeSegments();
        List<Path> segments = segments();
        Path damaged = segments.get(1);
        byte[] original = Files.readAllBytes(damaged);
        int secondEntry = Format.SEGMENT_HEADER_BYTES + Format.ENTRY_OVERHEAD_BYTES
                + java.nio.ByteBuffer.wrap(original, Format.SEGMENT_HEADER_BYTES, 4).getInt();
        byte[] bad = original.clone();
        bad[secondEntry + 16 + 5] ^= 0x10; // inside the second entry's payload
        Files.write(damaged, bad);
        Map<Long, byte[]> before = snapshot();
        Map<Path, Long> sizes = new LinkedHashMap<>();
        for (Path file : segments) {
            sizes.put(file, Files.size(file));
        }

        assertThatThrownBy(() -> Journal.open(dir, SMALL)).isInstanceOf(CorruptedMemoryException.class)
                .hasMessageContaining(damaged.getFileName().toString());
        assertThat(snapshot()).as("a strict open changes nothing").usingRecursiveComparison().isEqualTo(before);

        String log = stderrOf(() -> {
            try (Journal journal = Journal.open(dir, SMALL.truncatingAtDamage())) {
                assertThat(journal.cutAtDamage()).isTrue();
                Map<Long, String> kept = replayed(journal);
                long firstOfDamaged = Format.firstSequenceOf(damaged.getFileName().toString()).orElseThrow();
                Map<Long, String> expected = new LinkedHashMap<>();
                written.forEach((sequence, payload) -> {
                    if (sequence <= firstOfDamaged) { // the damaged segment's first entry is whole
                        expected.put(sequence, payload);
                    }
                });
                assertThat(kept).isEqualTo(expected);
                long next = journal.append(bytes("after the cut"));
                assertThat(next).isGreaterThan(firstOfDamaged);
            }
        });
        assertThat(log).contains(damaged.getFileName() + " is damaged at byte offset " + secondEntry)
                .contains("truncated it there: " + (original.length - secondEntry) + " bytes dropped");
        for (Path later : segments.subList(2, segments.size())) {
            assertThat(log).contains(later.getFileName() + " follows the damage; recovery mode TRUNCATE_AT_DAMAGE "
                    + "deleted it: " + sizes.get(later) + " bytes dropped");
        }
        assertThat(segments()).doesNotContain(segments.get(2));
        try (Journal journal = Journal.open(dir, SMALL)) {
            assertThat(journal.cutAtDamage()).as("the cut journal opens strictly").isFalse();
            assertThat(replayed(journal).values()).contains("after the cut");
        }
    }

    @Test
    void damageInASegmentHeaderDropsTheWholeSegment() throws IOException {
        Map<Long, String> written = writeThreeSegments();
        Path damaged = segments().get(1);
        byte[] bad = Files.readAllBytes(damaged);
        bad[3] ^= 0x01; // the magic
        Files.write(damaged, bad);
        try (Journal journal = Journal.open(dir, SMALL.truncatingAtDamage())) {
            long firstOfDamaged = Format.firstSequenceOf(damaged.getFileName().toString()).orElseThrow();
            assertThat(replayed(journal).keySet()).allMatch(sequence -> sequence < firstOfDamaged)
                    .hasSize((int) firstOfDamaged - 1);
            assertThat(written).containsAllEntriesOf(replayed(journal));
        }
        assertThat(segments()).doesNotContain(damaged);
    }

    private Map<Long, byte[]> snapshot() throws IOException {
        Map<Long, byte[]> files = new LinkedHashMap<>();
        long i = 0;
        for (Path file : segments()) {
            files.put(i++, Files.readAllBytes(file));
        }
        return files;
    }
}
