package dev.loci.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loci.CorruptedMemoryException;
import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.MemoryRecord;
import dev.loci.Query;
import dev.loci.Recall;
import dev.loci.RecoveryMode;
import dev.loci.Scope;
import dev.loci.testkit.FakeClock;
import dev.loci.testkit.TestEmbedder;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RecoveryMode#TRUNCATE_AT_DAMAGE} on a whole memory: a journal damaged in the middle fails the default open;
 * the opt-in mode opens it, keeps the records written before the damage and forgets those after it everywhere —
 * the long-term index, which had them, is rebuilt from what is left.
 */
class RecoveryModeTest {
    static final Scope ALICE = Scope.user("alice").session("s1");

    @TempDir
    Path dir;

    private Loci.Builder builder() {
        return Loci.builder().directory(dir).embedder(new TestEmbedder()).longTermStore(LuceneStore.onDisk())
                .clock(new FakeClock()).manualTicks();
    }

    @Test
    void aDamagedJournalFailsStrictlyAndIsCutOnRequest() throws IOException {
        List<MemoryRecord> written = new ArrayList<>();
        try (Memory memory = builder().build()) {
            for (int i = 0; i < 10; i++) {
                written.add(memory.write(ALICE, "note number " + i + " about zebra" + i));
            }
            memory.flush(); // the index holds all ten
        }
        Path segment;
        try (Stream<Path> files = Files.list(dir.resolve("journal"))) {
            segment = files.filter(f -> f.getFileName().toString().endsWith(".log")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        int entry = 24; // after the segment header: entries are [length][sequence][crc][payload][crc]
        // The entry that wrote note 6, found by its text rather than by counting entries.
        while (!new String(bytes, entry + 16, ByteBuffer.wrap(bytes, entry, 4).getInt(), StandardCharsets.UTF_8)
                .contains("note number 6 ")) {
            entry += 20 + ByteBuffer.wrap(bytes, entry, 4).getInt();
        }
        bytes[entry + 16 + 10] ^= 0x04; // inside the payload of the entry that wrote note 6
        Files.write(segment, bytes);

        assertThatThrownBy(() -> builder().build()).isInstanceOf(CorruptedMemoryException.class)
                .hasMessageContaining(segment.getFileName().toString());

        try (Memory memory = builder().recovery(RecoveryMode.TRUNCATE_AT_DAMAGE).build()) {
            StringWriter export = new StringWriter();
            assertThat(memory.exportTo(ALICE, export)).isEqualTo(6);
            for (int i = 0; i < 10; i++) {
                List<Recall> hits = memory.read(ALICE, Query.text("zebra" + i).limit(10));
                List<String> ids = hits.stream().map(r -> r.record().id()).toList();
                if (i < 6) {
                    assertThat(ids).as("note %d, before the damage", i).contains(written.get(i).id());
                } else {
                    assertThat(ids).as("note %d, cut away with the damage", i).doesNotContain(written.get(i).id());
                }
            }
            memory.write(ALICE, "written after the cut");
        }
        try (Memory memory = builder().build()) {
            assertThat(memory.exportTo(ALICE, new StringWriter())).as("the cut memory opens strictly").isEqualTo(7);
        }
    }
}
