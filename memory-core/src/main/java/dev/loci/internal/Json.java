package dev.loci.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.PrimitiveArrayDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * The one Jackson mapper of the library: ISO-8601 instants, unknown properties rejected, enums by name only (a
 * number is not taken as a constant's position). Thread-safe.
 */
public final class Json {
    /** Shared, configured once; ObjectMapper is thread-safe after configuration. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(vectors())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .build();

    private Json() {
    }

    /**
     * Vectors ({@code float[]}: embeddings) as the base64 of their float32 bytes, little-endian: exact, half the size
     * of decimal text, and read many times faster, which is most of what replaying a journal of embeddings costs. An
     * array of numbers is read too (older journals and exports, JSON written by hand).
     */
    private static SimpleModule vectors() {
        SimpleModule module = new SimpleModule("loci-vectors");
        module.addSerializer(float[].class, new StdSerializer<>(float[].class) {
            @Override
            public void serialize(float[] vector, JsonGenerator json, SerializerProvider provider) throws IOException {
                ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(vector);
                json.writeString(Base64.getEncoder().encodeToString(bytes.array()));
            }
        });
        @SuppressWarnings("unchecked")
        JsonDeserializer<float[]> numbers =
                (JsonDeserializer<float[]>) PrimitiveArrayDeserializers.forType(float.class);
        module.addDeserializer(float[].class, new StdDeserializer<>(float[].class) {
            @Override
            public float[] deserialize(JsonParser json, DeserializationContext context) throws IOException {
                if (json.currentToken() != JsonToken.VALUE_STRING) {
                    return numbers.deserialize(json, context);
                }
                byte[] bytes;
                try {
                    bytes = Base64.getDecoder().decode(json.getText());
                } catch (IllegalArgumentException e) {
                    throw InvalidFormatException.from(json, "a vector must be base64 (" + e.getMessage() + ")",
                            json.getText(), float[].class);
                }
                if (bytes.length % Float.BYTES != 0) {
                    throw InvalidFormatException.from(json, "a vector's base64 must hold whole float32s; it holds "
                            + bytes.length + " bytes", json.getText(), float[].class);
                }
                float[] vector = new float[bytes.length / Float.BYTES];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
                return vector;
            }
        });
        return module;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * Reads a value, turning every failure into an {@link IllegalArgumentException} that says what was wrong: the
     * validation message of the record when the JSON was well-formed but the value invalid, else the parser's
     * message with the field it was reading (e.g. {@code at scope.user}).
     */
    public static <T> T read(String json, Class<T> type) {
        if (json == null) {
            throw new NullPointerException("json must not be null");
        }
        T value;
        try {
            value = MAPPER.readValue(json, type);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("invalid " + type.getSimpleName() + ": " + cause.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed " + type.getSimpleName() + " JSON" + at(e) + ": "
                    + e.getOriginalMessage(), e);
        }
        if (value == null) { // the JSON was the literal null
            throw new IllegalArgumentException("malformed " + type.getSimpleName() + " JSON: null is not a "
                    + type.getSimpleName());
        }
        return value;
    }

    /** " at field.sub[2]", the path the parser had reached, or "" if it knows none. */
    private static String at(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
            return "";
        }
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : mapping.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "" : " at " + path;
    }
}
