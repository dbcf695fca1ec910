/**
 * A small stateful model-test harness: random sequences of {@link dev.loci.testkit.stateful.Command commands} run
 * against the system under test and a plain model; the first disagreement is shrunk, by deleting commands, to a
 * short sequence that still fails, and reported as a numbered, replayable list with the seed.
 *
 * <pre>{@code
 * record Push(int value) implements Command<Deque<Integer>, Deque<Integer>> {
 *     public void run(Deque<Integer> model, Deque<Integer> system) {
 *         model.push(value);
 *         system.push(value);
 *     }
 * }
 * record Pop() implements Command<Deque<Integer>, Deque<Integer>> {
 *     public boolean precondition(Deque<Integer> model) { return !model.isEmpty(); }
 *     public void run(Deque<Integer> model, Deque<Integer> system) {
 *         assertThat(system.pop()).isEqualTo(model.pop());
 *     }
 * }
 *
 * StatefulTest.<Deque<Integer>, Deque<Integer>>builder(LinkedList::new, MyStack::new)
 *         .commands((random, model) -> random.nextInt(3) == 0 ? new Pop() : new Push(random.nextInt(100)))
 *         .invariant("same size", (model, system) -> assertThat(system).hasSameSizeAs(model))
 *         .build()
 *         .check();   // fails with the seed and e.g. "1. Push[value=4]  2. Push[value=9]  3. Pop[]"
 * }</pre>
 *
 * <p>Replay a failure with {@code -Dloci.seed=<seed>}, or paste its command list into
 * {@link dev.loci.testkit.stateful.StatefulTest#replay(java.util.List)}.
 */
@NullMarked
package dev.loci.testkit.stateful;

import org.jspecify.annotations.NullMarked;
