package dev.loci;

/** A call named a scope that this memory holds nothing for (for example {@link Memory#history} of an unknown user). */
public final class ScopeException extends MemoryException {
    private static final long serialVersionUID = 1L;

    public ScopeException(String message) {
        super(message);
    }
}
