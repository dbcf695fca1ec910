package dev.loci.internal.journal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The on-disk format, version 1.
 *
 * <pre>
 * segment file  segment-&lt;first sequence, 20 digits&gt;.log
 *   header      magic "LOCIJRNL" (8) | version int (4) | first sequence long (8) | CRC32C of the previous 20 (4)
 *   entry*      length int (4) | sequence long (8) | CRC32C of length+sequence (4) | payload (length)
 *               | CRC32C of sequence+payload (4)
 * </pre>
 *
 * The entry header has its own checksum so that a damaged length is reported as damage, never mistaken for a torn
 * tail. All integers are big-endian.
 */
final class Format {
    static final byte[] MAGIC = "LOCIJRNL".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int SEGMENT_HEADER_BYTES = 8 + 4 + 8 + 4;
    static final int ENTRY_HEADER_BYTES = 4 + 8 + 4;
    static final int ENTRY_OVERHEAD_BYTES = ENTRY_HEADER_BYTES + 4;
    /** The largest payload one entry may carry. */
    static final int MAX_PAYLOAD_BYTES = 64 << 20;
    static final String TMP_SUFFIX = ".tmp";

    private static final Pattern NAME = Pattern.compile("segment-(\\d{20})\\.log");

    private Format() {
    }

    static String fileName(long firstSequence) {
        return String.format("segment-%020d.log", firstSequence);
    }

    /** The first sequence named by a segment file name, or empty if the name is not a segment's. */
    static OptionalLong firstSequenceOf(String fileName) {
        Matcher m = NAME.matcher(fileName);
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    static ByteBuffer segmentHeader(long firstSequence) {
        ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER_BYTES);
        b.put(MAGIC).putInt(VERSION).putLong(firstSequence);
        b.putInt(crc(b.array(), 0, SEGMENT_HEADER_BYTES - 4));
        return b.flip();
    }

    static int entryBytes(int payloadLength) {
        return ENTRY_OVERHEAD_BYTES + payloadLength;
    }

    static void putEntry(ByteBuffer target, long sequence, byte[] payload) {
        target.putInt(payload.length).putLong(sequence).putInt(headerCrc(payload.length, sequence));
        target.put(payload).putInt(bodyCrc(sequence, payload));
    }

    static int headerCrc(int length, long sequence) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(12).putInt(length).putLong(sequence).flip());
        return (int) crc.getValue();
    }

    static int bodyCrc(long sequence, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(8).putLong(sequence).flip());
        crc.update(payload);
        return (int) crc.getValue();
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
