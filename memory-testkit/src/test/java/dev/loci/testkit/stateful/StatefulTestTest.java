package dev.loci.testkit.stateful;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class StatefulTestTest {
    /** Tests that assert on a seed use this one unless -Dloci.seed overrides it for the whole run. */
    private static final long SEED = 42;

    /** Preconditions that a command found false when it ran: must stay zero. */
    private final AtomicInteger preconditionViolations = new AtomicInteger();
    private final AtomicInteger pops = new AtomicInteger();

    record Push(int value) implements Command<Deque<Integer>, Deque<Integer>> {
        @Override
        public void run(Deque<Integer> model, Deque<Integer> system) {
            model.push(value);
            system.push(value);
        }
    }

    final class Pop implements Command<Deque<Integer>, Deque<Integer>> {
        @Override
        public boolean precondition(Deque<Integer> model) {
            return !model.isEmpty();
        }

        @Override
        public void run(Deque<Integer> model, Deque<Integer> system) {
            if (model.isEmpty()) {
                preconditionViolations.incrementAndGet();
            }
            pops.incrementAndGet();
            assertThat(system.pop()).as("pop").isEqualTo(model.pop());
        }

        @Override
        public String toString() {
            return "Pop[]";
        }
    }

    /** A stack that loses its third push. */
    static final class DroppingStack extends ArrayDeque<Integer> {
        private int pushes;

        @Override
        public void push(Integer value) {
            if (++pushes != 3) {
                super.push(value);
            }
        }
    }

    /** Mostly pops, so that generation often draws a command whose precondition fails. */
    private StatefulTest.Builder<Deque<Integer>, Deque<Integer>> stack(Supplier<Deque<Integer>> system) {
        return StatefulTest.<Deque<Integer>, Deque<Integer>>builder(LinkedList::new, system)
                .commands((random, model) -> random.nextInt(3) == 0 ? new Push(random.nextInt()) : new Pop())
                .seed(SEED)
                .runs(5)
                .steps(40);
    }

    private static long expectedSeed() {
        return Long.getLong(StatefulTest.SEED_PROPERTY, SEED);
    }

    @Test
    void aCorrectSystemPassesEveryRun() {
        AtomicInteger systems = new AtomicInteger();
        AtomicInteger teardowns = new AtomicInteger();
        StatefulTest<Deque<Integer>, Deque<Integer>> test = stack(() -> {
            systems.incrementAndGet();
            return new ArrayDeque<>();
        })
                .invariant("same contents", (model, system) -> assertThat(system).containsExactlyElementsOf(model))
                .teardown(system -> teardowns.incrementAndGet())
                .build();

        test.check();

        assertThat(systems).hasValue(test.runs());
        assertThat(teardowns).hasValue(test.runs());
        assertThat(test.runs()).isEqualTo(5 * Integer.getInteger(StatefulTest.ITERATIONS_PROPERTY, 1));
        assertThat(pops).as("commands really ran").hasPositiveValue();
        assertThat(preconditionViolations).hasValue(0);
    }

    @Test
    void aBuggySystemFailsWithAShrunkReplayableSequence() {
        StatefulTest<Deque<Integer>, Deque<Integer>> test = stack(DroppingStack::new).build();

        StatefulFailure failure = catchThrowableOfType(StatefulFailure.class, test::check);

        assertThat(failure.commands()).hasSize(4);
        assertThat(failure.commands().subList(0, 3)).allMatch(c -> c instanceof Push);
        assertThat(failure.commands().get(3)).isInstanceOf(Pop.class);
        assertThat(failure.seed()).isEqualTo(expectedSeed());
        assertThat(failure.run()).isBetween(1, test.runs());
        Push third = (Push) failure.commands().get(2);
        assertThat(failure.getMessage())
                .contains("seed " + expectedSeed() + ", run " + failure.run() + " of " + test.runs())
                .contains("-Dloci.seed=" + expectedSeed())
                .containsPattern("Shrunk from \\d+ to 4 commands:\n")
                .containsPattern("\n {3}1\\. Push\\[value=-?\\d+]\n {3}2\\. Push\\[value=-?\\d+]\n"
                        + " {3}3\\. Push\\[value=-?\\d+]\n {3}4\\. Pop\\[]\n")
                .contains("Fails at step 4 (Pop[])")
                .contains("[pop]")
                .contains("expected: " + third.value())
                .contains("Original failure at step");
        assertThat(failure.getCause()).isInstanceOf(AssertionError.class);
        assertThat(preconditionViolations).as("preconditions respected while generating and shrinking").hasValue(0);
    }

    @Test
    void theSameSeedReproducesTheSameFailure() {
        String first = catchThrowableOfType(StatefulFailure.class, stack(DroppingStack::new).build()::check)
                .getMessage();
        String second = catchThrowableOfType(StatefulFailure.class, stack(DroppingStack::new).build()::check)
                .getMessage();

        assertThat(second).isEqualTo(first);
    }

    @Test
    void anInvariantCatchesTheBugEarlier() {
        StatefulTest<Deque<Integer>, Deque<Integer>> test = stack(DroppingStack::new)
                .invariant("same size", (model, system) -> assertThat(system).hasSameSizeAs(model))
                .build();

        StatefulFailure failure = catchThrowableOfType(StatefulFailure.class, test::check);

        assertThat(failure.commands()).hasSize(3).allMatch(c -> c instanceof Push);
        assertThat(failure.getMessage()).contains("Fails in invariant \"same size\" after step 3");
    }

    @Test
    void preconditionsAreRespectedWhenShrinking() {
        // With preconditions ignored, shrinking would reach the one-command sequence [Pop], which throws
        // NoSuchElementException on an empty system; the minimal sequence must instead keep its pushes.
        StatefulTest<Deque<Integer>, Deque<Integer>> test = StatefulTest
                .<Deque<Integer>, Deque<Integer>>builder(LinkedList::new, DroppingStack::new)
                .commands((random, model) -> random.nextInt(10) == 0 ? new Push(random.nextInt()) : new Pop())
                .seed(SEED)
                .steps(200)
                .build();

        StatefulFailure failure = catchThrowableOfType(StatefulFailure.class, test::check);

        assertThat(failure.commands()).hasSize(4);
        assertThat(failure.getCause()).isNotInstanceOf(NoSuchElementException.class);
        assertThat(preconditionViolations).hasValue(0);
    }

    @Test
    void replayRunsAReportedSequence() {
        StatefulTest<Deque<Integer>, Deque<Integer>> buggy = stack(DroppingStack::new).build();
        List<Command<Deque<Integer>, Deque<Integer>>> sequence =
                List.of(new Push(1), new Pop(), new Push(2), new Push(3), new Pop());

        assertThatThrownBy(() -> buggy.replay(sequence))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Replayed sequence fails at step 5 (Pop[])")
                .hasMessageContaining("expected: 3")
                .hasMessageContaining("   4. Push[value=3]\n   5. Pop[]\n");
        stack(ArrayDeque::new).build().replay(sequence); // the correct stack passes

        // a Pop whose precondition fails is skipped, not run
        stack(ArrayDeque::new).build().replay(List.of(new Pop(), new Push(5), new Pop(), new Pop()));
        assertThat(preconditionViolations).hasValue(0);
        assertThat(pops).hasValue(2 + 2 + 1);
    }

    @Test
    void anyExceptionFromTheSystemIsAFailure() {
        StatefulTest<Deque<Integer>, Deque<Integer>> test = stack(() -> new ArrayDeque<>() {
            @Override
            public Integer pop() {
                throw new IllegalStateException("boom");
            }
        }).build();

        StatefulFailure failure = catchThrowableOfType(StatefulFailure.class, test::check);

        assertThat(failure.commands()).hasSize(2);
        assertThat(failure.commands().get(0)).isInstanceOf(Push.class);
        assertThat(failure.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    }

    @Test
    void aFailingTeardownIsAFailure() {
        StatefulTest<Deque<Integer>, Deque<Integer>> test = stack(ArrayDeque::new)
                .commands((random, model) -> new Push(random.nextInt()))
                .teardown(system -> {
                    if (system.size() > 2) {
                        throw new IllegalStateException("cannot close with " + system.size() + " elements");
                    }
                })
                .build();

        StatefulFailure failure = catchThrowableOfType(StatefulFailure.class, test::check);

        assertThat(failure.commands()).hasSize(3).allMatch(c -> c instanceof Push);
        assertThat(failure.getMessage()).contains("Fails in teardown after step 3");
    }

    @Test
    void aFailureThatDoesNotRecurIsReportedUnshrunk() {
        AtomicInteger systems = new AtomicInteger();
        StatefulTest<Deque<Integer>, Deque<Integer>> test = stack(() -> systems.incrementAndGet() > 1
                ? new ArrayDeque<>()
                : new ArrayDeque<>() {
                    @Override
                    public void push(Integer value) {
                        throw new IllegalStateException("only the first system fails");
                    }
                }).build();

        StatefulFailure failure = catchThrowableOfType(StatefulFailure.class, test::check);

        assertThat(failure.getMessage())
                .contains("did not recur")
                .contains("unshrunk sequence of 1 commands:\n   1. Push[value=")
                .contains("only the first system fails");
        assertThat(failure.run()).isEqualTo(1);
        assertThat(failure.commands()).hasSize(1).allMatch(c -> c instanceof Push);
        assertThat(systems).hasValue(2);
    }

    @Test
    void theSeedPropertyOverridesTheBuilder() {
        String previous = System.getProperty(StatefulTest.SEED_PROPERTY);
        try {
            System.setProperty(StatefulTest.SEED_PROPERTY, "7");
            assertThat(stack(ArrayDeque::new).seed(99).build().seed()).isEqualTo(7);

            System.setProperty(StatefulTest.SEED_PROPERTY, "seven");
            assertThatThrownBy(() -> stack(ArrayDeque::new).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("loci.seed")
                    .hasMessageContaining("seven");
        } finally {
            if (previous == null) {
                System.clearProperty(StatefulTest.SEED_PROPERTY);
            } else {
                System.setProperty(StatefulTest.SEED_PROPERTY, previous);
            }
        }
    }

    @Test
    void buildNamesTheBadSetting() {
        var noCommands = StatefulTest.<Deque<Integer>, Deque<Integer>>builder(LinkedList::new, ArrayDeque::new);
        assertThatThrownBy(noCommands::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("commands");
        assertThatThrownBy(() -> stack(ArrayDeque::new).steps(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("steps must be at least 1, was 0");
        assertThatThrownBy(() -> stack(ArrayDeque::new).runs(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("runs must be at least 1, was -1");
        assertThatThrownBy(() -> stack(ArrayDeque::new).invariant("x", (m, s) -> { }).invariant("x", (m, s) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"x\"");
    }
}
