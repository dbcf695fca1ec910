package dev.loci.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loci.Embedding;
import dev.loci.Forget;
import dev.loci.Kind;
import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.MemoryException;
import dev.loci.MemoryRecord;
import dev.loci.Recall;
import dev.loci.Scope;
import dev.loci.Write;
import dev.loci.spi.Embedder;
import dev.loci.testkit.DiskScan;
import dev.loci.testkit.ExactLongTermStore;
import dev.loci.testkit.FakeClock;
import dev.loci.testkit.TestEmbedder;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embeddings the memory computes are journaled, so that reopening re-indexes without embedding again. The
 * reference store lives in RAM: every open rebuilds it from the whole journal, the worst case of a crash.
 */
class JournaledEmbeddingsTest {
    private static final Scope ALICE = Scope.user("alice").agent("bot").session("s1");

    @TempDir
    Path dir;
    private final FakeClock clock = new FakeClock();

    /**
     * The test embedder, recording every text it embeds and refusing any that holds {@code refused}, once
     * {@code refuse} is counted down (the indexer waits until then, so the test decides when it fails).
     */
    private static final class Recording implements Embedder {
        private final TestEmbedder embedder = new TestEmbedder();
        private final List<String> texts = Collections.synchronizedList(new ArrayList<>());
        private final String refused;
        private final CountDownLatch refuse;

        Recording(String refused, CountDownLatch refuse) {
            this.refused = refused;
            this.refuse = refuse;
        }

        Recording() {
            this("\u0000 nothing is refused", new CountDownLatch(0));
        }

        @Override
        public String modelId() {
            return embedder.modelId();
        }

        @Override
        public int dimension() {
            return embedder.dimension();
        }

        @Override
        public int maxBatchSize() {
            return embedder.maxBatchSize();
        }

        @Override
        public List<float[]> embedDocuments(List<String> batch) {
            if (batch.stream().anyMatch(text -> text.contains(refused))) {
                try {
                    refuse.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("the model is down");
            }
            texts.addAll(batch);
            return embedder.embedDocuments(batch);
        }

        @Override
        public float[] embedQuery(String text) {
            return embedder.embedQuery(text);
        }

        List<String> texts() {
            return List.copyOf(texts);
        }
    }

    private Memory open(Embedder embedder) {
        return Loci.builder().directory(dir).embedder(embedder).longTermStore(ExactLongTermStore.factory())
                .clock(clock).manualTicks().build();
    }

    /** Each recall as its text, its channels and the vector it was found by. */
    private static List<String> answers(Memory memory, String question) {
        return memory.read(ALICE, question).stream().map(JournaledEmbeddingsTest::describe).toList();
    }

    private static String describe(Recall recall) {
        Embedding embedding = recall.record().embedding();
        return recall.record().text() + " " + recall.channels() + " " + recall.score() + " "
                + (embedding == null ? "no embedding" : Arrays.toString(embedding.vector()));
    }

    @Test
    void reopeningEmbedsNothingTheMemoryHadEmbedded() {
        Recording first = new Recording();
        List<String> before;
        try (Memory memory = open(first)) {
            memory.write(ALICE, "we planted tomatoes in the garden");
            memory.write(ALICE, "they need water every morning");
            memory.write(ALICE, "the neighbour's cat sleeps in the beds");
            memory.write(ALICE, Write.text("Alice is allergic to peanuts").kind(Kind.FACT));
            memory.flush();
            assertThat(first.texts()).as("four texts and two messages in their context").hasSize(6);
            before = answers(memory, "what do the tomatoes need");
        }
        assertThat(before).hasSize(4).allMatch(answer -> !answer.endsWith("no embedding"));

        Recording second = new Recording();
        try (Memory memory = open(second)) {
            memory.flush();
            assertThat(second.texts()).as("the store rebuilt from the journal, embeddings included").isEmpty();
            assertThat(answers(memory, "what do the tomatoes need")).isEqualTo(before);
        }
    }

    @Test
    void theEmbeddingsAreLoggedApartFromTheJournalAndDamageThereOnlyCostsEmbeddingAgain() throws IOException {
        List<String> before;
        try (Memory memory = open(new Recording())) {
            memory.write(ALICE, "we planted tomatoes in the garden");
            memory.write(ALICE, "they need water every morning");
            memory.flush();
            before = answers(memory, "what do the tomatoes need");
        }
        assertThat(DiskScan.filesContaining(dir.resolve("journal"), "EMBEDDED")).as("a writer's fsync never carries"
                + " them").isEmpty();
        Path log;
        try (Stream<Path> files = Files.list(dir.resolve("embeddings"))) {
            log = files.filter(f -> f.toString().endsWith(".log")).findFirst().orElseThrow();
        }
        assertThat(DiskScan.filesContaining(dir.resolve("embeddings"), "EMBEDDED")).containsExactly(log);

        byte[] bytes = Files.readAllBytes(log);
        bytes[bytes.length / 2] ^= 0x10; // damage inside the log's entries
        Files.write(log, bytes);
        Recording again = new Recording();
        try (Memory memory = open(again)) {
            memory.flush();
            assertThat(again.texts()).as("what the damage cut away is embedded again").isNotEmpty();
            assertThat(answers(memory, "what do the tomatoes need")).isEqualTo(before);
        }
    }

    @Test
    void aRecordWhoseTextChangedAfterItWasEmbeddedIsEmbeddedAgain() {
        MemoryRecord fact;
        StringWriter export = new StringWriter();
        CountDownLatch refuse = new CountDownLatch(1);
        Memory failing = open(new Recording("second", refuse));
        fact = failing.write(ALICE, Write.text("the first wording").kind(Kind.FACT));
        failing.flush();
        failing.exportTo(export);
        String changed = export.toString().replace("the first wording", "the second wording");
        assertThat(failing.importFrom(new StringReader(changed))).isEqualTo(1);
        // The indexer fails on the new text: the journal holds the first text's embedding, not the second's.
        refuse.countDown();
        assertThatThrownBy(failing::close).isInstanceOf(MemoryException.class).hasMessageContaining("model is down");

        Recording again = new Recording();
        try (Memory memory = open(again)) {
            memory.flush();
            assertThat(again.texts()).as("only the changed text").containsExactly("the second wording");
            List<Recall> found = memory.read(ALICE, "wording");
            assertThat(found).hasSize(1);
            assertThat(found.getFirst().record().id()).isEqualTo(fact.id());
            assertThat(found.getFirst().record().embedding().vector())
                    .isEqualTo(new TestEmbedder().embedDocuments(List.of("the second wording")).getFirst());
        }
    }

    @Test
    void afterAPurgeTheMessagesWhoseContextHeldItAreNotEmbeddedAgainOnReopen() {
        Recording first = new Recording();
        List<String> before;
        try (Memory memory = open(first)) {
            MemoryRecord secret = memory.write(ALICE, "my locker code is 4711");
            memory.write(ALICE, "thanks, I will keep it safe");
            memory.write(ALICE, "anything else to remember?");
            memory.flush();
            int embedded = first.texts().size();
            assertThat(memory.forget(ALICE, Forget.ids(secret.id()).purge())).isEqualTo(1);
            assertThat(first.texts().subList(embedded, first.texts().size()))
                    .as("the second reply in its context again, without the purged message (the first has none"
                            + " left)")
                    .containsExactly("thanks, I will keep it safe\nanything else to remember?");
            before = answers(memory, "what should I keep safe");
        }
        assertThat(before).hasSize(2).noneMatch(answer -> answer.contains("4711"));

        Recording second = new Recording();
        try (Memory memory = open(second)) {
            memory.flush();
            assertThat(second.texts()).as("the new context embeddings were journaled, and kept by the purge")
                    .isEmpty();
            assertThat(answers(memory, "what should I keep safe")).isEqualTo(before);
        }
    }
}
