/**
 * The Loci API: build a memory with {@code Loci.builder()}, then write, read, consolidate and forget.
 *
 * <pre>{@code
 * try (Memory memory = Loci.builder().directory(Path.of("agent-memory")).build()) {
 *     Scope alice = Scope.user("alice").agent("travel-bot").session("s1");
 *     memory.write(alice, "I'm allergic to peanuts");
 *     List<Recall> hits = memory.read(alice, Query.text("what can't I eat?").limit(5));
 * }
 * }</pre>
 */
@NullMarked
package dev.loci;

import org.jspecify.annotations.NullMarked;
