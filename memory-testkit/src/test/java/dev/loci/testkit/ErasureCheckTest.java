package dev.loci.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErasureCheckTest {
    private static final float[] VECTOR = {0.25f, -1.5f, 3.0e-5f, 7.125f};

    @TempDir
    Path dir;

    @Test
    void randomTokensAreValidDistinctAndRepeatable() {
        List<String> tokens = Canary.randomTokens(new SplittableRandom(42), 20);
        assertThat(tokens).hasSize(20).doesNotHaveDuplicates()
                .allSatisfy(token -> assertThat(token).matches("[a-z0-9]{11}[0-9]"));
        assertThat(Canary.randomTokens(new SplittableRandom(42), 20)).isEqualTo(tokens);
        assertThat(Canary.randomTokens(new SplittableRandom(43), 20)).isNotEqualTo(tokens);
        assertThat(new Canary(tokens, Set.of(), List.of()).tokens()).isEqualTo(tokens);
    }

    @Test
    void aCanaryRejectsTokensAnAnalyserWouldChangeAndCopiesItsVectors() {
        for (String bad : List.of("Kx4vn8qt1zr6", "kx4vn8qt1zrs", "kx4v-8qt1zr6", "kx4vn87")) {
            assertThatThrownBy(() -> new Canary(List.of(bad), Set.of(), List.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
        }
        float[] vector = VECTOR.clone();
        Canary canary = new Canary(List.of("kx4vn8qt1zr6"), Set.of(), List.of(vector));
        vector[0] = 9;
        canary.vectors().get(0)[1] = 9;
        assertThat(canary.vectors().get(0)).containsExactly(VECTOR);
        assertThat(canary).isEqualTo(new Canary(List.of("kx4vn8qt1zr6"), Set.of(), List.of(VECTOR.clone())));
    }

    @Test
    void bytesLeftNamesEachFileAndWhatItHolds() throws IOException {
        Canary canary = new Canary(List.of("kx4vn8qt1zr6"), Set.of("rec-1"), List.of(VECTOR));
        Files.createDirectories(dir.resolve("journal"));
        Files.writeString(dir.resolve("journal/segment.log"),
                "{\"record\":{\"id\":\"rec-1\",\"text\":\"code kx4vn8qt1zr6\",\"vector\":[0.25,-1.5,3.0E-5,7.125]}}");
        Files.writeString(dir.resolve("journal/purge.log"), "{\"ids\":[\"rec-1\"],\"context\":{\"ids\":[\"rec-1\"]}}");
        Files.write(dir.resolve("little.vec"), withPadding(VECTOR, ByteOrder.LITTLE_ENDIAN));
        Files.write(dir.resolve("big.vec"), withPadding(VECTOR, ByteOrder.BIG_ENDIAN));
        Files.writeString(dir.resolve("clean.txt"), "kx4vn8qt1zr and 0.25,-1.5");

        assertThat(ErasureCheck.bytesLeft(dir, canary)).containsExactlyInAnyOrder(
                "big.vec holds vector 0 (big-endian float32)",
                Path.of("journal", "segment.log") + " holds token 'kx4vn8qt1zr6'",
                Path.of("journal", "segment.log") + " holds a record entry of rec-1",
                Path.of("journal", "segment.log") + " holds vector 0 as JSON text",
                "little.vec holds vector 0 (little-endian float32)");
        assertThat(ErasureCheck.bytesLeft(dir.resolve("missing"), canary)).isEmpty();
    }

    private static byte[] withPadding(float[] vector, ByteOrder order) {
        ByteBuffer buffer = ByteBuffer.allocate(3 + vector.length * Float.BYTES + 3).order(order);
        buffer.put("abc".getBytes(StandardCharsets.US_ASCII));
        for (float v : vector) {
            buffer.putFloat(v);
        }
        return buffer.put("xyz".getBytes(StandardCharsets.US_ASCII)).array();
    }
}
