package dev.loci.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.loci.bench.Scoring.Ranked;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoringTest {
    private static Ranked r(int words, String... ids) {
        return new Ranked(List.of(ids), words);
    }

    private final List<Ranked> ranking = List.of(r(10, "D1:1"), r(10, "D1:2"), r(10, "D1:3", "D2:1"), r(10, "D2:2"));

    @Test
    void recallCountsTheShareOfEvidenceInTheTopK() {
        List<String> evidence = List.of("D1:2", "D2:1", "D9:9");
        assertThat(Scoring.recallAt(ranking, evidence, 1)).isZero();
        assertThat(Scoring.recallAt(ranking, evidence, 2)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(Scoring.recallAt(ranking, evidence, 3)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(Scoring.hitAt(ranking, evidence, 4)).isZero();
    }

    @Test
    void hitNeedsEveryEvidenceId() {
        List<String> evidence = List.of("D1:1", "D2:1");
        assertThat(Scoring.hitAt(ranking, evidence, 2)).isZero();
        assertThat(Scoring.hitAt(ranking, evidence, 3)).isEqualTo(1.0);
        assertThat(Scoring.recallAt(ranking, evidence, 3)).isEqualTo(1.0);
    }

    @Test
    void duplicatesCountOnce() {
        List<Ranked> repeated = List.of(r(3, "D1:1"), r(3, "D1:1", "D1:1"), r(3, "D1:2"));
        assertThat(Scoring.recallAt(repeated, List.of("D1:1", "D1:1", "D1:2"), 2)).isEqualTo(0.5);
        assertThat(Scoring.recallAt(repeated, List.of("D1:1", "D1:2"), 3)).isEqualTo(1.0);
    }

    @Test
    void kLargerThanTheListUsesTheWholeList() {
        assertThat(Scoring.recallAt(ranking, List.of("D2:2"), 50)).isEqualTo(1.0);
        assertThat(Scoring.recallAt(List.of(), List.of("D2:2"), 5)).isZero();
    }

    @Test
    void budgetTakesResultsWhileTheirWordsStayWithinTheBudget() {
        List<String> evidence = List.of("D1:2", "D2:2");
        assertThat(Scoring.budgetedRecall(ranking, evidence, 19)).isZero();     // only the first fits
        assertThat(Scoring.budgetedRecall(ranking, evidence, 20)).isEqualTo(0.5); // exactly at the budget: taken
        assertThat(Scoring.budgetedRecall(ranking, evidence, 39)).isEqualTo(0.5);
        assertThat(Scoring.budgetedRecall(ranking, evidence, 40)).isEqualTo(1.0);
        assertThat(Scoring.budgetedRecall(ranking, evidence, 1000)).isEqualTo(1.0);
    }

    @Test
    void theResultThatCrossesTheBudgetStopsTheTaking() {
        List<Ranked> list = List.of(r(5, "D1:1"), r(100, "D1:2"), r(1, "D1:3"));
        assertThat(Scoring.budgetedRecall(list, List.of("D1:3"), 50)).isZero(); // not skipped over
        assertThat(Scoring.budgetedRecall(list, List.of("D1:1"), 4)).isZero();   // a first result too long
    }

    @Test
    void wordsAreRunsOfNonWhitespace() {
        assertThat(Scoring.words("Ann: I adopted  a\tpuppy\n")).isEqualTo(5);
        assertThat(Scoring.words("   ")).isZero();
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> Scoring.recallAt(ranking, List.of(), 1)).hasMessageContaining("evidence");
        assertThatThrownBy(() -> Scoring.recallAt(ranking, List.of("D1:1"), 0)).hasMessageContaining("k must");
        assertThatThrownBy(() -> Scoring.budgetedRecall(ranking, List.of("D1:1"), 0)).hasMessageContaining("budget");
    }

    @Test
    void percentilesAreNearestRank() {
        long[] nanos = new long[100];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = (100 - i) * 1_000_000L; // 100 ms .. 1 ms, unsorted
        }
        assertThat(Percentiles.millis(nanos, 50)).isEqualTo(50.0);
        assertThat(Percentiles.millis(nanos, 99)).isEqualTo(99.0);
        assertThat(Percentiles.millis(new long[] {7_000_000L}, 99)).isEqualTo(7.0);
        assertThatThrownBy(() -> Percentiles.millis(new long[0], 50)).hasMessageContaining("no samples");
    }
}
