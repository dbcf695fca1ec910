package dev.loci.internal.journal;

import static dev.loci.internal.journal.Journals.bytes;
import static dev.loci.internal.journal.Journals.replayed;
import static dev.loci.internal.journal.Journals.stderrOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal cut at every byte offset of its last three entries, as is and followed by random or zero-filled
 * garbage: it opens every time, replays exactly the entries wholly before the cut, and logs exactly one WARN naming
 * the file, the offset of the first lost byte and the bytes dropped (none when the cut falls between entries and
 * nothing follows).
 */
class JournalTornTailTest {
    @TempDir
    Path dir;

    @Test
    void everyCutOfTheLastThreeEntriesRecoversTheWholeOnes() throws IOException {
        Map<Long, String> written = new LinkedHashMap<>();
        try (Journal journal = Journal.open(dir, Journal.Options.sync())) {
            for (int i = 0; i < 8; i++) {
                String payload = "{\"entry\":" + i + ",\"pad\":\"" + "z".repeat(i * 3) + "\"}";
                written.put(journal.append(bytes(payload)), payload);
            }
        }
        Path segment;
        try (Stream<Path> files = Files.list(dir)) {
            segment = files.filter(f -> f.getFileName().toString().endsWith(".log")).findFirst().orElseThrow();
        }
        byte[] full = Files.readAllBytes(segment);
        List<Integer> starts = entryStarts(full); // the offset of every entry, then the end of the file
        int from = starts.get(starts.size() - 4);
        long seed = Long.getLong("loci.test.seed", new SplittableRandom().nextLong());
        SplittableRandom random = new SplittableRandom(seed);
        for (int cut = from; cut <= full.length; cut++) {
            for (String tail : List.of("none", "random", "zeros")) {
                byte[] garbage = switch (tail) {
                    case "random" -> randomBytes(random, 1 + random.nextInt(64));
                    case "zeros" -> new byte[1 + random.nextInt(64)];
                    default -> new byte[0];
                };
                byte[] damaged = Arrays.copyOf(Arrays.copyOf(full, cut), cut + garbage.length);
                System.arraycopy(garbage, 0, damaged, cut, garbage.length);
                Files.write(segment, damaged);
                // Entries whose bytes are all still there (entry k spans starts[k] .. starts[k + 1]): those before
                // the cut, and the cut one where the garbage happens to begin with its missing bytes (a random byte
                // matching a cut-off last byte, say: 1 in 256).
                int whole = 0;
                while (whole + 1 < starts.size() && starts.get(whole + 1) <= damaged.length
                        && Arrays.equals(damaged, starts.get(whole), starts.get(whole + 1),
                                full, starts.get(whole), starts.get(whole + 1))) {
                    whole++;
                }
                int kept = whole;
                int keptEnd = starts.get(whole);
                String where = "cut at " + cut + " with " + tail + " garbage (" + garbage.length + " bytes, seed "
                        + seed + ")";
                String log = stderrOf(() -> {
                    try (Journal journal = Journal.open(dir, Journal.Options.sync())) {
                        Map<Long, String> expected = new LinkedHashMap<>();
                        written.entrySet().stream().limit(kept).forEach(e -> expected.put(e.getKey(), e.getValue()));
                        assertThat(replayed(journal)).as(where).isEqualTo(expected);
                    }
                });
                long warnings = log.lines().filter(line -> line.contains(" WARN ")).count();
                long dropped = damaged.length - keptEnd;
                if (dropped == 0) {
                    assertThat(warnings).as(where + ": nothing dropped, nothing said").isZero();
                } else {
                    assertThat(warnings).as(where + ": " + log).isEqualTo(1);
                    assertThat(log).as(where).contains(segment.getFileName().toString())
                            .contains("at offset " + keptEnd).contains(dropped + " bytes dropped");
                }
            }
        }
        Files.write(segment, full);
    }

    /** Offsets of each entry in a segment, then the segment's end: [length][sequence][crc][payload][crc]. */
    private static List<Integer> entryStarts(byte[] segment) {
        List<Integer> starts = new ArrayList<>();
        int position = Format.SEGMENT_HEADER_BYTES;
        while (position < segment.length) {
            starts.add(position);
            position += Format.ENTRY_OVERHEAD_BYTES + ByteBuffer.wrap(segment, position, 4).getInt();
        }
        starts.add(position);
        return starts;
    }

    private static byte[] randomBytes(SplittableRandom random, int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }
}
