package dev.loci.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loci.Context;
import dev.loci.CorruptedMemoryException;
import dev.loci.Forget;
import dev.loci.Kind;
import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.MemoryRecord;
import dev.loci.Recall;
import dev.loci.Scope;
import dev.loci.Tier;
import dev.loci.Write;
import dev.loci.spi.ForwardingLongTermStore;
import dev.loci.spi.LongTermStore;
import dev.loci.spi.StoreHit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.util.Map;
import dev.loci.testkit.DiskScan;
import dev.loci.testkit.FakeClock;
import dev.loci.testkit.TestEmbedder;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A memory over the real on-disk Lucene store: checkpoints, purge on disk, damaged files. */
class LuceneMemoryTest {
    private static final Scope ALICE = Scope.user("alice").agent("bot").session("s1");
    private static final Scope BOB = Scope.user("bob").agent("bot").session("s1");

    @TempDir
    Path dir;
    final FakeClock clock = new FakeClock();

    Memory open(TestEmbedder embedder) {
        return Loci.builder().directory(dir).embedder(embedder).longTermStore(LuceneStore.onDisk()).clock(clock)
                .manualTicks().build();
    }

    @Test
    void reopenReplaysOnlyPastTheStoreCheckpoint() {
        try (Memory memory = open(new TestEmbedder())) {
            for (int i = 0; i < 10; i++) {
                memory.write(ALICE, "checkpointed note " + i);
            }
            memory.flush(); // the Lucene commit covers these ten
        }
        TestEmbedder second = new TestEmbedder();
        try (Memory memory = open(second)) {
            memory.write(ALICE, "a note after the checkpoint");
            memory.flush();
            assertThat(second.batchSizes().stream().mapToInt(Integer::intValue).sum())
                    .as("only the new note is embedded (alone and after note 9, its context); the ten come from the"
                            + " Lucene checkpoint").isEqualTo(2);
            List<Recall> hits = memory.read(ALICE, "checkpointed note 7");
            assertThat(hits.get(0).record().text()).isEqualTo("checkpointed note 7");
            assertThat(hits.get(0).explain()).contains("lexical #1").contains("semantic");
        }
    }

    /**
     * Over facts only the store answers two channels and the in-context ones repeat them (as they would rank
     * exactly so); once the scope holds messages read in their context, all four are asked.
     */
    @Test
    void aScopeOfFactsAsksTwoStoreChannelsAndOneWithMessagesFour() {
        AtomicInteger inContextCalls = new AtomicInteger();
        LongTermStore.Factory counting = (directory, dimension) ->
                new ForwardingLongTermStore(LuceneStore.onDisk().open(directory, dimension)) {
                    @Override
                    public List<StoreHit> lexicalInContext(Scope scope, dev.loci.Query query, int k) {
                        inContextCalls.incrementAndGet();
                        return super.lexicalInContext(scope, query, k);
                    }

                    @Override
                    public List<StoreHit> semanticInContext(Scope scope, dev.loci.Query query, float[] vector,
                                                            int k) {
                        inContextCalls.incrementAndGet();
                        return super.semanticInContext(scope, query, vector, k);
                    }
                };
        try (Memory memory = Loci.builder().directory(dir).embedder(new TestEmbedder()).longTermStore(counting)
                .clock(clock).manualTicks().build()) {
            memory.write(ALICE, Write.text("alice drinks sencha every morning").kind(Kind.FACT));
            memory.write(ALICE, Write.text("alice plays the cello").kind(Kind.FACT));
            memory.consolidate(ALICE);
            memory.flush();
            Recall hit = memory.read(ALICE, "sencha").get(0);
            assertThat(inContextCalls).hasValue(0);
            assertThat(hit.record().text()).isEqualTo("alice drinks sencha every morning");
            assertThat(hit.explain()).contains("lexical #1").contains("lexical-in-context #1")
                    .contains("semantic #1").contains("semantic-in-context #1");

            memory.write(ALICE, "did you practise today");
            memory.write(ALICE, "yes, an hour of scales");
            memory.consolidate(ALICE);
            memory.flush();
            memory.read(ALICE, "scales");
            assertThat(inContextCalls).hasValue(2);
        }
    }

    /**
     * An index whose segments name a codec this Lucene does not have (as after an upgrade that moved the index's codec
     * to Lucene's backward-codecs jar) is emptied and rebuilt from the journal; the same file with a broken checksum
     * is damage, and fails the open.
     */
    @Test
    void anIndexOfACodecThisLuceneCannotReadIsRebuiltUnlessItsSegmentsFileIsDamaged() throws IOException {
        try (Memory memory = open(new TestEmbedder())) {
            for (int i = 0; i < 3; i++) {
                memory.write(ALICE, "a note of the old codec " + i);
            }
            memory.consolidate(ALICE);
            memory.flush();
        }
        Path segments;
        try (Stream<Path> files = Files.list(dir.resolve("long-term"))) {
            segments = files.filter(f -> f.getFileName().toString().startsWith("segments_")).findFirst()
                    .orElseThrow();
        }
        byte[] original = Files.readAllBytes(segments);
        byte[] renamed = original.clone();
        int at = indexOf(renamed, "Lucene104".getBytes(StandardCharsets.US_ASCII));
        assertThat(at).as("the segment's codec name").isPositive();
        renamed[at + 8] = '3'; // Lucene103: no such codec in this Lucene
        Files.write(segments, renamed);
        assertThatThrownBy(() -> open(new TestEmbedder())).as("a changed byte under the old checksum is damage")
                .isInstanceOf(CorruptedMemoryException.class);

        CRC32 crc = new CRC32();
        crc.update(renamed, 0, renamed.length - Long.BYTES);
        ByteBuffer.wrap(renamed, renamed.length - Long.BYTES, Long.BYTES).putLong(crc.getValue());
        Files.write(segments, renamed);
        TestEmbedder embedder = new TestEmbedder();
        try (Memory memory = open(embedder)) {
            memory.flush();
            assertThat(memory.read(ALICE, "old codec").stream().map(r -> r.record().text()))
                    .containsExactlyInAnyOrder("a note of the old codec 0", "a note of the old codec 1",
                            "a note of the old codec 2");
            assertThat(embedder.batchSizes()).as("rebuilt with the journaled embeddings").isEmpty();
        }
        assertThat(DiskScan.filesContaining(dir.resolve("long-term"), "Lucene103")).as("the old commit is gone")
                .isEmpty();
    }

    /** An index of an older layout (here: its commit without the layout key) is emptied and rebuilt on open. */
    @Test
    void anIndexOfAnOlderLayoutIsRebuiltFromTheJournal() throws IOException {
        try (Memory memory = open(new TestEmbedder())) {
            for (int i = 0; i < 5; i++) {
                memory.write(ALICE, "a note of the old layout " + i);
            }
            memory.consolidate(ALICE);
            memory.flush();
        }
        try (org.apache.lucene.store.Directory index =
                     org.apache.lucene.store.FSDirectory.open(dir.resolve("long-term"));
             org.apache.lucene.index.IndexWriter writer = new org.apache.lucene.index.IndexWriter(index,
                     new org.apache.lucene.index.IndexWriterConfig())) {
            writer.setLiveCommitData(Map.of(LuceneLongTermStore.CHECKPOINT, "1000").entrySet());
            writer.commit();
        }
        TestEmbedder embedder = new TestEmbedder();
        try (Memory memory = open(embedder)) {
            memory.flush();
            assertThat(embedder.batchSizes())
                    .as("the records are indexed again from the journal, with the embeddings it holds").isEmpty();
            assertThat(memory.read(ALICE, "old layout 3").get(0).record().text())
                    .isEqualTo("a note of the old layout 3");
            assertThat(memory.read(ALICE, "old layout").stream().filter(r -> r.record().tier() == Tier.LONG_TERM))
                    .hasSize(5);
        }
    }

    @Test
    void writesNotYetCheckpointedAreRebuiltFromTheJournal() {
        Memory memory = open(new TestEmbedder());
        MemoryRecord r = memory.write(ALICE, "written but never flushed");
        memory.consolidate(ALICE);
        memory.close(); // close commits; then forget that commit by replaying into a fresh store
        try (Memory again = Loci.builder().directory(dir).embedder(new TestEmbedder())
                .longTermStore(LuceneStore.inMemory()).clock(clock).manualTicks().build()) {
            Recall hit = again.read(ALICE, "never flushed").get(0);
            assertThat(hit.record().id()).isEqualTo(r.id());
            assertThat(hit.record().tier()).isEqualTo(Tier.LONG_TERM);
        }
    }

    @Test
    void purgeLeavesNoByteInLuceneOrTheJournal() throws IOException {
        try (Memory memory = open(new TestEmbedder())) {
            memory.write(ALICE, "alice's favourite tea is sencha");
            memory.write(BOB, "bob's bank PIN hint is QUOKKA-9931");
            memory.write(BOB, "bob's second secret is WOMBAT-2207");
            memory.consolidate(BOB);
            memory.flush();
            assertThat(filesContaining("QUOKKA-9931")).as("the text is on disk before the purge").isNotEmpty();
            assertThat(memory.forget(BOB.userOnly(), Forget.everything().purge())).isEqualTo(2);
            assertThat(filesContaining("QUOKKA-9931")).isEmpty();
            assertThat(filesContaining("WOMBAT-2207")).isEmpty();
            assertThat(memory.read(BOB, "bank PIN")).isEmpty();
            assertThat(memory.read(ALICE, "tea")).hasSize(1);
        }
        try (Memory memory = open(new TestEmbedder())) {
            assertThat(memory.read(BOB, "secret")).isEmpty();
            assertThat(memory.exportTo(new StringWriter())).isEqualTo(1);
        }
        assertThat(filesContaining("QUOKKA-9931")).isEmpty();
    }

    @Test
    void purgingAMessageReindexesTheRepliesWhoseContextHeldIt() throws IOException {
        try (Memory memory = open(new TestEmbedder())) {
            MemoryRecord secret = memory.write(BOB, "my locker code is KESTREL-5150");
            MemoryRecord reply = memory.write(BOB, "noted, I will keep it safe");
            memory.consolidate(BOB);
            memory.flush();
            assertThat(channels(memory.read(BOB, "KESTREL-5150"), reply.id()))
                    .as("found through its context").contains(Recall.LEXICAL_IN_CONTEXT);

            assertThat(memory.forget(BOB, Forget.ids(secret.id()).purge())).isEqualTo(1);
            assertThat(filesContaining("KESTREL-5150")).isEmpty();
            Recall kept = memory.read(BOB, "keep it safe").get(0);
            assertThat(kept.record().id()).isEqualTo(reply.id());
            assertThat(kept.record().context()).isNotNull().extracting(Context::text).isEqualTo("");
            assertThat(channels(memory.read(BOB, "KESTREL-5150"), reply.id()))
                    .doesNotContain(Recall.LEXICAL_IN_CONTEXT);
        }
        try (Memory memory = open(new TestEmbedder())) {
            assertThat(channels(memory.read(BOB, "KESTREL-5150"), "")).isEmpty();
        }
        assertThat(filesContaining("KESTREL-5150")).isEmpty();
    }

    @Test
    void relativeDatesAreResolvedAtWriteAndFoundByTheDayTheyName() {
        FakeClock may9 = new FakeClock(Instant.parse("2023-05-09T09:00:00Z"));
        try (Memory memory = Loci.builder().directory(dir).embedder(new TestEmbedder())
                .longTermStore(LuceneStore.onDisk()).clock(may9).manualTicks().build()) {
            MemoryRecord turn = memory.write(ALICE, Write.text("I went to a support group yesterday")
                    .occurredAt(Instant.parse("2023-05-08T13:56:00Z")));
            JsonNode dates = turn.metadata().get(MemoryRecord.DATES);
            assertThat(dates).isNotNull();
            assertThat(dates.get(0).get("phrase").asText()).isEqualTo("yesterday");
            assertThat(dates.get(0).get("from").asText()).isEqualTo("2023-05-07");
            assertThat(dates.get(0).get("words").asText()).isEqualTo("7 May 2023");
            MemoryRecord own = memory.write(ALICE, Write.text("see you tomorrow")
                    .metadata(Map.of(MemoryRecord.DATES, TextNode.valueOf("caller's own"))));
            assertThat(own.metadata().get(MemoryRecord.DATES).asText()).isEqualTo("caller's own");
            memory.write(ALICE, "the weather is fine");
            memory.consolidate(ALICE);
            memory.flush();

            assertThat(channels(memory.read(ALICE, "what happened on 7 May 2023?"), turn.id()))
                    .contains(Recall.LEXICAL);
            assertThat(channels(memory.read(ALICE, "what did I do two days ago?"), turn.id()))
                    .as("the question's own relative date, counted from today (9 May)").contains(Recall.LEXICAL);
        }
    }

    /** The channels that found the record in these results (none if it is not among them). */
    private static List<String> channels(List<Recall> recalls, String id) {
        return recalls.stream().filter(r -> r.record().id().equals(id))
                .flatMap(r -> r.channels().stream().map(Recall.Channel::name)).toList();
    }

    @Test
    void aTornJournalTailIsRepairedAndADamagedEntryIsReported() throws IOException {
        try (Memory memory = open(new TestEmbedder())) {
            memory.write(ALICE, "first entry survives");
            memory.write(ALICE, "second entry is torn");
        }
        Path segment;
        try (Stream<Path> files = Files.list(dir.resolve("journal"))) {
            segment = files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList().getLast();
        }
        long size = Files.size(segment);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.setLength(size - 5); // a crash in the middle of the last entry
        }
        try (Memory memory = Loci.builder().directory(dir).embedder(new TestEmbedder())
                .longTermStore(LuceneStore.inMemory()).clock(clock).manualTicks().build()) {
            assertThat(memory.read(ALICE, "entry").stream().map(r -> r.record().text()))
                    .containsExactly("first entry survives");
            memory.write(ALICE, "a later entry, so the first is no longer the tail");
        }
        byte[] bytes = Files.readAllBytes(segment);
        int at = indexOf(bytes, "first entry".getBytes(StandardCharsets.UTF_8));
        bytes[at] ^= 0x20;
        Files.write(segment, bytes);
        assertThatThrownBy(() -> open(new TestEmbedder())).isInstanceOf(CorruptedMemoryException.class)
                .hasMessageContaining(segment.getFileName().toString()).hasMessageContaining("offset");
    }

    private List<Path> filesContaining(String marker) {
        return DiskScan.filesContaining(dir, marker);
    }

    private static int indexOf(byte[] bytes, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
