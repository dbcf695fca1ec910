package dev.loci;

/** Lifecycle of a record. Only {@code ACTIVE} records are returned by {@code read}. */
public enum State {
    /** Current and readable. */
    ACTIVE,
    /** Replaced by a newer record ({@code supersedes} points back); kept for history. */
    SUPERSEDED,
    /** Hidden from reads by {@code forget(..., archive)} or by fading; kept for history and export. */
    ARCHIVED
}
