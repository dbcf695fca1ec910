package dev.loci.testkit.stateful;

/**
 * One step of a stateful test: an operation applied both to the system under test ({@code S}) and to a plain model
 * of it ({@code M}), whose answers must agree.
 *
 * <p>A command carries all its data (generated up front), never a reference to an earlier result: the harness
 * re-runs commands on a fresh model and system while it shrinks a failure, so a command must mean the same thing
 * whenever it runs after the same predecessors. To name something created earlier, say "the i-th record written"
 * and look it up in the model when the command runs. Records make good commands: their {@code toString} shows all
 * their data, which is what the failure report prints.
 *
 * <pre>{@code
 * record Pop() implements Command<Deque<Integer>, Deque<Integer>> {
 *     public boolean precondition(Deque<Integer> model) { return !model.isEmpty(); }
 *     public void run(Deque<Integer> model, Deque<Integer> system) {
 *         assertThat(system.pop()).isEqualTo(model.pop());
 *     }
 * }
 * }</pre>
 *
 * @param <M> the model type
 * @param <S> the type of the system under test
 */
public interface Command<M, S> {
    /**
     * Whether this command may run in the model's current state; if not, the harness skips it, both when it
     * generates sequences and when it shrinks them. Must not change the model. True by default.
     */
    default boolean precondition(M model) {
        return true;
    }

    /**
     * Runs this command on the system and on the model, and checks that the system's answer agrees with the
     * model's.
     *
     * @throws AssertionError if the system disagrees with the model; any other exception also fails the test
     */
    void run(M model, S system);

    /** A readable description of this command and all its data, printed in failure reports. */
    @Override
    String toString();
}
