package dev.loci.examples;

import dev.loci.Forget;
import dev.loci.Kind;
import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.Query;
import dev.loci.Recall;
import dev.loci.Scope;
import dev.loci.Write;
import java.nio.file.Path;

/** The README's twenty lines, compiled with the build so they stay true. */
public final class ReadmeExample {
    private ReadmeExample() {
    }

    public static void main(String[] args) {
        try (Memory memory = Loci.builder().directory(Path.of("agent-memory")).build()) { // offline defaults
            Scope alice = Scope.user("alice").agent("travel-bot").session("2026-11-25");
            memory.write(alice, "I'm allergic to peanuts");              // durable when it returns
            memory.write(alice, Write.text("I prefer window seats").kind(Kind.PREFERENCE));

            for (Recall hit : memory.read(alice, Query.text("what can't I eat?").limit(3))) {
                System.out.println(hit.record().text() + "  <- " + hit.explain()); // e.g. "semantic #1 (0.85)"
            }
            memory.consolidate(alice);                                   // session over: promote to long-term
            memory.forget(alice.userOnly(), Forget.everything().purge()); // and it is really gone
        }
    }
}
