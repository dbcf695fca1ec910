package dev.loci.bench;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The parts of a LoCoMo sample the benchmark uses. Immutable records, validated on construction. */
final class Locomo {
    private Locomo() {
    }

    /** Category numbers as the dataset's own code names them (not the order the paper lists them in). */
    static String categoryName(int category) {
        return switch (category) {
            case 1 -> "multi-hop";
            case 2 -> "temporal";
            case 3 -> "open-domain";
            case 4 -> "single-hop";
            case 5 -> "adversarial";
            default -> throw new IllegalArgumentException("unknown LoCoMo category " + category);
        };
    }

    /**
     * One conversation: the memory under test is its turns, and its questions are asked of that memory alone.
     *
     * @param sampleId  the sample's id, used as the memory's user
     * @param turns     the turns of every session, in session and turn order
     * @param questions every question of the sample (all categories), evidence as given
     */
    record Conversation(String sampleId, List<Turn> turns, List<Question> questions) {
        Conversation {
            Objects.requireNonNull(sampleId, "sampleId must not be null");
            turns = List.copyOf(turns);
            questions = List.copyOf(questions);
        }
    }

    /**
     * One turn of a session.
     *
     * @param session    its session's key in the data, e.g. {@code "session_3"}: the memory's session scope
     * @param diaId      "D&lt;session&gt;:&lt;turn&gt;"
     * @param speaker    who said it
     * @param text       what was said
     * @param caption    the caption of the image shared with it, or null
     * @param occurredAt its session's date and time
     */
    record Turn(String session, String diaId, String speaker, String text, @Nullable String caption, Instant occurredAt) {
        Turn {
            Objects.requireNonNull(session, "session must not be null");
            Objects.requireNonNull(diaId, "diaId must not be null");
            Objects.requireNonNull(speaker, "speaker must not be null");
            Objects.requireNonNull(text, "text must not be null");
            Objects.requireNonNull(occurredAt, "occurredAt must not be null");
        }

        /** The text a memory stores: {@code "<speaker>: <text>"} plus {@code " [shares <caption>]"}. */
        String memoryText() {
            return speaker + ": " + text + (caption == null || caption.isBlank() ? "" : " [shares " + caption + "]");
        }
    }

    /**
     * One question.
     *
     * @param text     the question
     * @param category the LoCoMo category number, 1..5
     * @param evidence the evidence strings as the data gives them (possibly malformed)
     */
    record Question(String text, int category, List<String> evidence) {
        Question {
            Objects.requireNonNull(text, "text must not be null");
            categoryName(category);
            evidence = List.copyOf(evidence);
        }
    }
}
