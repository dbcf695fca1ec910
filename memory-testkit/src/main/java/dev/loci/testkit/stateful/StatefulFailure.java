package dev.loci.testkit.stateful;

import java.util.List;

/**
 * The failure {@link StatefulTest#check()} throws: its message holds the seed, the run, the shrunk command list
 * (numbered, one per line) and the failures; its cause is the shrunk sequence's failure, and the original
 * sequence's failure is attached as a suppressed exception. The accessors let a test inspect the same facts.
 * Immutable.
 */
public final class StatefulFailure extends AssertionError {
    private final long seed;
    private final int run;
    private final List<Command<?, ?>> commands;

    StatefulFailure(String message, Throwable cause, long seed, int run, List<? extends Command<?, ?>> commands) {
        super(message, cause);
        this.seed = seed;
        this.run = run;
        this.commands = List.copyOf(commands);
    }

    /** The seed that produced the failing run; pass it as {@code -Dloci.seed=<seed>} to replay. */
    public long seed() {
        return seed;
    }

    /** The failing run, counted from 1. */
    public int run() {
        return run;
    }

    /** The shrunk failing sequence, in order. */
    public List<Command<?, ?>> commands() {
        return commands;
    }
}
