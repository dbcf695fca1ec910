package dev.loci;

/** Which tier holds a record: the working buffer, or durable long-term memory. */
public enum Tier {
    SHORT_TERM, LONG_TERM
}
