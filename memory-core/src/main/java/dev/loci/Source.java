package dev.loci;

/**
 * Where a memory came from: its provenance, carried by every {@link MemoryRecord}. The caller states it at
 * {@link Write#source(Source) write} ({@link #USER} by default); the memory never changes it afterwards: a record
 * keeps its source through indexing, promotion, fading, archiving, reopening and export/import, so a record an agent
 * or a tool produced is never reported as the user's. {@link dev.loci.policy.PromotionPolicy#trusting} keeps records
 * of untrusted sources out of long-term memory.
 */
public enum Source {
    /** Said by the user. */
    USER,
    /** Produced by the agent (its own conclusions, plans, replies). */
    AGENT,
    /** Returned by a tool (search results, web pages, API responses): the usual way poisoned text gets in. */
    TOOL,
    /** Derived by consolidation from other records. */
    CONSOLIDATION,
    /** Brought in from elsewhere without a more precise source. */
    IMPORT
}
