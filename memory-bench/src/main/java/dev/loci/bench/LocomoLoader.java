package dev.loci.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loci.bench.Locomo.Conversation;
import dev.loci.bench.Locomo.Question;
import dev.loci.bench.Locomo.Turn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a LoCoMo JSON file (an array of samples, the shape of upstream {@code locomo10.json}). Only
 * {@code sample_id}, the {@code conversation}'s {@code session_N} arrays and their dates, and {@code qa} are read;
 * summaries and observations are ignored. Stateless; blocks on file I/O.
 */
final class LocomoLoader {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern SESSION_KEY = Pattern.compile("session_(\\d+)");

    private LocomoLoader() {
    }

    /**
     * @throws DataException if the file is missing, unreadable, not JSON, or a field the benchmark needs is missing
     *                       or of the wrong type (the message names the sample and field)
     */
    static List<Conversation> load(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new DataException("malformed JSON in " + file + (at == null ? "" : " at line " + at.getLineNr()
                    + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            if (!Files.exists(file)) {
                throw new DataException("data file not found: " + file, e);
            }
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(root, file.toString());
    }

    static List<Conversation> parse(@Nullable JsonNode root, String where) {
        if (root == null || !root.isArray()) {
            throw new DataException(where + ": expected a JSON array of LoCoMo samples");
        }
        List<Conversation> conversations = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            conversations.add(conversation(root.get(i), where + "[" + i + "]"));
        }
        return conversations;
    }

    private static Conversation conversation(JsonNode sample, String where) {
        if (!sample.isObject()) {
            throw new DataException(where + ": expected a sample object");
        }
        String sampleId = text(sample, "sample_id", where);
        where = sampleId;
        JsonNode conversation = object(sample, "conversation", where);
        Map<Integer, JsonNode> sessions = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : conversation.properties()) {
            Matcher m = SESSION_KEY.matcher(field.getKey());
            if (m.matches() && field.getValue().isArray()) {
                sessions.put(Integer.parseInt(m.group(1)), field.getValue());
            }
        }
        if (sessions.isEmpty()) {
            throw new DataException(where + ": conversation has no session_N array");
        }
        List<Turn> turns = new ArrayList<>();
        for (Map.Entry<Integer, JsonNode> session : sessions.entrySet()) {
            String key = "session_" + session.getKey();
            String dateKey = key + "_date_time";
            Instant date;
            try {
                date = SessionDates.parse(text(conversation, dateKey, where + ".conversation"));
            } catch (IllegalArgumentException e) {
                throw new DataException(where + ".conversation." + dateKey + ": " + e.getMessage(), e);
            }
            JsonNode array = session.getValue();
            for (int t = 0; t < array.size(); t++) {
                String at = where + ".conversation." + key + "[" + t + "]";
                JsonNode turn = array.get(t);
                if (!turn.isObject()) {
                    throw new DataException(at + ": expected a turn object");
                }
                JsonNode caption = turn.get("blip_caption");
                turns.add(new Turn(key, text(turn, "dia_id", at), text(turn, "speaker", at), text(turn, "text", at),
                        caption != null && caption.isTextual() ? caption.asText() : null, date));
            }
        }
        JsonNode qa = sample.get("qa");
        if (qa == null || !qa.isArray()) {
            throw new DataException(where + ": qa must be an array");
        }
        List<Question> questions = new ArrayList<>();
        for (int q = 0; q < qa.size(); q++) {
            String at = where + ".qa[" + q + "]";
            JsonNode item = qa.get(q);
            if (!item.isObject()) {
                throw new DataException(at + ": expected a question object");
            }
            JsonNode category = item.get("category");
            if (category == null || !category.isInt() || category.asInt() < 1 || category.asInt() > 5) {
                throw new DataException(at + ".category must be an integer 1..5, was " + category);
            }
            JsonNode evidence = item.get("evidence");
            if (evidence == null || !evidence.isArray()) {
                throw new DataException(at + ".evidence must be an array of strings");
            }
            List<String> ids = new ArrayList<>();
            for (JsonNode id : evidence) {
                if (!id.isTextual()) {
                    throw new DataException(at + ".evidence must be an array of strings, has " + id);
                }
                ids.add(id.asText());
            }
            questions.add(new Question(text(item, "question", at), category.asInt(), ids));
        }
        return new Conversation(sampleId, turns, questions);
    }

    private static JsonNode object(JsonNode parent, String field, String where) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isObject()) {
            throw new DataException(where + ": " + field + " must be an object");
        }
        return node;
    }

    private static String text(JsonNode parent, String field, String where) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isTextual()) {
            throw new DataException(where + ": " + field + " must be a string"
                    + (node == null ? " but is missing" : ", was " + node));
        }
        return node.asText();
    }
}
