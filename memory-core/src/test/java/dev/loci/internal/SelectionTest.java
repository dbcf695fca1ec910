package dev.loci.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loci.Embedding;
import dev.loci.MemoryRecord;
import dev.loci.Query;
import dev.loci.Recall;
import dev.loci.Scope;
import dev.loci.spi.Tokenizer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectionTest {
    private static Recall recall(String id, String text, double score, float... vector) {
        MemoryRecord record = MemoryRecord.builder(id, Scope.user("u"), text, Instant.EPOCH)
                .embedding(vector.length == 0 ? null : new Embedding("m", vector)).build();
        return new Recall(record, score, List.of(new Recall.Channel(Recall.SEMANTIC, 1, score)));
    }

    private static List<String> ids(List<Recall> recalls) {
        return recalls.stream().map(r -> r.record().id()).toList();
    }

    private final List<Recall> ranked = List.of(
            recall("a", "I ran the Berlin marathon", 1.0, 1, 0, 0),
            recall("b", "I ran the marathon in Berlin", 0.95, 0.99f, 0.1f, 0),
            recall("c", "My knee hurt afterwards", 0.8, 0, 1, 0),
            recall("d", "not embedded yet", 0.5));

    @Test
    void withoutDiversityOrBudgetTheLimitCutsTheFusedOrder() {
        assertThat(ids(Selection.select(ranked, Query.text("q").limit(3), Tokenizer.words())))
                .containsExactly("a", "b", "c");
        assertThat(Selection.pool(Query.text("q").limit(3))).isEqualTo(3);
        assertThat(Selection.pool(Query.text("q").limit(3).diversity(0.5))).isEqualTo(9);
    }

    @Test
    void diversityPrefersWhatIsUnlikeTheResultsAlreadyChosen() {
        assertThat(ids(Selection.diversify(ranked, 0.5, 3))).containsExactly("a", "c", "d");
        assertThat(ids(Selection.diversify(ranked, 0.0, 4))).as("no diversity: the fused order")
                .containsExactly("a", "b", "c", "d");
        assertThat(ids(Selection.diversify(ranked, 1.0, 2))).as("all diversity: relevance only breaks ties")
                .containsExactly("a", "c");
        assertThat(Selection.diversify(List.of(), 0.5, 3)).isEmpty();
    }

    @Test
    void aBudgetTakesResultsInRankOrderUntilTheFirstThatDoesNotFit() {
        // words: a 5, b 6, c 4, d 3
        assertThat(ids(Selection.pack(ranked, 11, Tokenizer.words()))).containsExactly("a", "b");
        assertThat(ids(Selection.pack(ranked, 10, Tokenizer.words()))).as("b overflows: c and d are not tried")
                .containsExactly("a");
        assertThat(Selection.pack(ranked, 4, Tokenizer.words())).isEmpty();
        assertThat(ids(Selection.pack(ranked, 3, text -> 1))).containsExactly("a", "b", "c");
        assertThat(ids(Selection.select(ranked, Query.text("q").limit(2).budget(100), Tokenizer.words())))
                .as("the limit still holds").containsExactly("a", "b");
    }

    @Test
    void wordsAreRunsOfNonWhitespace() {
        assertThat(Tokenizer.words().count("  I ran\tthe\nmarathon! ")).isEqualTo(4);
        assertThat(Tokenizer.words().count("x")).isEqualTo(1);
    }
}
