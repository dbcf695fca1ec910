package dev.loci.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loci.Context;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

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

    /** A new memory in a new directory, holding what {@link #openWithSomeMemories} writes. */
    private void restart() {
        memory.close();
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
            openWithSomeMemories();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Memory open() {
        // A short-term tier large enough that no import in a property evicts (and so promotes) a record.
        return Loci.builder().directory(dir).embedder(new TestEmbedder()).longTermStore(LuceneStore.onDisk())
                .clock(clock).manualTicks().shortTerm(100_000, Duration.ofDays(1)).build();
    }

    String export() {
        StringWriter out = new StringWriter();
        memory.exportTo(out);
        return out.toString();
    }

    // ---------------------------------------------------------------- import files: properties

    @Test
    void aTruncatedExportImportsItsCompleteLinesOrNamesTheCutLine() {
        byte[] export = sourceExport().getBytes(StandardCharsets.UTF_8);
        // Half the cuts anywhere, half where it matters: at and just after a line's end, inside a character.
        List<Integer> edges = new ArrayList<>(List.of(0, export.length));
        for (int i = 0; i < export.length; i++) {
            if (export[i] == '\n') {
                edges.addAll(List.of(i, i + 1));
            } else if ((export[i] & 0xC0) == 0x80) {
                edges.add(i);
            }
        }
        forAllImports(integers().between(0, export.length).mix(Generate.pick(edges)), 60, cut -> {
            String before = export();
            byte[] truncated = Arrays.copyOf(export, cut);
            String prefix = new String(truncated, StandardCharsets.UTF_8);
            int complete = (int) prefix.chars().filter(c -> c == '\n').count();
            String partial = prefix.substring(prefix.lastIndexOf('\n') + 1);
            boolean splitsACharacter = cut < export.length && (export[cut] & 0xC0) == 0x80;
            Outcome outcome = importBytes(truncated, true);
            if (splitsACharacter) {
                outcome.assertFailed(UncheckedIOException.class, "not valid text");
            } else if (partial.isEmpty() || isJson(partial)) {
                List<String> lines = prefix.lines().toList();
                assertThat(outcome.imported()).as("cut at byte %d", cut).isEqualTo(lines.size());
                assertThat(export()).isEqualTo(exportAfterImport(before, lines));
                return;
            } else {
                outcome.assertFailed(IllegalArgumentException.class, "import line " + (complete + 1) + ": ");
            }
            assertThat(export()).as("nothing changed after a failed import").isEqualTo(before);
        });
    }

    @Test
    void aFieldOfTheWrongTypeImportsCompletelyOrNamesTheLineAndTheField() {
        List<String> lines = sourceExport().lines().toList();
        AtomicInteger round = new AtomicInteger();
        Gen<Integer> line = integers().between(0, lines.size() - 1);
        forAllImports(line.zip(Generate.pick(FIELDS), Generate.pick(WRONG_VALUES), Flip::new), 80, flip -> {
            String before = export();
            List<String> file = new ArrayList<>(freshIds(lines, "-flip" + round.incrementAndGet()));
            file.set(flip.line(), flip.applyTo(file.get(flip.line())));
            Outcome outcome = importBytes(String.join("\n", file).getBytes(StandardCharsets.UTF_8), true);
            if (outcome.failure() == null) {
                assertThat(outcome.imported()).isEqualTo(file.size());
                assertThat(export()).isEqualTo(exportAfterImport(before, file));
                return;
            }
            outcome.assertFailed(IllegalArgumentException.class, "import line " + (flip.line() + 1) + ": ");
            assertThat(outcome.failure()).hasMessageContaining(flip.field().split("\\.")[0]);
            assertThat(export()).as("nothing changed after a failed import").isEqualTo(before);
        });
    }

    @Test
    void invalidUtf8AnywhereFailsWithAReportingReaderAndIsReplacedOtherwise() {
        // Several copies, so that the file is larger than what a reader decodes ahead (8 KiB).
        List<String> source = sourceExport().lines().toList();
        List<String> lines = new ArrayList<>();
        for (int copy = 0; copy < 8; copy++) {
            lines.addAll(freshIds(source, "-copy" + copy));
        }
        AtomicInteger round = new AtomicInteger();
        byte[] longest = String.join("\n", freshIds(lines, "-utf8-0000")).getBytes(StandardCharsets.UTF_8);
        Gen<Integer> at = integers().between(0, longest.length - 1);
        forAllImports(at.zip(Generate.pick(INVALID_UTF8), (position, bad) -> List.of(position,
                INVALID_UTF8.indexOf(bad))), 60, example -> {
                    String before = export();
                    byte[] valid = String.join("\n", freshIds(lines, String.format("-utf8-%04d",
                            round.incrementAndGet()))).getBytes(StandardCharsets.UTF_8);
                    int position = example.get(0);
                    byte[] bad = INVALID_UTF8.get(example.get(1));
                    byte[] bytes = new byte[valid.length + bad.length];
                    System.arraycopy(valid, 0, bytes, 0, position);
                    System.arraycopy(bad, 0, bytes, position, bad.length);
                    System.arraycopy(valid, position, bytes, position + bad.length, valid.length - position);
                    int badLine = 1 + (int) new String(valid, 0, position, StandardCharsets.ISO_8859_1).chars()
                            .filter(c -> c == '\n').count();

                    Outcome reported = importBytes(bytes, true);
                    reported.assertFailed(UncheckedIOException.class, "not valid text");
                    assertThat(lineNamedBy(reported.failure())).as("the named line is at or before the bad bytes")
                            .isBetween(1, badLine);
                    assertThat(export()).isEqualTo(before);

                    Outcome replaced = importBytes(bytes, false);
                    if (replaced.failure() == null) {
                        List<String> decoded = decode(bytes).lines().toList();
                        assertThat(String.join("\n", decoded)).contains("\uFFFD");
                        assertThat(export()).isEqualTo(exportAfterImport(before, decoded));
                    } else {
                        replaced.assertFailed(IllegalArgumentException.class, "import line " + badLine + ": ");
                        assertThat(export()).isEqualTo(before);
                    }
                });
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

    @Test
    void hugeStringsAreRefusedOverTheirLimitAndKeptWholeAtIt() {
        MemoryRecord base = MemoryRecord.builder("0190a0b0-0000-7000-8000-00000000d001", CAROL, "x", clock.instant())
                .build();
        String longest = "é😀 ".repeat(MemoryRecord.MAX_TEXT_LENGTH / 4) + "a".repeat(MemoryRecord.MAX_TEXT_LENGTH % 4);
        assertThat(longest).hasSize(MemoryRecord.MAX_TEXT_LENGTH);
        String id = "i".repeat(MemoryRecord.MAX_ID_LENGTH);
        String tag = "t".repeat(256);
        String user = "u".repeat(Scope.MAX_PART_LENGTH);
        String bigPayload = "p".repeat(1 << 20);
        MemoryRecord atLimits = base.toBuilder().id(id).scope(Scope.user(user)).text(longest).tags(Set.of(tag))
                .payload(JsonNodeFactory.instance.textNode(bigPayload)).build();
        assertThat(memory.importFrom(new StringReader(atLimits.toJson()))).isEqualTo(1);
        memory.flush();
        Recall found = memory.read(Scope.user(user), "é").get(0);
        assertThat(found.record().text()).isEqualTo(longest);
        assertThat(found.record().payload().asText()).hasSize(1 << 20);
        assertThat(found.record().tags()).containsExactly(tag);

        String before = export();
        String line = base.toJson();
        assertImportFails(line.replace("\"text\":\"x\"", "\"text\":\"" + "x".repeat(MemoryRecord.MAX_TEXT_LENGTH + 1)
                + "\""), "import line 2: invalid MemoryRecord: text is 32769 characters long; the limit is 32768");
        assertImportFails(line.replace("\"text\":\"x\"", "\"text\":\"" + "x".repeat(1 << 20) + "\""),
                "text is 1048576 characters long; the limit is 32768");
        assertImportFails(line.replace(base.id(), id + "i"), "id is 129 characters long; the limit is 128");
        assertImportFails(line.replace("\"tags\":[]", "\"tags\":[\"" + tag + "t\"]"),
                "tag is 257 characters long; the limit is 256");
        assertImportFails(line.replace("\"user\":\"carol\"", "\"user\":\"" + user + "u\""),
                "scope user is 257 characters long; the limit is 256");
        assertImportFails(line.replace("\"user\":\"carol\"", "\"user\":\"" + "u".repeat(10 * 1024) + "\""),
                "scope user is 10240 characters long; the limit is 256");
        assertImportFails(line.replace("\"metadata\":{}", "\"metadata\":{\"" + "k".repeat(257) + "\":1}"),
                "metadata key is 257 characters long; the limit is 256");
        assertImportFails(line.replace("\"text\":\"x\"", "\"text\":\"x\",\"payload\":\"" + "p".repeat(20_000_001)
                + "\""), "exceeds the maximum allowed (20000000");
        assertThat(export()).isEqualTo(before);
    }

    @Test
    void deepNestingIsRefusedWithTheLimitAndJournaledSafelyAtIt() {
        MemoryRecord base = MemoryRecord.builder("0190a0b0-0000-7000-8000-00000000d002", CAROL, "deep",
                clock.instant()).build();
        String before = export();
        String line = base.toJson();
        String tenThousand = "[".repeat(10_000) + "]".repeat(10_000);
        assertImportFails(tenThousand, "malformed MemoryRecord JSON: Cannot deserialize value of type"
                + " `dev.loci.MemoryRecord` from Array value");
        assertImportFails("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000), "malformed MemoryRecord JSON");
        assertImportFails(line.replace("\"text\":", "\"payload\":" + tenThousand + ",\"text\":"),
                "nesting depth (1001) exceeds the maximum allowed (1000");
        assertImportFails(line.replace("\"metadata\":{}", "\"metadata\":{\"k\":" + tenThousand + "}"),
                "nesting depth (1001) exceeds the maximum allowed (1000");
        int over = MemoryRecord.MAX_NESTING_DEPTH + 1;
        assertImportFails(line.replace("\"text\":", "\"payload\":" + "[".repeat(over) + "]".repeat(over)
                + ",\"text\":"),
                "import line 2: invalid MemoryRecord: payload is nested deeper than the limit of 256 levels");
        // Near the JSON reader's own limit: the record line parses, its journal entry (a level deeper) must not
        // be where it fails.
        assertImportFails(line.replace("\"text\":", "\"payload\":" + "[".repeat(998) + "]".repeat(998) + ",\"text\":"),
                "payload is nested deeper than the limit of 256 levels");
        assertThat(export()).isEqualTo(before);

        int deepest = MemoryRecord.MAX_NESTING_DEPTH;
        String atLimit = line.replace("\"text\":", "\"payload\":" + "[".repeat(deepest) + "]".repeat(deepest)
                + ",\"text\":");
        assertThat(memory.importFrom(new StringReader(atLimit))).isEqualTo(1);
        memory.close();
        memory = open(); // the journal entry reads back
        memory.flush();
        assertThat(memory.read(CAROL, "deep").get(0).record().payload().toString())
                .isEqualTo("[".repeat(deepest) + "]".repeat(deepest));
    }

    @Test
    void duplicateIdsUnknownFieldsAndLinesThatAreNoRecordNameTheLine() {
        String before = export();
        MemoryRecord record = MemoryRecord.builder("0190a0b0-0000-7000-8000-00000000d003", CAROL, "once",
                clock.instant()).build();
        MemoryRecord other = record.toBuilder().id("0190a0b0-0000-7000-8000-00000000d004").build();
        assertThatThrownBy(() -> memory.importFrom(new StringReader(record.toJson() + "\n" + other.toJson()
                + "\n\n" + record.toJson()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("import line 4: id " + record.id() + " appears twice; nothing was imported");
        assertImportFails(record.toJson().replaceFirst("\\{", "{\"bogus\":1,"),
                "import line 2: malformed MemoryRecord JSON at bogus: Unrecognized field \"bogus\"");
        assertImportFails(record.toJson().replace("\"user\":\"carol\"", "\"user\":\"carol\",\"role\":\"admin\""),
                "at scope.role: Unrecognized field \"role\"");
        for (String notARecord : List.of("null", "[]", "42", "\"text\"", "true", "{}", "{\"id\":", "}{",
                "\uFEFF" + record.toJson(), record.toJson() + " " + record.toJson(), record.toJson() + ",")) {
            assertThatThrownBy(() -> memory.importFrom(new StringReader(notARecord)))
                    .as(notARecord.length() > 40 ? notARecord.substring(0, 40) : notARecord)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("import line 1: ")
                    .hasMessageEndingWith("nothing was imported");
        }
        assertThat(memory.importFrom(new StringReader(""))).isZero();
        assertThat(memory.importFrom(new StringReader(" \n\t\n\r\n"))).isZero();
        assertThat(export()).isEqualTo(before);
    }

    @Test
    void instantsOutOfRangeAreRefusedAndCannotStopTheMemory() {
        String before = export();
        String line = MemoryRecord.builder("0190a0b0-0000-7000-8000-00000000d005", CAROL, "from far away",
                clock.instant()).build().toJson();
        for (String field : List.of("recordedAt", "occurredAt", "validFrom")) {
            String far = line.replaceFirst("\"" + field + "\":\"[^\"]+\"",
                    "\"" + field + "\":\"+1000000000-12-31T23:59:59.999999999Z\"");
            assertImportFails(far, "import line 2: invalid MemoryRecord: " + field
                    + " +1000000000-12-31T23:59:59.999999999Z is outside the supported range");
            assertImportFails(line.replaceFirst("\"" + field + "\":\"[^\"]+\"", "\"" + field + "\":-62135596801"),
                    field + " 0000-12-31T23:59:59Z is outside the supported range");
        }
        assertThat(export()).isEqualTo(before);
        memory.flush();
        memory.scheduler().tick();
        memory.close();
        memory = open();
        assertThat(memory.read(ALICE, "peanuts")).hasSize(1);
    }

    @Test
    void recordsOfOtherUsersImportButStayTheirs() {
        MemoryRecord alices = memory.read(ALICE, "peanuts").get(0).record();
        Scope dave = Scope.user("dave").agent("bot").session("s1");
        MemoryRecord daves = MemoryRecord.builder("0190a0b0-0000-7000-8000-00000000d006", dave, "dave likes tea",
                clock.instant()).build();
        MemoryRecord reply = MemoryRecord.builder("0190a0b0-0000-7000-8000-00000000d007", dave, "noted, peanuts",
                clock.instant()).context(Context.of(List.of(alices.id(), daves.id()))).build();
        MemoryRecord carols = daves.toBuilder().id("0190a0b0-0000-7000-8000-00000000d008").scope(CAROL)
                .text("carol likes peanuts").build();
        String before = export();
        assertThat(memory.importFrom(new StringReader(daves.toJson() + "\r\n" + reply.toJson() + "\r\n"
                + carols.toJson()))).isEqualTo(3);
        assertThat(export()).isEqualTo(exportAfterImport(before, List.of(daves.toJson(), reply.toJson(),
                carols.toJson())));
        memory.flush();
        List<Recall> davesRead = memory.read(dave, Query.text("peanuts allergic").limit(50));
        assertThat(davesRead).extracting(r -> r.record().scope()).containsOnly(dave);
        assertThat(davesRead).filteredOn(r -> r.record().id().equals(reply.id())).singleElement()
                .satisfies(r -> assertThat(r.record().context().text()).as("the context skips alice's record")
                        .isEqualTo("dave likes tea"));
        assertThat(memory.read(ALICE, Query.text("peanuts").limit(50))).extracting(r -> r.record().scope().user())
                .containsOnly("alice");
        assertThat(memory.read(CAROL, Query.text("peanuts").limit(50))).extracting(r -> r.record().id())
                .containsExactly(carols.id());
    }

    /** Importing a valid line and then this one fails naming line 2 and the message, and stores nothing. */
    private void assertImportFails(String line, String message) {
        String before = export();
        String valid = MemoryRecord.builder("0190a0b0-0000-7000-8000-00000000d0ff", CAROL, "a valid first line",
                clock.instant()).build().toJson();
        assertThatThrownBy(() -> memory.importFrom(new StringReader(valid + "\n" + line)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("import line 2: ")
                .hasMessageContaining(message).hasMessageEndingWith("; nothing was imported");
        assertThat(export()).isEqualTo(before);
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

    // ---------------------------------------------------------------- query strings

    /** Lucene query syntax, boolean words, control and format characters, lone surrogates, stop words, words. */
    private static final List<String> QUERY_PIECES = List.of(" ", "+", "-", "&&", "||", "!", "(", ")", "{", "}", "[",
            "]", "^", "\"", "~", "*", "?", ":", "\\", "/", "AND", "OR", "NOT", "TO", "*:*", "text:", "user:bob",
            "peanuts", "allergic", "marathons", "rain", "café", "the", "of", "\u0000", "\u0007", "\u001b[31m",
            "\u007f", "\u0085", "\u2028", "\ud800", "\udc00", "\ud83d\ude00", "\u202e", "日本語", "\t", "\n", "1e400",
            "%s", "${jndi:x}", "<script>", "'", ";", "--", "yesterday", "last week");

    @Test
    void anyQueryStringGivesAClearErrorOrOnlyTheReadersOwnRecords() {
        String before = export();
        List<Scope> readers = List.of(ALICE, BOB, CAROL, ALICE.userOnly(), BOB.userOnly().agent("other"));
        Gen<String> queries = lists().of(Generate.pick(QUERY_PIECES)).ofSizeBetween(1, 12)
                .map(pieces -> String.join("", pieces));
        forAll(queries, 60, text -> {
            for (Scope reader : readers) {
                if (text.isBlank()) {
                    assertThatThrownBy(() -> memory.read(reader, text)).isInstanceOf(IllegalArgumentException.class)
                            .hasMessage("query text must not be blank");
                } else {
                    assertOnlyVisible(reader, memory.read(reader, Query.text(text).limit(Query.MAX_LIMIT)), before);
                }
            }
        });
        assertThat(export()).as("reads store nothing").isEqualTo(before);
    }

    @Test
    void luceneQuerySyntaxIsReadAsPlainWords() {
        String before = export();
        String peanuts = memory.read(ALICE, "peanuts").get(0).record().id();
        for (String syntax : List.of("+", "-", "&&", "||", "!", "(", ")", "{", "}", "[", "]", "^", "\"", "~", "*", "?",
                ":", "\\", "/", "AND", "OR", "NOT", "TO", "*:*", "+ - && || ! ( ) { } [ ] ^ \" ~ * ? : \\ /")) {
            List<Recall> alone = memory.read(ALICE, syntax);
            assertOnlyVisible(ALICE, alone, before);
            assertThat(lexical(alone)).as("'%s' alone holds no word", syntax).isEmpty();
            assertThat(lexical(memory.read(ALICE, syntax + " peanuts " + syntax))).as("'%s' around a word", syntax)
                    .containsExactly(peanuts);
        }
        assertThat(lexical(memory.read(ALICE, "+peanuts -allergic"))).as("- excludes nothing").containsExactly(peanuts);
        assertThat(lexical(memory.read(ALICE, "marathons NOT peanuts"))).as("NOT excludes nothing")
                .containsExactly(peanuts);
        assertThat(lexical(memory.read(ALICE, "pean*"))).as("* is no wildcard").isEmpty();
        assertThat(lexical(memory.read(ALICE, "text: peanuts"))).as("no field syntax").containsExactly(peanuts);
        assertThat(lexical(memory.read(ALICE, "text:peanuts"))).as("one word, as Unicode word breaks read it")
                .isEmpty();
        assertThat(memory.read(ALICE, "user:bob marathons")).extracting(r -> r.record().scope().user())
                .containsOnly("alice");
    }

    @Test
    void aQueryOverTheLimitIsAClearErrorAndOneAtTheLimitIsSafe() {
        String before = export();
        String megabyte = "peanuts ".repeat((1 << 20) / 8);
        assertThatThrownBy(() -> memory.read(ALICE, megabyte)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("query text is 1048576 characters long; the limit is 32768");
        assertThatThrownBy(() -> Query.text(megabyte + "x")).hasMessageContaining("1048577 characters");

        int limit = MemoryRecord.MAX_TEXT_LENGTH;
        SplittableRandom random = new SplittableRandom(20260101L); // fixed: the same 32,768 characters every run
        StringBuilder printable = new StringBuilder();
        StringBuilder words = new StringBuilder();
        while (printable.length() < limit) {
            printable.append((char) random.nextInt(0x20, 0x7F));
        }
        for (int i = 0; words.length() < limit; i++) {
            words.append("w").append(i).append(' ');
        }
        for (String text : List.of(printable.toString(), words.substring(0, limit), "q".repeat(limit),
                "yesterday last week ".repeat(limit / 20 + 1).substring(0, limit), "\u0000".repeat(limit),
                "\ud800".repeat(limit), "\ud83d\ude00".repeat(limit / 2), "peanuts ".repeat(limit / 8))) {
            assertThat(text).hasSize(limit);
            assertOnlyVisible(ALICE, memory.read(ALICE, Query.text(text).limit(Query.MAX_LIMIT)), before);
        }
        assertThat(lexical(memory.read(ALICE, "peanuts ".repeat(limit / 8)))).isNotEmpty();
    }

    @Test
    void controlCharactersLoneSurrogatesStopWordsAndPunctuationAreSafe() {
        String before = export();
        String peanuts = memory.read(ALICE, "peanuts").get(0).record().id();
        for (String text : List.of("\u0000", "\u0007\u001b[31m\u001b[0m", "\ud800", "\udc00\ud800", "\u202e\u200b",
                "the and of to a", "?!.,;:", "...", "\u00a0", "\uFFFD", "\uFEFF")) {
            List<Recall> recalls = memory.read(ALICE, text);
            assertOnlyVisible(ALICE, recalls, before);
            assertThat(lexical(recalls)).as("no word in %s", text.codePoints().mapToObj(Integer::toHexString).toList())
                    .isEmpty();
        }
        for (String text : List.of("\udc00 peanuts", "peanuts \ud800", "\u0000peanuts\u0000", "\u202epeanuts",
                "\u001b[31m peanuts \u001b[0m", "PEANUTS!!!")) {
            assertThat(lexical(memory.read(ALICE, text)))
                    .as("%s", text.codePoints().mapToObj(Integer::toHexString).toList()).containsExactly(peanuts);
        }
        for (String blank : List.of("", " ", "\t\n", "\u2003", "\r\n\u000b")) {
            assertThatThrownBy(() -> memory.read(ALICE, blank)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("query text must not be blank");
        }
    }

    @Test
    void aTextCutInTheMiddleOfAnEmojiIsFoundByItsWordsAndReadBackAsWritten() {
        String cut = "Carol's birthday cake was a success 🎂".substring(0, 37);
        assertThat(cut).endsWith("\ud83c");
        MemoryRecord written = memory.write(CAROL, cut);
        memory.consolidate(CAROL);
        memory.flush();
        memory.close();
        memory = open();
        List<Recall> found = memory.read(CAROL, "birthday cake \ud83c");
        assertThat(lexical(found)).containsExactly(written.id());
        assertThat(found.get(0).record().text()).isEqualTo(cut);
        assertThat(found.get(0).record().tier()).isEqualTo(Tier.LONG_TERM);
        assertThat(export()).contains(written.toBuilder().tier(Tier.LONG_TERM).version(2).build().toJson());
    }

    /** The results are records the reader sees, active, and among those stored (per the export). */
    private static void assertOnlyVisible(Scope reader, List<Recall> recalls, String export) {
        List<String> visible = export.lines().map(MemoryRecord::fromJson)
                .filter(r -> reader.sees(r.scope()) && r.state() == State.ACTIVE).map(MemoryRecord::id).toList();
        assertThat(recalls).extracting(r -> r.record().id()).as("read by %s", reader).isSubsetOf(visible)
                .doesNotHaveDuplicates();
    }

    /** The ids a lexical channel found. */
    private static List<String> lexical(List<Recall> recalls) {
        return recalls.stream().filter(r -> r.channels().stream().anyMatch(c -> c.name().equals(Recall.LEXICAL)
                || c.name().equals(Recall.LEXICAL_IN_CONTEXT))).map(r -> r.record().id()).toList();
    }

    // ---------------------------------------------------------------- scope names

    @Test
    void invalidScopeNamesAreClearErrorsAndStoreNothing() {
        String before = export();
        Map<String, String> invalid = new LinkedHashMap<>();
        invalid.put("", "must not be blank");
        invalid.put(" ", "must not be blank");
        invalid.put("\t\n", "must not be blank");
        invalid.put("\u2003", "must not be blank");
        invalid.put("a\u0000b", "must not contain control characters");
        invalid.put("\u0000", "must not contain control characters");
        invalid.put("line\nbreak", "must not contain control characters");
        invalid.put("\u0085", "must not contain control characters");
        invalid.put("x".repeat(10 * 1024), "is 10240 characters long; the limit is 256");
        invalid.put("/".repeat(Scope.MAX_PART_LENGTH + 1), "is 257 characters long; the limit is 256");
        invalid.put("x\ud800", "is not valid Unicode: an unpaired surrogate at index 1");
        invalid.put("\udc00..", "is not valid Unicode: an unpaired surrogate at index 0");
        for (Map.Entry<String, String> bad : invalid.entrySet()) {
            assertThatThrownBy(() -> Scope.user(bad.getKey())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("scope user " + bad.getValue());
            assertThatThrownBy(() -> ALICE.agent(bad.getKey())).hasMessage("scope agent " + bad.getValue());
            assertThatThrownBy(() -> ALICE.session(bad.getKey())).hasMessage("scope session " + bad.getValue());
        }
        assertThatThrownBy(() -> Scope.user(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("scope user must not be null");
        String line = MemoryRecord.builder("0190a0b0-0000-7000-8000-00000000e001", CAROL, "x", clock.instant()).build()
                .toJson();
        assertImportFails(line.replace("\"user\":\"carol\"", "\"user\":\"a\\u0000b\""),
                "scope user must not contain control characters");
        assertImportFails(line.replace("\"user\":\"carol\"", "\"user\":\"..\\ud800\""),
                "scope user is not valid Unicode");
        assertThat(export()).isEqualTo(before);
    }

    /** Path separators, dot segments, device and drive names, names of the memory's own files, unicode. */
    private static final List<String> SCOPE_PIECES = List.of("..", ".", "/", "\\", "../../etc", "a/b\\c", "C:", "~",
            "%2e%2e%2f", "con", "NUL", "*", "?", ":", "|", "<", ">", "\"", "'", "😀", "日本語", "\u202e", "\u00a0", " ",
            "lost+found", "journal", "long-term", "segments_1", "write.lock", "_0.cfs", "segment-1.log", "$HOME",
            "%00");

    @Test
    void adversarialButValidScopeNamesWorkAndNeverReachAFilePath() throws IOException {
        List<MemoryRecord> written = new ArrayList<>();
        written.add(memory.write(Scope.user("../../etc").agent("a/b\\c").session(".."), "a note in a path-like scope"));
        written.add(memory.write(Scope.user("../".repeat(85) + "."), "a note in the longest path-like scope"));
        Gen<String> names = lists().of(Generate.pick(SCOPE_PIECES)).ofSizeBetween(1, 5)
                .map(pieces -> String.join("", pieces)).assuming(name -> !name.isBlank());
        Gen<Scope> scopes = names.zip(names, names, integers().between(0, 3), (user, agent, session, shape) -> {
            Scope scope = Scope.user(user);
            scope = (shape & 1) == 0 ? scope : scope.agent(agent);
            return (shape & 2) == 0 ? scope : scope.session(session);
        });
        forAll(scopes, 60, scope -> {
            MemoryRecord record = memory.write(scope, "note number " + written.size() + " in an odd scope");
            written.add(record);
            assertThat(memory.read(scope, Query.text("note in an odd scope").limit(Query.MAX_LIMIT)))
                    .extracting(r -> r.record().id()).contains(record.id());
            assertThat(memory.read(ALICE, Query.text("note in an odd scope").limit(Query.MAX_LIMIT)))
                    .extracting(r -> r.record().id()).doesNotContain(record.id());
        });
        memory.flush();
        memory.consolidate(written.get(0).scope());
        memory.close();
        memory = open();
        memory.flush();
        for (MemoryRecord record : written) {
            assertThat(memory.history(record.scope(), record.id())).as("scope %s", record.scope()).isNotEmpty()
                    .allSatisfy(h -> assertThat(h.record().scope()).isEqualTo(record.scope()));
            assertThat(memory.read(record.scope(), Query.text(record.text()).limit(Query.MAX_LIMIT)))
                    .extracting(r -> r.record().id()).contains(record.id());
        }
        memory.close();
        memory = null;
        assertEveryFileIsTheMemorysOwn(written.stream().map(MemoryRecord::scope).toList());
    }

    /**
     * Every file lies under the memory's directory (really: no link leads out), in journal/ or long-term/, named as
     * the journal or Lucene names its files, never after a scope; nothing was created beside the directory.
     */
    private void assertEveryFileIsTheMemorysOwn(List<Scope> scopes) throws IOException {
        Path realDir = dir.toRealPath();
        List<String> odd = scopes.stream().flatMap(s -> Stream.of(s.user(), s.agent(), s.session()))
                .filter(Objects::nonNull).filter(part -> !part.matches("[A-Za-z0-9_.-]*")).distinct().toList();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(tmp)) {
            paths = walk.toList();
        }
        assertThat(paths).filteredOn(path -> !path.startsWith(dir))
                .containsExactlyInAnyOrder(tmp, tmp.resolve("a"), tmp.resolve("a").resolve("b"));
        for (Path path : paths.stream().filter(path -> path.startsWith(dir)).toList()) {
            assertThat(path.toRealPath()).startsWith(realDir);
            String relative = dir.relativize(path).toString().replace('\\', '/');
            if (Files.isDirectory(path)) {
                assertThat(relative).isIn("", "journal", "embeddings", "long-term");
            } else {
                assertThat(relative).matches("(journal|embeddings)/segment-\\d{20}\\.log"
                        + "|(journal|embeddings)/journal\\.lock|long-term/(segments_\\w+|write\\.lock|_\\w+\\.\\w+)");
            }
            for (String part : odd) {
                assertThat(path.getFileName().toString()).doesNotContain(part);
            }
        }
    }

    // ---------------------------------------------------------------- support

    /** Top-level and nested fields of an exported record, as dotted paths. */
    private static final List<String> FIELDS = List.of("id", "scope", "scope.user", "scope.agent", "scope.session",
            "kind", "text", "payload", "embedding", "embedding.model", "embedding.vector", "context", "context.ids",
            "recordedAt", "occurredAt", "validFrom", "validTo", "expiresAt", "accessCount", "lastAccessedAt",
            "importance", "strength", "source", "sourceIds", "derivedFrom", "tier", "state", "version", "supersedes",
            "tags", "metadata");
    /** JSON values of every type, some of them out of range. */
    private static final List<String> WRONG_VALUES = List.of("\"str\"", "\"\"", "\" \"", "42", "-1", "0", "1.5",
            "true", "false", "null", "[]", "{}", "[1,\"a\"]", "{\"x\":1}", "1e400", "-1e400", "99999999999999999999",
            "\"2023-13-45T00:00:00Z\"", "\"+1000000000-12-31T23:59:59.999999999Z\"", "\"ACTIVE\"", "\"USER\"",
            "[[[[[[[[[[]]]]]]]]]]");
    /** Byte sequences no UTF-8 decoder accepts. */
    private static final List<byte[]> INVALID_UTF8 = List.of(
            new byte[] {(byte) 0xFF},                                     // never valid
            new byte[] {(byte) 0x80},                                     // a continuation byte alone
            new byte[] {(byte) 0xC0, (byte) 0x80},                        // an overlong NUL
            new byte[] {(byte) 0xE2, (byte) 0x82},                        // a three-byte character cut short
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},           // a surrogate encoded directly
            new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}); // above U+10FFFF

    /** One field of one line set to a value of another type. */
    record Flip(int line, String field, String value) {
        String applyTo(String json) {
            ObjectNode record = (ObjectNode) tree(json);
            String[] path = field.split("\\.");
            ObjectNode parent = path.length == 1 ? record : record.withObject("/" + path[0]);
            parent.set(path[path.length - 1], tree(value));
            return record.toString();
        }
    }

    /** What importing gave: how many records, or the exception. */
    record Outcome(long imported, @Nullable RuntimeException failure) {
        void assertFailed(Class<? extends RuntimeException> type, String message) {
            assertThat(failure).as("the import should have failed").isNotNull();
            assertThat(failure).isInstanceOf(type).hasMessageContaining(message)
                    .hasMessageEndingWith("nothing was imported");
        }
    }

    /** Imports the bytes through a decoder that reports malformed input, or one that replaces it. */
    private Outcome importBytes(byte[] bytes, boolean reporting) {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        try {
            return new Outcome(memory.importFrom(reporting
                    ? new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder())
                    : new InputStreamReader(in, StandardCharsets.UTF_8)), null);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            return new Outcome(-1, e);
        }
    }

    /** The export the memory must give after importing these lines, if its export was {@code before}. */
    private static String exportAfterImport(String before, List<String> lines) {
        Map<String, String> byId = new LinkedHashMap<>();
        before.lines().forEach(line -> byId.put(MemoryRecord.fromJson(line).id(), line));
        for (String line : lines) {
            if (!line.isBlank()) {
                MemoryRecord record = MemoryRecord.fromJson(line);
                MemoryRecord.Builder stored = record.toBuilder();
                if (record.context() != null) {
                    stored.context(record.context().idsOnly()); // the journal keeps a context's ids only
                }
                if (record.embedding() != null && !record.embedding().model().equals(MODEL)) {
                    stored.embedding(null); // another model's embedding is computed again
                }
                byId.put(record.id(), stored.build().toJson());
            }
        }
        return byId.values().stream().map(line -> line + "\n").collect(Collectors.joining());
    }

    /** The lines with every record id (and the context ids naming them) suffixed, so each round adds new records. */
    private static List<String> freshIds(List<String> lines, String suffix) {
        return lines.stream().map(MemoryRecord::fromJson).map(record -> {
            MemoryRecord.Builder fresh = record.toBuilder().id(record.id() + suffix);
            Context context = record.context();
            if (context != null) {
                fresh.context(Context.of(context.ids().stream().map(id -> id + suffix).toList()));
            }
            return fresh.build().toJson();
        }).toList();
    }

    /**
     * A valid export of another memory: messages in their context, a fact with payload, tags and metadata, relative
     * dates, text in several scripts, an embedding the caller supplied, an agent's and a tool's records, long-term and
     * archived ones.
     */
    private String sourceExport() {
        TestEmbedder embedder = new TestEmbedder();
        FakeClock sourceClock = new FakeClock(Instant.parse("2025-06-01T10:00:00Z"));
        Scope dave = Scope.user("dave").agent("planner");
        try (Memory source = Loci.builder().directory(tmp.resolve("source")).embedder(embedder)
                .longTermStore(LuceneStore.inMemory()).clock(sourceClock).manualTicks().build()) {
            source.write(ALICE, "Did you finish the pottery class?");
            source.write(ALICE, "Yes, I did! The glaze came out blue 😀");
            MemoryRecord lesson = source.write(ALICE, "Yesterday I started 日本語 lessons");
            source.write(ALICE, Write.text("I am vegetarian").kind(Kind.PREFERENCE).importance(0.9).tags("food", "diet")
                    .sourceIds("chat-17").metadata(Map.of("lang", JsonNodeFactory.instance.textNode("en")))
                    .payload(JsonNodeFactory.instance.objectNode().put("diet", "vegetarian")
                            .set("avoid", JsonNodeFactory.instance.arrayNode().add("meat").add("fish"))));
            source.write(dave, Write.text("Dave's flat is in Straße 5, Zürich").kind(Kind.FACT).source(Source.AGENT)
                    .occurredAt(Instant.parse("2024-02-29T12:00:00Z")));
            String museum = "search result: the museum opens at 9";
            source.write(dave, Write.text(museum).source(Source.TOOL)
                    .embedding(new Embedding(embedder.modelId(), embedder.embedDocuments(List.of(museum)).get(0))));
            sourceClock.advance(Duration.ofMinutes(5));
            source.consolidate(dave);
            source.forget(ALICE, Forget.ids(lesson.id()));
            StringWriter out = new StringWriter();
            source.exportTo(out);
            return out.toString();
        }
    }

    private static final String MODEL = new TestEmbedder().modelId();

    /**
     * Checks a QuickTheories property over the generated values: seeded by {@code -Dloci.test.seed} (a random seed
     * otherwise, printed on failure), {@code examples} times {@code -Dloci.test.iterations}.
     */
    /**
     * As {@link #forAll}, for a property that imports into the memory and compares whole exports before and after:
     * every {@code examples} values the memory starts again from {@link #openWithSomeMemories}, as an export reads
     * the whole journal, and one memory for the long profile's thousands of imports would make the run quadratic.
     */
    private <T> void forAllImports(Gen<T> values, int examples, Consumer<T> property) {
        int[] checked = {0};
        forAll(values, examples, value -> {
            if (checked[0]++ == examples) {
                checked[0] = 1;
                restart();
            }
            property.accept(value);
        });
    }

    /** Checks the property on {@code examples} values ({@code loci.test.iterations} times as many). */
    private static <T> void forAll(Gen<T> values, int examples, Consumer<T> property) {
        long seed = Long.getLong("loci.test.seed", new SplittableRandom().nextLong());
        int rounds = examples * Integer.getInteger("loci.test.iterations", 1);
        try {
            qt().withFixedSeed(seed).withExamples(rounds).withShrinkCycles(30).forAll(values).checkAssert(property);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("property failed; replay with -Dloci.test.seed=" + seed, e);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isJson(String text) {
        try {
            JSON.readTree(text);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String decode(byte[] bytes) {
        try (InputStreamReader reader = new InputStreamReader(new ByteArrayInputStream(bytes),
                StandardCharsets.UTF_8)) {
            StringWriter out = new StringWriter();
            reader.transferTo(out);
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The N of "import line N" in the message. */
    private static int lineNamedBy(@Nullable Throwable failure) {
        Matcher m = Pattern.compile("import line (\\d+)").matcher(String.valueOf(failure.getMessage()));
        assertThat(m.find()).as("names a line: %s", failure.getMessage()).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
