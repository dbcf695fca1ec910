package dev.loci.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loci.MemoryRecord;
import dev.loci.Recall;
import dev.loci.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchConfigTest {
    @Test
    void namesResolveAndUnknownNamesListTheKnownOnes() {
        assertThat(BenchConfig.named("bm25-only")).isEqualTo(BenchConfig.BM25_ONLY);
        assertThat(BenchConfig.named("plain-rrf")).isEqualTo(BenchConfig.PLAIN_RRF);
        assertThatThrownBy(() -> BenchConfig.named("BM25")).hasMessageContaining("default, bm25-only, knn-only");
    }

    @Test
    void eachConfigAllowsOnlyItsStoreChannels() {
        assertThat(BenchConfig.DEFAULT.storeChannels()).isEqualTo(Set.of(Recall.LEXICAL, Recall.SEMANTIC,
                Recall.LEXICAL_IN_CONTEXT, Recall.SEMANTIC_IN_CONTEXT));
        assertThat(BenchConfig.PLAIN_RRF.storeChannels()).isEqualTo(Set.of(Recall.LEXICAL, Recall.SEMANTIC));
        assertThat(BenchConfig.BM25_ONLY.storeChannels()).isEqualTo(Set.of(Recall.LEXICAL));
        assertThat(BenchConfig.KNN_ONLY.storeChannels()).isEqualTo(Set.of(Recall.SEMANTIC));
    }

    @Test
    void aRecallFromAnotherChannelFailsTheRun() {
        MemoryRecord record = MemoryRecord.builder("r1", Scope.user("u"), "Ann: hello", Instant.EPOCH)
                .sourceIds(List.of("D1:1")).build();
        List<Recall> shortTerm = List.of(new Recall(record, 1, List.of(new Recall.Channel(Recall.SHORT_TERM, 1, 1))));
        List<Recall> lexical = List.of(new Recall(record, 1, List.of(new Recall.Channel(Recall.LEXICAL, 1, 2))));

        assertThatThrownBy(() -> LocomoRunner.ranked(shortTerm, BenchConfig.DEFAULT))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("short-term");
        assertThatThrownBy(() -> LocomoRunner.ranked(lexical, BenchConfig.KNN_ONLY))
                .hasMessageContaining("knn-only");
        assertThat(LocomoRunner.ranked(lexical, BenchConfig.BM25_ONLY))
                .containsExactly(new Scoring.Ranked(List.of("D1:1"), 2));
    }
}
