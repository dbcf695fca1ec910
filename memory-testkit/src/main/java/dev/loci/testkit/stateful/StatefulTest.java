package dev.loci.testkit.stateful;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * A stateful model test: {@link #check()} runs random sequences of {@link Command commands} on a fresh system under
 * test and a fresh model, checking named invariants after every step. On the first failure it shrinks the sequence
 * by deleting commands (chunks, then single ones), re-running each candidate from a fresh model and system and
 * skipping commands whose precondition does not hold, until no single command can be deleted without the failure
 * going away. It then throws a {@link StatefulFailure} that prints the seed, the run and the shrunk sequence.
 *
 * <p>Randomness: each check uses one seed — the system property {@value #SEED_PROPERTY} if set, else the builder's
 * {@link Builder#seed(long)}, else a fresh random one — so a failure replays with {@code -Dloci.seed=<seed>}. The
 * number of runs is {@link Builder#runs(int)} times the system property {@value #ITERATIONS_PROPERTY} (1 by
 * default), so a long test profile explores more without code changes.
 *
 * <p>Immutable and thread-safe to share, but {@link #check()} and {@link #replay(List)} run the commands on the
 * calling thread and block until done. The harness assumes that the model and the commands are deterministic; the
 * system need not be, but shrinking works best when it is.
 *
 * @param <M> the model type
 * @param <S> the type of the system under test
 */
public final class StatefulTest<M, S> {
    /** The system property that overrides the seed of every check. */
    public static final String SEED_PROPERTY = "loci.seed";
    /** The system property that multiplies the number of runs. */
    public static final String ITERATIONS_PROPERTY = "loci.test.iterations";
    /** Runs per iteration unless {@link Builder#runs(int)} says otherwise. */
    public static final int DEFAULT_RUNS = 10;
    /** Longest sequence unless {@link Builder#steps(int)} says otherwise. */
    public static final int DEFAULT_STEPS = 50;

    /** How many sequences shrinking may replay, unless {@link Builder#maxShrinkReplays(int)} says otherwise. */
    public static final int DEFAULT_SHRINK_REPLAYS = 2_000;
    /** How often generation draws a command whose precondition fails before it ends the run early. */
    static final int GENERATION_ATTEMPTS = 100;

    /**
     * Draws the next command of a run. It sees the current model, so it can pick commands that make sense now; it
     * must not change the model. A command whose precondition fails is drawn again.
     *
     * @param <M> the model type
     * @param <S> the type of the system under test
     */
    @FunctionalInterface
    public interface Generator<M, S> {
        Command<M, S> next(RandomGenerator random, M model);
    }

    private final Supplier<? extends M> model;
    private final Supplier<? extends S> system;
    private final Consumer<? super S> teardown;
    private final Generator<M, S> generator;
    private final List<Invariant<M, S>> invariants;
    private final int steps;
    private final int runs;
    private final int maxShrinkReplays;
    private final long seed;

    private StatefulTest(Builder<M, S> builder, Generator<M, S> generator, int runs, long seed) {
        this.model = builder.model;
        this.system = builder.system;
        this.teardown = builder.teardown;
        this.generator = generator;
        this.invariants = List.copyOf(builder.invariants);
        this.steps = builder.steps;
        this.maxShrinkReplays = builder.maxShrinkReplays;
        this.runs = runs;
        this.seed = seed;
    }

    /**
     * Starts a stateful test of the systems made by {@code system} against the models made by {@code model}. Both
     * suppliers are called once per run and once per shrinking attempt and must return fresh, independent objects.
     *
     * @throws NullPointerException if either supplier is null
     */
    public static <M, S> Builder<M, S> builder(Supplier<? extends M> model, Supplier<? extends S> system) {
        return new Builder<>(model, system);
    }

    /** The seed this test's {@link #check()} uses. */
    public long seed() {
        return seed;
    }

    /** How many sequences {@link #check()} runs: the builder's runs times {@value #ITERATIONS_PROPERTY}. */
    public int runs() {
        return runs;
    }

    /**
     * Runs the configured number of random sequences; returns normally if all of them pass.
     *
     * @throws StatefulFailure if a sequence fails: a command or an invariant threw (an {@link AssertionError} or any
     *                         other exception), or the teardown did
     */
    public void check() {
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int run = 1; run <= runs; run++) {
            SplittableRandom random = seeds.split();
            int[] drawn = {0};
            Outcome<M, S> outcome = execute(m -> drawn[0]++ < steps ? draw(random, m) : null);
            if (outcome.failure() != null) {
                throw report(run, outcome);
            }
        }
    }

    /**
     * Runs {@code commands} in order on a fresh model and system, skipping any whose precondition does not hold and
     * checking the invariants after each step. Use it to turn a reported failure into a plain regression test.
     *
     * @throws AssertionError if a command, an invariant or the teardown fails; the message lists the commands run
     */
    public void replay(List<? extends Command<M, S>> commands) {
        Outcome<M, S> outcome = replayOutcome(List.copyOf(commands));
        Failure failure = outcome.failure();
        if (failure != null) {
            throw new AssertionError("Replayed sequence fails " + failure.where() + ": " + failure.error() + "\n"
                    + numbered(outcome.executed()), failure.error());
        }
    }

    /** Runs {@code commands} in order on a fresh model and system, skipping those whose precondition fails. */
    private Outcome<M, S> replayOutcome(List<? extends Command<M, S>> commands) {
        Iterator<? extends Command<M, S>> it = commands.iterator();
        return execute(m -> nextRunnable(it, m));
    }

    private @Nullable Command<M, S> draw(RandomGenerator random, M m) {
        for (int attempt = 0; attempt < GENERATION_ATTEMPTS; attempt++) {
            Command<M, S> command = Objects.requireNonNull(generator.next(random, m), "generator returned null");
            if (command.precondition(m)) {
                return command;
            }
        }
        return null;
    }

    private static <M, S> @Nullable Command<M, S> nextRunnable(Iterator<? extends Command<M, S>> it, M m) {
        while (it.hasNext()) {
            Command<M, S> command = it.next();
            if (command.precondition(m)) {
                return command;
            }
        }
        return null;
    }

    /**
     * Runs commands from {@code next} (which returns a command whose precondition holds, or null to stop) on a
     * fresh model and system until one fails or {@code next} stops, then tears the system down.
     */
    private Outcome<M, S> execute(Function<M, @Nullable Command<M, S>> next) {
        M m = Objects.requireNonNull(model.get(), "model supplier returned null");
        S s = Objects.requireNonNull(system.get(), "system supplier returned null");
        List<Command<M, S>> executed = new ArrayList<>();
        Failure failure = null;
        try {
            failure = checkInvariants(m, s, 0);
            Command<M, S> command;
            while (failure == null && (command = next.apply(m)) != null) {
                executed.add(command);
                try {
                    command.run(m, s);
                    failure = checkInvariants(m, s, executed.size());
                } catch (Exception | AssertionError e) {
                    failure = new Failure("at step " + executed.size() + " (" + command + ")", e);
                }
            }
        } finally {
            try {
                teardown.accept(s);
            } catch (Exception | AssertionError e) {
                if (failure == null) {
                    failure = new Failure("in teardown after step " + executed.size(), e);
                }
            }
        }
        return new Outcome<>(List.copyOf(executed), failure);
    }

    private @Nullable Failure checkInvariants(M m, S s, int step) {
        for (Invariant<M, S> invariant : invariants) {
            try {
                invariant.check().accept(m, s);
            } catch (Exception | AssertionError e) {
                String when = step == 0 ? "before the first step" : "after step " + step;
                return new Failure("in invariant \"" + invariant.name() + "\" " + when, e);
            }
        }
        return null;
    }

    private StatefulFailure report(int run, Outcome<M, S> original) {
        Failure originalFailure = Objects.requireNonNull(original.failure());
        Outcome<M, S> shrunk = shrink(original);
        Failure shrunkFailure = shrunk.failure();
        boolean reproduced = shrunkFailure != null;
        Outcome<M, S> shown = reproduced ? shrunk : original;
        Failure failure = reproduced ? shrunkFailure : originalFailure;

        StringBuilder message = new StringBuilder()
                .append("Stateful test failed: seed ").append(seed)
                .append(", run ").append(run).append(" of ").append(runs)
                .append(" (replay with -D").append(SEED_PROPERTY).append('=').append(seed).append(")\n");
        if (reproduced) {
            message.append("Shrunk from ").append(original.executed().size()).append(" to ")
                    .append(shown.executed().size()).append(" commands:\n");
        } else {
            message.append("The failure did not recur when the sequence was replayed (is the system or the model"
                    + " non-deterministic?); the unshrunk sequence of ").append(original.executed().size())
                    .append(" commands:\n");
        }
        message.append(numbered(shown.executed()))
                .append("Fails ").append(failure.where()).append(": ").append(failure.error()).append('\n')
                .append("Original failure ").append(originalFailure.where()).append(": ")
                .append(originalFailure.error());
        StatefulFailure thrown = new StatefulFailure(message.toString(), failure.error(), seed, run, shown.executed());
        if (failure.error() != originalFailure.error()) {
            thrown.addSuppressed(originalFailure.error());
        }
        return thrown;
    }

    /**
     * Deletes commands from a failing sequence while it still fails: chunks of half the length, then quarters, and
     * so on down to single commands, repeated until a whole pass deletes nothing or the replay budget is spent.
     * Returns the shortest failing outcome, or a passing one if the original failure does not recur.
     */
    private Outcome<M, S> shrink(Outcome<M, S> original) {
        Outcome<M, S> current = replayOutcome(original.executed());
        int replays = 1;
        boolean progress = current.failure() != null;
        while (progress && replays < maxShrinkReplays) {
            progress = false;
            for (int chunk = Math.max(1, current.executed().size() / 2); chunk >= 1; chunk /= 2) {
                int start = 0;
                while (start < current.executed().size() && replays < maxShrinkReplays) {
                    List<Command<M, S>> candidate = new ArrayList<>(current.executed());
                    candidate.subList(start, Math.min(start + chunk, candidate.size())).clear();
                    Outcome<M, S> attempt = replayOutcome(candidate);
                    replays++;
                    if (attempt.failure() != null) {
                        current = attempt;
                        progress = true;
                    } else {
                        start += chunk;
                    }
                }
            }
        }
        return current;
    }

    private static String numbered(List<? extends Command<?, ?>> commands) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < commands.size(); i++) {
            out.append(String.format("%4d. %s\n", i + 1, commands.get(i)));
        }
        return out.toString();
    }

    private record Failure(String where, Throwable error) {
    }

    private record Invariant<M, S>(String name, BiConsumer<? super M, ? super S> check) {
    }

    private record Outcome<M, S>(List<Command<M, S>> executed, @Nullable Failure failure) {
    }

    /**
     * Settings of a {@link StatefulTest}. Setters reject null at once; {@link #build()} checks the values and fails
     * naming the setting at fault. Not thread-safe.
     *
     * @param <M> the model type
     * @param <S> the type of the system under test
     */
    public static final class Builder<M, S> {
        private final Supplier<? extends M> model;
        private final Supplier<? extends S> system;
        private Consumer<? super S> teardown = s -> { };
        private @Nullable Generator<M, S> generator;
        private final List<Invariant<M, S>> invariants = new ArrayList<>();
        private int steps = DEFAULT_STEPS;
        private int runs = DEFAULT_RUNS;
        private int maxShrinkReplays = DEFAULT_SHRINK_REPLAYS;
        private OptionalLong seed = OptionalLong.empty();

        private Builder(Supplier<? extends M> model, Supplier<? extends S> system) {
            this.model = Objects.requireNonNull(model, "model supplier must not be null");
            this.system = Objects.requireNonNull(system, "system supplier must not be null");
        }

        /** How the next command is drawn. Required. */
        public Builder<M, S> commands(Generator<M, S> generator) {
            this.generator = Objects.requireNonNull(generator, "generator must not be null");
            return this;
        }

        /** Called with each system when its sequence ends, pass or fail (e.g. {@code Memory::close}). */
        public Builder<M, S> teardown(Consumer<? super S> teardown) {
            this.teardown = Objects.requireNonNull(teardown, "teardown must not be null");
            return this;
        }

        /**
         * A check run before the first step and after every step; it throws (e.g. an {@link AssertionError}) when
         * the system and the model disagree. Invariants run in the order added; names must be distinct.
         */
        public Builder<M, S> invariant(String name, BiConsumer<? super M, ? super S> check) {
            Objects.requireNonNull(name, "invariant name must not be null");
            Objects.requireNonNull(check, "invariant check must not be null");
            if (name.isBlank() || invariants.stream().anyMatch(i -> i.name().equals(name))) {
                throw new IllegalArgumentException("invariant name must be non-blank and distinct, was \""
                        + name + "\"");
            }
            invariants.add(new Invariant<>(name, check));
            return this;
        }

        /** The longest sequence of one run, at least 1; {@value StatefulTest#DEFAULT_STEPS} by default. */
        public Builder<M, S> steps(int steps) {
            this.steps = steps;
            return this;
        }

        /**
         * Runs per iteration, at least 1; {@value StatefulTest#DEFAULT_RUNS} by default. A check makes
         * {@code runs * loci.test.iterations} runs.
         */
        public Builder<M, S> runs(int runs) {
            this.runs = runs;
            return this;
        }

        /**
         * How many sequences shrinking may replay before it reports the shortest failing one found so far, at
         * least 1; {@value StatefulTest#DEFAULT_SHRINK_REPLAYS} by default. Lower it when one run is slow.
         */
        public Builder<M, S> maxShrinkReplays(int replays) {
            this.maxShrinkReplays = replays;
            return this;
        }

        /** The seed, unless the system property {@value StatefulTest#SEED_PROPERTY} overrides it. */
        public Builder<M, S> seed(long seed) {
            this.seed = OptionalLong.of(seed);
            return this;
        }

        /**
         * The test.
         *
         * @throws IllegalStateException    if {@link #commands} was not set
         * @throws IllegalArgumentException naming the setting or system property whose value is out of range
         */
        public StatefulTest<M, S> build() {
            if (generator == null) {
                throw new IllegalStateException("commands(generator) must be set");
            }
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be at least 1, was " + steps);
            }
            if (runs < 1) {
                throw new IllegalArgumentException("runs must be at least 1, was " + runs);
            }
            if (maxShrinkReplays < 1) {
                throw new IllegalArgumentException("maxShrinkReplays must be at least 1, was " + maxShrinkReplays);
            }
            long iterations = parseProperty(ITERATIONS_PROPERTY, 1);
            if (iterations < 1 || runs * iterations > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("system property " + ITERATIONS_PROPERTY
                        + " must be at least 1 and runs * iterations an int, was " + iterations);
            }
            long fallback = seed.orElseGet(() -> new SplittableRandom().nextLong());
            return new StatefulTest<>(this, generator, (int) (runs * iterations),
                    parseProperty(SEED_PROPERTY, fallback));
        }

        private static long parseProperty(String name, long fallback) {
            String value = System.getProperty(name);
            if (value == null || value.isBlank()) {
                return fallback;
            }
            try {
                return Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("system property " + name + " must be a whole number, was \""
                        + value + "\"", e);
            }
        }
    }
}
