package dev.loci;

/**
 * Runs the policies that move memories between tiers: promotion of short-term records by age, use and session
 * end, and fading of what the policy does not keep. A memory built with {@link Loci.Builder#schedule} ticks on its
 * executor; with {@link Loci.Builder#manualTicks()} only {@link #tick()} runs it, which is what deterministic
 * tests do with an injected clock. Thread-safe; {@code tick} blocks while it journals its decisions.
 */
public interface MemoryScheduler {
    /** Runs every policy once, now (by the memory's clock), and says what it did. */
    Consolidation tick();
}
