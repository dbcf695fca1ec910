package dev.loci.examples;

import dev.loci.Consolidation;
import dev.loci.Forget;
import dev.loci.Kind;
import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.Query;
import dev.loci.Recall;
import dev.loci.Scope;
import dev.loci.Write;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The README's demo: two users talk to an assistant over three sessions a week apart; the memory answers questions
 * across sessions, promotes what it learned to long-term memory, survives a restart, and forgets one user
 * completely.
 *
 * <p>It uses only the public API and the defaults found on the class path (the Lucene store and the offline e5
 * embedder). Run it with {@code mvn -B -q -pl memory-examples -am package -DskipTests exec:java}; pass a directory
 * to keep the memory there, otherwise a temporary directory is used and deleted at the end.
 */
public final class Demo {
    private static final Kind PLAN = Kind.of("PLAN");
    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    private static final int SESSIONS = 3;

    /** One thing a user said in a session (1-based). */
    private record Turn(String user, int session, Kind kind, String text) {
    }

    private static final List<Turn> SCRIPT = List.of(
            new Turn("alice", 1, Kind.FACT, "My name is Alice and I work as a nurse in Lyon."),
            new Turn("alice", 1, Kind.FACT, "I'm allergic to peanuts, even a trace makes me ill."),
            new Turn("bob", 1, Kind.FACT, "I'm Bob, I teach chemistry at a high school in Leeds."),
            new Turn("bob", 1, Kind.PREFERENCE, "I take my coffee black, no sugar, no milk."),
            new Turn("alice", 2, Kind.PREFERENCE, "I prefer window seats on long flights."),
            new Turn("alice", 2, PLAN, "I'm planning a trip to Kyoto in April to see the cherry blossoms."),
            new Turn("bob", 2, PLAN, "I'm training for the Berlin marathon in September."),
            new Turn("bob", 2, Kind.FACT, "My left knee hurts after long runs."),
            new Turn("alice", 3, Kind.FACT, "My sister Claire is coming with me to Kyoto."),
            new Turn("alice", 3, Kind.PREFERENCE, "Please book vegetarian meals whenever I travel."),
            new Turn("bob", 3, Kind.PREFERENCE, "Send my reminders at 7am, never later."),
            new Turn("bob", 3, Kind.FACT, "My daughter Emma starts university in Manchester in October."));

    private final Path directory;
    private final PrintStream out;
    private final DemoClock clock = new DemoClock(START);

    private Demo(Path directory, PrintStream out) {
        this.directory = directory;
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        if (args.length > 1) {
            System.err.println("usage: Demo [memory-directory]");
            System.exit(2);
        }
        if (args.length == 1) {
            run(Path.of(args[0]), System.out);
            return;
        }
        Path directory = Files.createTempDirectory("loci-demo-");
        try {
            run(directory, System.out);
        } finally {
            deleteRecursively(directory);
        }
    }

    /**
     * Plays the demo in {@code directory} (which should be empty or missing), printing to {@code out}.
     *
     * @throws IllegalStateException if the memory did not keep one of its promises (an answer lost on restart, a
     *                               forgotten user still readable or still on disk)
     */
    public static void run(Path directory, PrintStream out) {
        new Demo(directory, out).play();
    }

    private void play() {
        long started = System.nanoTime();
        out.println("Opening a memory in " + directory + " (the embedding model loads on first use, about a second)");
        List<String> before;
        try (Memory memory = open()) {
            converse(memory);
            ask(memory, "alice", "Who is travelling with me, and where to?");
            promoteByAge(memory);
            before = ids(ask(memory, "alice", "Which foods am I allergic to?"));
            ask(memory, "bob", "How do I like my coffee?");
            ask(memory, "bob", "What race am I training for?");
        }

        out.println();
        out.println("Closing the memory and opening it again from " + directory + "...");
        try (Memory memory = open()) {
            List<String> after = ids(ask(memory, "alice", "Which foods am I allergic to?"));
            expect(!after.isEmpty() && after.equals(before), "after reopening, alice's answers changed from "
                    + before + " to " + after);
            out.println("  (the same answers as before the restart)");
            forgetBob(memory);
            ask(memory, "alice", "Where am I going in April?");
        }
        out.printf("%nDone in %.1f s.%n", (System.nanoTime() - started) / 1e9);
    }

    private Memory open() {
        return Loci.builder().directory(directory).clock(clock).manualTicks().build();
    }

    private void converse(Memory memory) {
        out.println("Writing " + SCRIPT.size() + " messages for alice and bob over " + SESSIONS
                + " sessions, a week apart...");
        for (int session = 1; session <= SESSIONS; session++) {
            String sessionId = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
            out.println();
            out.println("Session " + session + " (" + sessionId + ")");
            for (Turn turn : SCRIPT) {
                if (turn.session() == session) {
                    memory.write(Scope.user(turn.user()).session(sessionId),
                            Write.text(turn.text()).kind(turn.kind()));
                    out.printf("  %-5s says: %s%n", turn.user(), turn.text());
                    clock.advance(Duration.ofMinutes(2));
                }
            }
            if (session < SESSIONS) {
                for (String user : List.of("alice", "bob")) {
                    Consolidation done = memory.consolidate(Scope.user(user).session(sessionId));
                    out.printf("  Session over for %s: %d promoted to long-term memory, %d faded.%n", user,
                            done.promoted(), done.faded());
                }
                clock.advance(Duration.ofDays(7));
            } else {
                out.println("  (this session is left open: its messages stay in short-term memory for now)");
            }
        }
        memory.flush(); // wait until the long-term store has indexed everything, so the answers below are complete
    }

    private List<Recall> ask(Memory memory, String user, String question) {
        out.println();
        out.println("Question (" + user + "): " + question);
        List<Recall> answers = memory.read(Scope.user(user), Query.text(question).limit(3));
        if (answers.isEmpty()) {
            out.println("  (nothing: the memory holds nothing for " + user + ")");
        }
        for (int i = 0; i < answers.size(); i++) {
            Recall answer = answers.get(i);
            out.printf("  %d. %s%n     [%s, %s] found by %s%n", i + 1, answer.record().text(),
                    answer.record().kind(), tierName(answer), answer.explain());
        }
        return answers;
    }

    private static List<String> ids(List<Recall> answers) {
        return answers.stream().map(r -> r.record().id()).toList();
    }

    private void promoteByAge(Memory memory) {
        out.println();
        clock.advance(Duration.ofHours(2));
        Consolidation done = memory.scheduler().tick();
        out.printf("Two hours later the scheduler ticks: %d short-term messages were old enough to be promoted,"
                + " %d faded.%n", done.promoted(), done.faded());
        memory.flush();
    }

    private void forgetBob(Memory memory) {
        out.println();
        out.println("Bob asks to be forgotten: forget(Scope.user(\"bob\"), Forget.everything().purge())");
        int forgotten = memory.forget(Scope.user("bob"), Forget.everything().purge());
        out.println("  " + forgotten + " records purged.");
        List<Recall> answers = ask(memory, "bob", "How do I like my coffee?");
        expect(answers.isEmpty(), "bob was forgotten but a read as bob returned " + answers.size() + " records");

        List<String> bobSaid = SCRIPT.stream().filter(t -> t.user().equals("bob")).map(Turn::text).toList();
        List<String> leftovers = filesContaining(bobSaid);
        out.println();
        if (leftovers.isEmpty()) {
            out.println("Searched every file under " + directory + " for bob's " + bobSaid.size()
                    + " sentences: none of them is there any more.");
        } else {
            out.println("Bob's words are still on disk in: " + leftovers);
        }
        expect(leftovers.isEmpty(), "bob was purged but his sentences remain in " + leftovers);
    }

    /** The files under the directory whose bytes hold one of the sentences in UTF-8. */
    private List<String> filesContaining(List<String> sentences) {
        // Latin-1 maps every byte to one char, so a byte search becomes a String search.
        List<String> needles = sentences.stream()
                .map(s -> new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)).toList();
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                if (needles.stream().anyMatch(content::contains)) {
                    found.add(directory.relativize(file).toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not search " + directory, e);
        }
        return found;
    }

    private static String tierName(Recall recall) {
        return switch (recall.record().tier()) {
            case SHORT_TERM -> "short-term";
            case LONG_TERM -> "long-term";
        };
    }

    private static void expect(boolean condition, String failure) {
        if (!condition) {
            throw new IllegalStateException("The demo failed: " + failure);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
