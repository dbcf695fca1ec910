package dev.loci.bench;

/** The benchmark's data file cannot be read or does not have the expected shape; the message names where. */
final class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DataException(String message) {
        super(message);
    }

    DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
