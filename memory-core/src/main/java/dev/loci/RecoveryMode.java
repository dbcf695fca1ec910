package dev.loci;

/**
 * What opening a memory does with a journal damaged before its last entry (a bad checksum, a garbled length, a
 * sequence out of order: what a failing disk or a stray write leaves, never a crash on storage that honours fsync).
 * A torn last entry, which a crash does leave, is cut off with a WARN in either mode.
 */
public enum RecoveryMode {
    /**
     * The default: the open fails with {@link CorruptedMemoryException} naming the file, the offset and what is
     * wrong, and nothing is changed, so the damage can be examined or the files restored from a backup.
     */
    STRICT,
    /**
     * The open cuts the journal at the first damage: that entry and every later one are dropped (the segment is
     * truncated, later segments deleted), and one WARN names each file, offset and the bytes and entries dropped.
     * What the views held of the dropped entries is rebuilt from what is left. Use it to get a damaged memory
     * working again when losing its newest entries is better than not opening.
     */
    TRUNCATE_AT_DAMAGE
}
