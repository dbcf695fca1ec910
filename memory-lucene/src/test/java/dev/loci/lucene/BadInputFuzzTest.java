package dev.loci.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loci.Embedding;
import dev.loci.Forget;
import dev.loci.Kind;
import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.MemoryRecord;
import dev.loci.Query;
import dev.loci.Recall;
import dev.loci.Scope;
import dev.loci.Source;
import dev.loci.State;
import dev.loci.Tier;
import dev.loci.Write;
import dev.loci.testkit.FakeClock;
import dev.loci.testkit.TestEmbedder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input over the real on-disk Lucene store and the deterministic test embedder: import files, query strings and
 * scope names. Each gives a clear error or a safe result, nothing stored before is lost or changed (the export
 * before and after compares byte for byte), and no scope name reaches a file path.
 */
class BadInputFuzzTest {
    private static final Scope ALICE = Scope.user("alice").agent("bot").session("s1");
    private static final Scope BOB = Scope.user("bob").agent("bot").session("s1");
    private static final Scope CAROL = Scope.user("carol");

    @TempDir
    Path tmp;
    /** Two levels below {@link #tmp}, so that a path escaping it by {@code ../..} would still land in tmp. */
    Path dir;
    final FakeClock clock = new FakeClock();
    Memory memory;

    @BeforeEach
    void openWithSomeMemories() throws IOException {
        dir = Files.createDirectories(tmp.resolve("a").resolve("b").resolve("memory"));
        memory = open();
        memory.write(ALICE, "I am allergic to peanuts");
        memory.write(ALICE, Write.text("Alice's café is on rue Saint-Honoré ☕").kind(Kind.FACT).tags("place"));
        memory.write(BOB, Write.text("the weather service said: rain tomorrow").source(Source.TOOL));
        memory.write(BOB, "bob runs marathons");
        memory.consolidate(BOB);
        memory.forget(ALICE, Forget.where(r -> r.kind().equals(Kind.FACT))); // archived, still exported
        memory.flush();
    }

    @AfterEach
    void close() {
        if (memory != null) {
            memory.close();
        }
    }

    Memory open() {
        return Loci.builder().directory(dir).embedder(new TestEmbedder()).longTermStore(LuceneStore.onDisk())
                .clock(clock).manualTicks().build();
    }

    String export() {
        StringWriter out = new StringWriter();
        memory.exportTo(out);
        return out.toString();
    }

    // ---------------------------------------------------------------- import files: explicit cases

    @Test
    void anIdHeldInAnotherScopeFailsTheImportAndTheRecordStaysItsOwners() {
        MemoryRecord alices = memory.read(ALICE, "peanuts").get(0).record();
        String before = export();
        String other = MemoryRecord.builder("0190a0b0-0000-7000-8000-00000000c001", CAROL, "carol's note",
                clock.instant()).build().toJson();
        String takeover = alices.toBuilder().scope(Scope.user("mallory")).text("mallory's now").build().toJson();
        assertThatThrownBy(() -> memory.importFrom(new StringReader(other + "\n" + takeover + "\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("import line 2: id " + alices.id() + " is already stored in another scope; nothing was"
                        + " imported");
        assertThat(export()).isEqualTo(before);
        assertThat(memory.read(ALICE, "peanuts")).extracting(r -> r.record().text())
                .containsExactly("I am allergic to peanuts");
        assertThat(memory.read(Scope.user("mallory"), "peanuts")).isEmpty();
    }

    @Test
    void reImportingARecordOfTheSameScopeRestoresIt() {
        String archived = export().lines().filter(line -> line.contains("ARCHIVED")).findFirst().orElseThrow();
        Query facts = Query.text("café").kinds(Kind.FACT);
        assertThat(memory.read(ALICE, facts)).isEmpty();
        assertThat(memory.importFrom(new StringReader(archived.replace("\"ARCHIVED\"", "\"ACTIVE\"")))).isEqualTo(1);
        assertThat(memory.read(ALICE, facts)).extracting(r -> r.record().text())
                .containsExactly("Alice's café is on rue Saint-Honoré ☕");
    }

    @Test
    void aVersionAboveTheImportLimitIsRefusedAndOneAtTheLimitCanStillChange() {
        String before = export();
        MemoryRecord atLimit = MemoryRecord.builder("0190a0b0-0000-7000-8000-00000000c002", CAROL, "old record",
                clock.instant()).version(MemoryRecord.MAX_IMPORTED_VERSION).build();
        String above = atLimit.toBuilder().version(Long.MAX_VALUE).build().toJson();
        assertThatThrownBy(() -> memory.importFrom(new StringReader(above)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("import line 1: version 9223372036854775807 is above the limit 9007199254740992;"
                        + " nothing was imported");
        assertThat(export()).isEqualTo(before);

        assertThat(memory.importFrom(new StringReader(atLimit.toJson()))).isEqualTo(1);
        assertThat(memory.consolidate(CAROL).promoted()).isEqualTo(1);
        assertThat(memory.forget(CAROL, Forget.everything())).isEqualTo(1);
        assertThat(memory.history(CAROL, atLimit.id())).extracting(h -> h.record().version())
                .containsExactly(atLimit.version(), atLimit.version() + 1, atLimit.version() + 2);
    }

    @Test
    void aReadCountsAnImportedRecordHoweverOftenItWasRead() {
        MemoryRecord worn = MemoryRecord.builder("0190a0b0-0000-7000-8000-00000000c003", CAROL, "read to death",
                clock.instant()).accessCount(Long.MAX_VALUE).build();
        memory.importFrom(new StringReader(worn.toJson()));
        assertThat(memory.read(CAROL, "read")).extracting(r -> r.record().id()).containsExactly(worn.id());
        assertThat(memory.read(CAROL, "read")).extracting(r -> r.record().accessCount())
                .containsExactly(Long.MAX_VALUE);
    }

    @Test
    void invalidUtf8FailsTheImportWhenTheReaderReportsIt() {
        String before = export();
        byte[] bytes = withInvalidUtf8(before);
        InputStreamReader reporting = new InputStreamReader(new ByteArrayInputStream(bytes),
                StandardCharsets.UTF_8.newDecoder());
        assertThatThrownBy(() -> memory.importFrom(reporting)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("import line 1 or a later one is not valid text in the reader's character"
                        + " encoding").hasMessageContaining("MalformedInputException")
                .hasMessageEndingWith("nothing was imported");
        assertThat(export()).isEqualTo(before);
    }

    @Test
    void invalidUtf8BecomesTheReplacementCharacterWhenTheReaderReplacesIt() {
        String before = export();
        InputStreamReader replacing = new InputStreamReader(new ByteArrayInputStream(withInvalidUtf8(before)),
                StandardCharsets.UTF_8);
        assertThat(memory.importFrom(replacing)).isEqualTo(before.lines().count());
        String after = export();
        assertThat(after).isEqualTo(before.replace("é", "\uFFFD\uFFFD"));
        assertThat(memory.history(ALICE, after.lines().filter(l -> l.contains("\uFFFD")).map(MemoryRecord::fromJson)
                .findFirst().orElseThrow().id()).getLast().record().text()).contains("caf\uFFFD\uFFFD is");
    }

    /** The UTF-8 of the text with every "é" (C3 A9) turned into two bytes that cannot start a character. */
    private static byte[] withInvalidUtf8(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == (byte) 0xC3 && bytes[i + 1] == (byte) 0xA9) {
                bytes[i] = (byte) 0xFF;
                bytes[i + 1] = (byte) 0x80;
            }
        }
        return bytes;
    }
}
