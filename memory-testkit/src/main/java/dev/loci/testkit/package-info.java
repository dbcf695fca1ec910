/**
 * Test doubles for Loci: a {@link dev.loci.testkit.FakeClock} that moves only when told, a deterministic
 * {@link dev.loci.testkit.TestEmbedder} that needs no model, and contract suites that a store implementation extends.
 *
 * <pre>{@code
 * FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
 * TestEmbedder embedder = new TestEmbedder();
 * try (Memory memory = Loci.builder().directory(dir).clock(clock).embedder(embedder).build()) {
 *     memory.write(scope, "I'm allergic to peanuts");
 *     clock.advance(Duration.ofDays(2));
 *     memory.consolidate(scope);
 * }
 * }</pre>
 */
@NullMarked
package dev.loci.testkit;

import org.jspecify.annotations.NullMarked;
