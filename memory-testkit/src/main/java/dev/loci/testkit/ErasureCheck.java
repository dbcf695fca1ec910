package dev.loci.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Byte scans for a {@link Canary} under a memory's directory: did a purge leave any of it in any file? Stateless.
 *
 * <pre>{@code
 * memory.forget(scope, Forget.ids(secret.id()).purge());
 * memory.close();
 * assertThat(ErasureCheck.bytesLeft(memoryDirectory, canary)).isEmpty();
 * }</pre>
 *
 * <p>It looks in every regular file for each token (UTF-8), for each vector's float32 bytes (little- and big-endian),
 * their base64 text (as the memory's JSON writes a vector) and its JSON text as numbers (the components as Java
 * writes floats, comma-separated), and for {@code "id":"<record id>"}, the start of the JSON of a record that
 * carried the canary (the journal keeps records as plain JSON; a purge leaves
 * only its ids, in the purge entry and in the contexts of the messages after them, never after {@code "id":}).
 *
 * <p>A byte scan proves absence only where data is stored plainly, as the journal stores it. An index that
 * compresses stored values or prefix-codes its terms can hold a token that no byte scan finds: a test of such a
 * store must also read the index back (as memory-lucene's tests do).
 */
public final class ErasureCheck {
    private ErasureCheck() {
    }

    /**
     * What of the canary the files under {@code directory} still hold, one line per file and finding (for instance
     * {@code "journal/segment-...log holds token 'kx4vn8qt1zr6'"}); empty if nothing, or if the directory does not
     * exist. Reads whole files: meant for test-sized data.
     *
     * @throws UncheckedIOException if a file cannot be read
     */
    public static List<String> bytesLeft(Path directory, Canary canary) {
        List<Needle> needles = needles(canary);
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String bytes = read(file);
                for (Needle needle : needles) {
                    if (bytes.contains(needle.bytes())) {
                        found.add(directory.relativize(file) + " holds " + needle.what());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan " + directory, e);
        }
        return List.copyOf(found);
    }

    /** Bytes to look for (one char per byte, see {@link #read}) and what they are. */
    private record Needle(String bytes, String what) {
    }

    private static List<Needle> needles(Canary canary) {
        List<Needle> needles = new ArrayList<>();
        for (String token : canary.tokens()) {
            needles.add(new Needle(latin1(token.getBytes(StandardCharsets.UTF_8)), "token '" + token + "'"));
        }
        for (String id : canary.recordIds()) {
            needles.add(new Needle(latin1(("\"id\":\"" + id + "\"").getBytes(StandardCharsets.UTF_8)),
                    "a record entry of " + id));
        }
        List<float[]> vectors = canary.vectors();
        for (int i = 0; i < vectors.size(); i++) {
            float[] vector = vectors.get(i);
            needles.add(new Needle(latin1(floatBytes(vector, ByteOrder.LITTLE_ENDIAN)),
                    "vector " + i + " (little-endian float32)"));
            needles.add(new Needle(latin1(floatBytes(vector, ByteOrder.BIG_ENDIAN)),
                    "vector " + i + " (big-endian float32)"));
            for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
                // As JSON carries it (the journal, exports): the base64 of the float32 bytes, from its start.
                needles.add(new Needle(latin1(Base64.getEncoder().encode(floatBytes(vector, order))),
                        "vector " + i + " as base64 (" + order + " float32)"));
            }
            String json = IntStream.range(0, vector.length).mapToObj(c -> Float.toString(vector[c]))
                    .collect(Collectors.joining(","));
            needles.add(new Needle(latin1(json.getBytes(StandardCharsets.US_ASCII)), "vector " + i + " as JSON text"));
        }
        return needles;
    }

    private static byte[] floatBytes(float[] vector, ByteOrder order) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(order);
        for (float v : vector) {
            buffer.putFloat(v);
        }
        return buffer.array();
    }

    /** ISO-8859-1 maps every byte to one char, so a byte search becomes {@link String#contains}. */
    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String read(Path file) {
        try {
            return latin1(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
