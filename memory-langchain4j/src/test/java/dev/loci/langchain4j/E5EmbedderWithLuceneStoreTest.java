package dev.loci.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loci.Embedding;
import dev.loci.MemoryRecord;
import dev.loci.Query;
import dev.loci.Scope;
import dev.loci.Tier;
import dev.loci.spi.LongTermStore;
import dev.loci.spi.StoreHit;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real embedder against the real on-disk Lucene store (found, like a memory finds it, by ServiceLoader). */
class E5EmbedderWithLuceneStoreTest {
    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    private static final Scope ALICE = Scope.user("alice");
    private static final List<String> NOTES = List.of(
            "I'm allergic to peanuts, even a trace makes me ill.",
            "The train to Geneva leaves at noon.",
            "I prefer window seats on long flights.",
            "My sister Claire lives in Lisbon.",
            "I repair old bicycles at the weekend.",
            "The quarterly report is due on Friday.");

    private final E5Embedder embedder = new E5Embedder();

    @Test
    void semanticSearchFindsTheParaphrasedMemoryFirstAcrossAReopen(@TempDir Path directory) {
        LongTermStore.Factory factory = ServiceLoader.load(LongTermStore.Factory.class).findFirst().orElseThrow();
        List<float[]> vectors = embedder.embedDocuments(NOTES);
        List<MemoryRecord> records = new ArrayList<>();
        for (int i = 0; i < NOTES.size(); i++) {
            records.add(MemoryRecord.builder("note-" + i, ALICE, NOTES.get(i), NOW).tier(Tier.LONG_TERM)
                    .embedding(new Embedding(embedder.modelId(), vectors.get(i))).build());
        }
        try (LongTermStore store = factory.open(directory, embedder.dimension())) {
            store.upsert(records);
            store.commit(1);
        }

        Query question = Query.text("what food can't I eat?");
        try (LongTermStore store = factory.open(directory, embedder.dimension())) {
            List<StoreHit> hits = store.semantic(ALICE, question, embedder.embedQuery(question.text()), 3);

            assertThat(hits).isNotEmpty();
            assertThat(hits.getFirst().id()).isEqualTo("note-0");
            assertThat(store.get("note-0").orElseThrow().embedding()).isEqualTo(records.getFirst().embedding());
        }
    }
}
