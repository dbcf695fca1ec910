package dev.loci;

/**
 * Stored data failed its checksum or could not be decoded, somewhere other than a torn final record (which is
 * repaired with a WARN). The message names the file and the byte offset of the damage. Nothing is skipped silently.
 */
public final class CorruptedMemoryException extends MemoryException {
    private static final long serialVersionUID = 1L;

    public CorruptedMemoryException(String message) {
        super(message);
    }

    public CorruptedMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
