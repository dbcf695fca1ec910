package dev.loci.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.Query;
import dev.loci.Recall;
import dev.loci.Scope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing end to end: the default memory (found through ServiceLoader: the e5 embedder and the on-disk Lucene
 * store), a few hundred distractors, and questions that share almost no words with the memory that answers them.
 */
class ParaphraseRecallTest {
    private static final Scope ALICE = Scope.user("alice").agent("assistant").session("s1");

    /** memory → a question that paraphrases what it is about. */
    private static final Map<String, String> TARGETS = Map.of(
            "I'm allergic to peanuts; even a trace makes me ill.", "Which food must I never eat?",
            "My daughter Emma starts university in Manchester in October.", "When does my kid begin college?",
            "I take my coffee black, without sugar or milk.", "How do I like my morning drink prepared?",
            "My left knee hurts after long runs.", "Which joint gives me trouble when jogging?");

    @TempDir
    Path dir;

    @Test
    void aParaphrasedQuestionFindsItsMemoryAmongHundredsOfDistractors() {
        List<String> distractors = distractors();
        assertThat(distractors).hasSizeGreaterThanOrEqualTo(300);
        try (Memory memory = Loci.builder().directory(dir).manualTicks().build()) {
            distractors.subList(0, 150).forEach(text -> memory.write(ALICE, text));
            TARGETS.keySet().forEach(text -> memory.write(ALICE, text));
            distractors.subList(150, distractors.size()).forEach(text -> memory.write(ALICE, text));
            memory.consolidate(ALICE);
        }
        // Reopened from disk: the answers come from the Lucene index, not from anything held in memory.
        try (Memory memory = Loci.builder().directory(dir).manualTicks().build()) {
            TARGETS.forEach((target, question) -> {
                List<Recall> hits = memory.read(ALICE, Query.text(question).limit(3));
                assertThat(hits).as("top 3 for \"%s\"", question)
                        .extracting(r -> r.record().text()).contains(target);
                Recall hit = hits.stream().filter(r -> r.record().text().equals(target)).findFirst().orElseThrow();
                assertThat(hit.explain()).contains("semantic");
            });
        }
    }

    /** Deterministic everyday sentences about other things: people, places, chores, hobbies. */
    static List<String> distractors() {
        String[] people = {"Tom", "Priya", "Marco", "Lena", "Kenji", "Fatima", "Oscar", "Ines", "Yusuf", "Greta",
            "Hugo", "Mei", "Sven", "Amara", "Pablo"};
        String[] doings = {"repainted the garden fence", "fixed the squeaky bicycle chain", "visited the science museum",
            "played chess at the club", "cleaned out the garage", "watched a documentary about volcanoes",
            "booked a dentist appointment", "renewed the library card", "planted tulip bulbs",
            "assembled a new bookshelf", "replaced the car battery", "practised the violin for an hour",
            "sorted old photographs into albums", "went to a pottery class", "mowed the lawn",
            "updated the laptop software", "walked the neighbour's dog", "hung new curtains in the study",
            "filed the quarterly tax forms", "rearranged the living room furniture"};
        String[] places = {"in Oslo", "in Porto", "near the harbour", "downtown", "at the community centre"};
        List<String> out = new ArrayList<>();
        for (int i = 0; out.size() < 300; i++) {
            out.add(people[i % people.length] + " " + doings[(i * 7) % doings.length] + " "
                    + places[(i / 3) % places.length] + " last " + (i % 2 == 0 ? "weekend." : "Tuesday."));
        }
        return out;
    }
}
