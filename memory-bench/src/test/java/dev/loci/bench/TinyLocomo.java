package dev.loci.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A made-up conversation in LoCoMo's JSON shape (no LoCoMo text: the dataset's licence forbids copying it here). */
final class TinyLocomo {
    /**
     * Two sessions (session_10 sorts after session_2 by number), a date with no session, a caption, and questions:
     * single-hop (D1:1), open-domain on a caption (D1:3), multi-hop with a malformed evidence string (D1:2 and D2:1),
     * temporal with "D:" (D2:2), one adversarial, one without evidence, one whose evidence is not a turn.
     */
    static final String JSON = """
            [ {
              "sample_id": "tiny-1",
              "conversation": {
                "speaker_a": "Ann", "speaker_b": "Bob",
                "session_1_date_time": "1:56 pm on 8 May, 2023",
                "session_1": [
                  {"speaker": "Ann", "dia_id": "D1:1", "text": "I adopted a puppy named Biscuit yesterday."},
                  {"speaker": "Bob", "dia_id": "D1:2", "text": "Lovely! I am training for a marathon in Boston."},
                  {"speaker": "Ann", "dia_id": "D1:3", "text": "Look at this!",
                   "img_url": ["https://example.org/x.jpg"], "blip_caption": "a photo of a sailboat on a lake",
                   "query": "sailboat"}
                ],
                "session_10_date_time": "10:37 am on 27 June, 2023",
                "session_10": [
                  {"speaker": "Bob", "dia_id": "D10:1", "text": "I finished the marathon in four hours."},
                  {"speaker": "Ann", "dia_id": "D10:2", "text": "Biscuit learned to fetch the frisbee."}
                ],
                "session_2_date_time": "9:00 am on 1 June, 2023",
                "session_2": [
                  {"speaker": "Bob", "dia_id": "D2:1", "text": "Weather is grey; I stayed home knitting."}
                ],
                "session_11_date_time": "9:00 am on 1 July, 2023"
              },
              "qa": [
                {"question": "What is the name of the puppy Ann adopted?", "answer": "Biscuit",
                 "evidence": ["D1:1"], "category": 4},
                {"question": "What was on the lake in the photo?", "answer": "a sailboat",
                 "evidence": ["D01:03"], "category": 3},
                {"question": "Where was the marathon Bob finished?", "answer": "Boston",
                 "evidence": ["D1:2; D10:1"], "category": 1},
                {"question": "When did Biscuit learn to fetch?", "answer": "June 2023",
                 "evidence": ["D:10:2"], "category": 2},
                {"question": "What is Bob's cat called?", "adversarial_answer": "none",
                 "evidence": ["D1:1"], "category": 5},
                {"question": "Is knitting relaxing?", "answer": "yes", "evidence": [], "category": 3},
                {"question": "What did they eat?", "answer": "?", "evidence": ["D7:7"], "category": 4}
              ],
              "session_summary": {"session_1_summary": "ignored"}
            } ]
            """;

    private TinyLocomo() {
    }

    static Path write(Path directory) throws IOException {
        return Files.writeString(directory.resolve("tiny-locomo.json"), JSON);
    }
}
