package dev.loci;

/** Where a memory came from. */
public enum Source {
    USER, AGENT, TOOL, CONSOLIDATION, IMPORT
}
