package dev.loci.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loci.bench.Locomo.Conversation;
import dev.loci.bench.Locomo.Turn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocomoLoaderTest {
    @TempDir
    Path dir;

    @Test
    void readsSessionsInNumberOrderWithTheirDatesAndCaptions() throws IOException {
        List<Conversation> conversations = LocomoLoader.load(TinyLocomo.write(dir));

        assertThat(conversations).hasSize(1);
        Conversation c = conversations.getFirst();
        assertThat(c.sampleId()).isEqualTo("tiny-1");
        assertThat(c.turns()).extracting(Turn::diaId).containsExactly("D1:1", "D1:2", "D1:3", "D2:1", "D10:1",
                "D10:2");
        assertThat(c.turns().get(3).occurredAt()).isEqualTo(Instant.parse("2023-06-01T09:00:00Z"));
        assertThat(c.turns().get(4).occurredAt()).isEqualTo(Instant.parse("2023-06-27T10:37:00Z"));
        assertThat(c.turns().get(0).memoryText()).isEqualTo("Ann: I adopted a puppy named Biscuit yesterday.");
        assertThat(c.turns().get(2).memoryText())
                .isEqualTo("Ann: Look at this! [shares a photo of a sailboat on a lake]");
        assertThat(c.questions()).hasSize(7);
        assertThat(c.questions().get(2).evidence()).containsExactly("D1:2; D10:1");
        assertThat(c.questions().get(4).category()).isEqualTo(5);
    }

    @Test
    void malformedJsonNamesTheFileAndLine() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.json"), "[\n  {\"sample_id\": \"x\",\n  oops }\n]");
        assertThatThrownBy(() -> LocomoLoader.load(file)).isInstanceOf(DataException.class)
                .hasMessageContaining("malformed JSON").hasMessageContaining("bad.json")
                .hasMessageContaining("line 3");
    }

    @Test
    void aWrongShapeNamesTheSampleAndField() throws IOException {
        String noDate = TinyLocomo.JSON.replace("\"session_2_date_time\": \"9:00 am on 1 June, 2023\",", "");
        assertThatThrownBy(() -> LocomoLoader.load(Files.writeString(dir.resolve("a.json"), noDate)))
                .isInstanceOf(DataException.class).hasMessageContaining("tiny-1")
                .hasMessageContaining("session_2_date_time");

        String badDate = TinyLocomo.JSON.replace("9:00 am on 1 June, 2023", "June 1st");
        assertThatThrownBy(() -> LocomoLoader.load(Files.writeString(dir.resolve("b.json"), badDate)))
                .isInstanceOf(DataException.class).hasMessageContaining("session_2_date_time")
                .hasMessageContaining("June 1st");

        String badCategory = TinyLocomo.JSON.replace("\"category\": 4}", "\"category\": \"4\"}");
        assertThatThrownBy(() -> LocomoLoader.load(Files.writeString(dir.resolve("c.json"), badCategory)))
                .isInstanceOf(DataException.class).hasMessageContaining("tiny-1.qa[0].category");

        assertThatThrownBy(() -> LocomoLoader.load(Files.writeString(dir.resolve("d.json"), "{}")))
                .isInstanceOf(DataException.class).hasMessageContaining("expected a JSON array");

        String noText = TinyLocomo.JSON.replace("\"text\": \"Look at this!\",", "");
        assertThatThrownBy(() -> LocomoLoader.load(Files.writeString(dir.resolve("e.json"), noText)))
                .isInstanceOf(DataException.class).hasMessageContaining("session_1[2]")
                .hasMessageContaining("text must be a string but is missing");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> LocomoLoader.load(dir.resolve("none.json"))).isInstanceOf(DataException.class)
                .hasMessageContaining("not found").hasMessageContaining("none.json");
    }
}
