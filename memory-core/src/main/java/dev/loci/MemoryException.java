package dev.loci;

/**
 * Root of the unchecked exceptions Loci throws for failures of the memory itself (as opposed to misuse, which is
 * reported with {@link IllegalArgumentException} or {@link IllegalStateException}).
 */
public class MemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MemoryException(String message) {
        super(message);
    }

    public MemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
