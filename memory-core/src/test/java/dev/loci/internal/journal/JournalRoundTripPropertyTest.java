package dev.loci.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random round trips: payloads of 0..64 KiB, random segment sizes, batches, reopens and replay points.
 * Replay a failure with {@code -Dloci.test.seed=<seed printed in the failure>}.
 */
class JournalRoundTripPropertyTest {
    @TempDir
    Path tmp;

    @Test
    void randomPayloadsAndSegmentSizesRoundTrip() throws Exception {
        long seed = Long.getLong("loci.test.seed", new SplittableRandom().nextLong());
        int rounds = 4 * Integer.getInteger("loci.test.iterations", 1);
        SplittableRandom random = new SplittableRandom(seed);
        try {
            for (int round = 0; round < rounds; round++) {
                roundTrip(random, Files.createDirectory(tmp.resolve("round-" + round)));
            }
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("failed with seed " + seed + " (replay: -Dloci.test.seed=" + seed + ")", e);
        }
    }

    private static void roundTrip(SplittableRandom random, Path dir) {
        long segmentBytes = random.nextLong(Journal.Options.MIN_SEGMENT_BYTES, 256 * 1024);
        // async with a long interval keeps the test fast; close() fsyncs, and sync mode is tested elsewhere
        Journal.Options options = random.nextInt(4) == 0
                ? Journal.Options.sync().withSegmentBytes(segmentBytes)
                : Journal.Options.async(Duration.ofHours(1)).withSegmentBytes(segmentBytes);
        Map<Long, byte[]> expected = new LinkedHashMap<>();
        Journal journal = Journal.open(dir, options);
        try {
            int appends = random.nextInt(1, 40);
            for (int i = 0; i < appends; i++) {
                List<byte[]> batch = new ArrayList<>();
                int size = random.nextInt(4) == 0 ? random.nextInt(1, 5) : 1;
                for (int b = 0; b < size; b++) {
                    batch.add(payload(random));
                }
                long last = batch.size() == 1 ? journal.append(batch.get(0)) : journal.appendAll(batch);
                long sequence = last - batch.size() + 1;
                for (byte[] p : batch) {
                    expected.put(sequence++, p);
                }
                if (random.nextInt(10) == 0) {
                    journal.close();
                    journal = Journal.open(dir, options);
                }
            }
        } finally {
            journal.close();
        }
        try (Journal reopened = Journal.open(dir, options)) {
            assertThat(reopened.lastSequence()).isEqualTo(expected.size());
            long after = random.nextLong(0, expected.size() + 1);
            List<Long> sequences = new ArrayList<>();
            reopened.replay(after, (sequence, payload) -> {
                sequences.add(sequence);
                assertThat(payload).as("payload of sequence %d", sequence).isEqualTo(expected.get(sequence));
            });
            assertThat(sequences).as("replay after %d, segments of %d bytes", after, segmentBytes)
                    .containsExactlyElementsOf(expected.keySet().stream().filter(s -> s > after).toList());
        }
    }

    private static byte[] payload(SplittableRandom random) {
        int length = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1, 64);
            case 2 -> random.nextInt(64, 4096);
            default -> random.nextInt(4096, 64 * 1024 + 1);
        };
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
