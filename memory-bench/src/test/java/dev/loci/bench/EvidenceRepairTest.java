package dev.loci.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EvidenceRepairTest {
    private static final Set<String> TURNS = Set.of("D1:1", "D4:4", "D4:6", "D8:6", "D9:1", "D9:17", "D11:26",
            "D30:5");

    @Test
    void wellFormedIdsPassThrough() {
        assertThat(EvidenceRepair.repair(List.of("D1:1", "D4:4"), TURNS)).containsExactly("D1:1", "D4:4");
    }

    @Test
    void severalIdsInOneStringAreSplitOnSemicolonsCommasAndWhitespace() {
        assertThat(EvidenceRepair.repair(List.of("D8:6; D9:17"), TURNS)).containsExactly("D8:6", "D9:17");
        assertThat(EvidenceRepair.repair(List.of("D9:1 D4:4 D4:6"), TURNS)).containsExactly("D9:1", "D4:4", "D4:6");
        assertThat(EvidenceRepair.repair(List.of("D9:1,D4:4"), TURNS)).containsExactly("D9:1", "D4:4");
    }

    @Test
    void aColonAfterTheDIsRepaired() {
        assertThat(EvidenceRepair.repair(List.of("D:11:26"), TURNS)).containsExactly("D11:26");
    }

    @Test
    void leadingZerosAreDropped() {
        assertThat(EvidenceRepair.repair(List.of("D30:05"), TURNS)).containsExactly("D30:5");
        assertThat(EvidenceRepair.repair(List.of("D01:001"), TURNS)).containsExactly("D1:1");
    }

    @Test
    void whatIsNoIdOrNoTurnOfTheConversationIsDropped() {
        assertThat(EvidenceRepair.repair(List.of("D"), TURNS)).isEmpty();
        assertThat(EvidenceRepair.repair(List.of("D10:19"), TURNS)).isEmpty();
        assertThat(EvidenceRepair.repair(List.of(), TURNS)).isEmpty();
        assertThat(EvidenceRepair.repair(List.of("D10:19", "D1:1", "x"), TURNS)).containsExactly("D1:1");
        assertThat(EvidenceRepair.repair(List.of("D99999999999:1"), TURNS)).isEmpty();
    }

    @Test
    void eachIdIsKeptOnce() {
        assertThat(EvidenceRepair.repair(List.of("D1:1", "D1:01; D4:4", "D4:4"), TURNS))
                .containsExactly("D1:1", "D4:4");
    }
}
