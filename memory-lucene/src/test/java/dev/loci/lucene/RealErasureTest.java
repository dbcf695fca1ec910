package dev.loci.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.loci.Context;
import dev.loci.Embedding;
import dev.loci.Forget;
import dev.loci.Kind;
import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.MemoryRecord;
import dev.loci.Recall;
import dev.loci.Scope;
import dev.loci.Write;
import dev.loci.testkit.Canary;
import dev.loci.testkit.DiskScan;
import dev.loci.testkit.ErasureCheck;
import dev.loci.testkit.FakeClock;
import dev.loci.testkit.TestEmbedder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real erasure on the on-disk Lucene store: a canary (random tokens, the records that carry them, the vectors made
 * of them) is written for user "a", purged, and then looked for byte by byte in every file under the memory's
 * directory ({@link ErasureCheck}) and, in the index, in every stored field, term, doc value and vector of every
 * document, deleted ones included ({@link IndexInspection}). Each test first shows that both checks do find the
 * canary before the purge. Replay a failure with {@code -Dloci.test.seed=<seed printed in the failure>}.
 */
class RealErasureTest {
    private static final Scope A = Scope.user("a").agent("bot").session("s1");
    private static final Scope A_ELSEWHERE = Scope.user("a").agent("bot").session("s2");
    private static final Scope B = Scope.user("b").agent("bot").session("s1");

    private final long seed = Long.getLong("loci.test.seed", new SplittableRandom().nextLong());
    private final SplittableRandom random = new SplittableRandom(seed);

    @RegisterExtension
    final TestExecutionExceptionHandler printSeed = (context, failure) -> {
        throw new AssertionError("failed with seed " + seed + " (replay: -Dloci.test.seed=" + seed + ")", failure);
    };

    @TempDir
    Path tmp;
    private final FakeClock clock = new FakeClock();
    /** Which directory {@link #dir()} names: tests that repeat use a fresh one each round. */
    private int round;
    /** Four canary tokens, then one of user b's own. */
    private final List<String> tokens = Canary.randomTokens(random, 5);

    /** What {@link #writeConversation} wrote. */
    private record Conversation(MemoryRecord before, MemoryRecord canary, MemoryRecord reply, MemoryRecord followUp,
                                MemoryRecord bobs) {
    }

    @Test
    void purgingOneMessageLeavesNoTraceOfItOrOfItInTheContextOfTheMessagesAfterIt() throws IOException {
        Conversation c;
        Canary canary;
        List<String> exported;
        try (Memory memory = open()) {
            c = writeConversation(memory);
            memory.flush();
            canary = canaryOf(Set.of(c.canary().id()));
            assertThat(canary.vectors()).as("its text, it in its context, and the two contexts it is in").hasSize(4);
            assertFoundBeforePurge(canary, true);
            exported = export(memory);

            assertThat(memory.forget(A, Forget.ids(c.canary().id()).purge())).isEqualTo(1);
            assertErased(canary); // already, not only once closed
            assertNotFound(memory, A);
            assertRepliesKeptWithoutTheCanary(memory, c);
        }
        List<String> expected = without(exported, c.canary().id());
        assertThat(expected).hasSize(exported.size() - 1);
        assertErased(canary);
        try (Memory memory = open()) {
            assertNotFound(memory, A);
            assertRepliesKeptWithoutTheCanary(memory, c);
            assertThat(export(memory)).as("everything else is as it was").isEqualTo(expected);
        }
        assertErased(canary);
    }

    @Test
    void purgingAUserLeavesNoTraceOfItsRecordsAndKeepsEveryOtherUsersRecords() throws IOException {
        float[] supplied = new float[TestEmbedder.DEFAULT_DIMENSION];
        for (int i = 0; i < supplied.length; i++) {
            supplied[i] = (float) (random.nextDouble() * 2 - 1);
        }
        Canary canary;
        List<String> bobsBefore;
        List<String> aliceTexts = new ArrayList<>();
        try (Memory memory = open()) {
            Conversation c = writeConversation(memory);
            MemoryRecord own = memory.write(A_ELSEWHERE, Write.text("the spare key is under the pot " + tokens.get(3))
                    .embedding(new Embedding(new TestEmbedder().modelId(), supplied)));
            memory.flush();
            Set<String> ids = new HashSet<>();
            for (MemoryRecord record : IndexInspection.records(index())) {
                if (record.scope().user().equals("a")) {
                    ids.add(record.id());
                    aliceTexts.add(record.text());
                }
            }
            assertThat(ids).contains(c.canary().id(), c.reply().id(), own.id()).hasSize(7);
            canary = canary(tokens.subList(0, 4), ids, List.of(supplied));
            assertFoundBeforePurge(canary, true);
            assertThat(ErasureCheck.bytesLeft(dir(), canary))
                    .as("the caller's embedding, as float32 in the index and as base64 JSON in the journal")
                    .anyMatch(f -> f.startsWith("long-term") && f.endsWith("vector 0 (little-endian float32)"))
                    .anyMatch(f -> f.startsWith("journal") && f.endsWith("vector 0 as base64 (LITTLE_ENDIAN float32)"));
            bobsBefore = bobs(memory);
            assertThat(bobsBefore).hasSize(2);

            assertThat(memory.forget(Scope.user("a"), Forget.everything().purge())).isEqualTo(7);
            assertNotFound(memory, A);
            assertThat(bobs(memory)).isEqualTo(bobsBefore);
            assertThat(channels(memory.read(B, tokens.get(4)), c.bobs().id())).contains(Recall.LEXICAL);
        }
        assertErased(canary);
        for (String text : aliceTexts) {
            assertThat(DiskScan.filesContaining(dir(), text)).as(text).isEmpty();
        }
        try (Memory memory = open()) {
            assertThat(export(memory)).as("only b's records are left, as they were").isEqualTo(bobsBefore);
            assertNotFound(memory, A);
        }
        assertErased(canary);
    }

    @Test
    void aSegmentWhoseOnlyDeletedDocumentIsThePurgedOneIsRewritten() throws Exception {
        TestEmbedder embedder = TestEmbedder.gated();
        MemoryRecord secret;
        Canary canary;
        try (Memory memory = open(embedder)) {
            memory.write(A_ELSEWHERE, Write.text("a first fact, indexed alone").kind(Kind.FACT));
            assertThat(embedder.awaitDocumentCall(Duration.ofSeconds(30))).as("the indexer holds it").isTrue();
            for (int i = 0; i < 15; i++) { // queued behind it: indexed as one batch, one segment
                memory.write(A_ELSEWHERE, Write.text("fact " + i + " about the garden").kind(Kind.FACT));
            }
            secret = memory.write(A_ELSEWHERE, Write.text("the safe code is " + tokens.get(0)).kind(Kind.FACT));
            embedder.openGate();
            memory.flush();
            canary = canaryOf(Set.of(secret.id()));
            assertThat(IndexInspection.segmentSize(index(), secret.id()))
                    .as("the purge deletes 1 of its segment's 16 documents, under Lucene's default 10%").isEqualTo(16);
            assertFoundBeforePurge(canary, false);

            assertThat(memory.forget(A_ELSEWHERE, Forget.ids(secret.id()).purge())).isEqualTo(1);
        }
        assertErased(canary);
    }

    @ParameterizedTest
    @EnumSource(PurgeCrashChild.Point.class)
    void aPurgeStoppedByACrashIsFinishedOnReopen(PurgeCrashChild.Point point) {
        // Once, or loci.test.iterations times in a fresh directory each (a race with Lucene's merges showed up once
        // in 50 rounds).
        for (round = 0; round < Integer.getInteger("loci.test.iterations", 1); round++) {
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> purgeStoppedByACrashIsFinishedOnReopen(point),
                    "round " + round);
        }
    }

    private void purgeStoppedByACrashIsFinishedOnReopen(PurgeCrashChild.Point point) throws Exception {
        Conversation c;
        Canary canary;
        List<String> exported;
        try (Memory memory = open()) {
            c = writeConversation(memory);
            memory.flush();
            canary = canaryOf(Set.of(c.canary().id()));
            exported = export(memory);
        }
        purgeAndKill(c.canary().id(), point);
        assertThat(ErasureCheck.bytesLeft(dir().resolve("journal"), canary))
                .as("the crash came before the journal was rewritten").isNotEmpty();
        if (point == PurgeCrashChild.Point.BEFORE_STORE_COMMIT) {
            assertThat(IndexInspection.leftovers(index(), canary)).as("and before the store committed").isNotEmpty();
        } else {
            assertThat(IndexInspection.leftovers(index(), canary)).as("but after the store committed").isEmpty();
        }

        try (Memory memory = open()) {
            assertNotFound(memory, A);
            assertRepliesKeptWithoutTheCanary(memory, c);
            assertThat(export(memory)).isEqualTo(without(exported, c.canary().id()));
        }
        assertErased(canary);
    }

    // ---------------------------------------------------------------- the conversation and the canary

    /**
     * User a's session s1: two messages, the canary (tokens 0..2), a reply and a follow-up (so the canary is in the
     * context of both); one message of a's in another session; two of b's (one with token 4).
     */
    private Conversation writeConversation(Memory memory) {
        memory.write(A, "we planted tomatoes in the garden");
        MemoryRecord before = memory.write(A, "the tomatoes need water every morning");
        MemoryRecord canary = memory.write(A, "my locker code is " + tokens.get(0) + " and the alarm word is "
                + tokens.get(1) + " " + tokens.get(2));
        MemoryRecord reply = memory.write(A, "thanks, I will keep that somewhere safe");
        MemoryRecord followUp = memory.write(A, "anything else I should remember?");
        memory.write(A_ELSEWHERE, "the dentist appointment moved to Friday");
        MemoryRecord bobs = memory.write(B, "bob keeps his bike at the station with tag " + tokens.get(4));
        memory.write(B, "bob likes green tea in the afternoon");
        assertThat(reply.context()).isNotNull().extracting(Context::ids).isEqualTo(List.of(before.id(), canary.id()));
        assertThat(followUp.context()).isNotNull().extracting(Context::ids)
                .isEqualTo(List.of(canary.id(), reply.id()));
        return new Conversation(before, canary, reply, followUp, bobs);
    }

    /** Tokens 0..2 and these records, with every vector the index holds of them. */
    private Canary canaryOf(Set<String> ids) throws IOException {
        return canary(tokens.subList(0, 3), ids, List.of());
    }

    /**
     * These tokens and records, and the given vectors followed by every vector the index holds of the records: their
     * embeddings, and the context embeddings of the messages whose context names them.
     */
    private Canary canary(List<String> canaryTokens, Set<String> ids, List<float[]> first) throws IOException {
        List<float[]> vectors = new ArrayList<>(first);
        for (MemoryRecord record : IndexInspection.records(index())) {
            Context context = record.context();
            if (ids.contains(record.id())) {
                vectors.addAll(IndexInspection.vectorsOf(record));
            } else if (context != null && context.embedding() != null
                    && context.ids().stream().anyMatch(ids::contains)) {
                vectors.add(context.embedding().vector());
            }
        }
        return new Canary(canaryTokens, ids, vectors);
    }

    // ---------------------------------------------------------------- checks

    /**
     * The checks can fail: before the purge they find the canary in the index and in the journal; in the in-context
     * vectors too if it is in a conversation (a fact has no context embedding).
     */
    private void assertFoundBeforePurge(Canary canary, boolean inConversation) throws IOException {
        List<String> leftovers = IndexInspection.leftovers(index(), canary);
        assertThat(leftovers)
                .anyMatch(f -> f.contains("field json doc value of doc") && f.contains("holds '"
                        + canary.tokens().get(0) + "'"))
                .anyMatch(f -> f.contains("field textInContext term '" + canary.tokens().get(0) + "'"))
                .anyMatch(f -> f.contains("field text term '" + canary.tokens().get(0) + "'"))
                .anyMatch(f -> f.contains("field id term"))
                .anyMatch(f -> f.contains("field idValue doc value of doc"))
                .anyMatch(f -> f.contains("field vector vector of doc"))
                .anyMatch(f -> f.contains("stored record"));
        if (inConversation) {
            assertThat(leftovers).anyMatch(f -> f.contains("field vectorInContext vector of doc"));
        }
        assertThat(ErasureCheck.bytesLeft(dir(), canary))
                .anyMatch(f -> f.startsWith("journal") && f.contains("token '" + canary.tokens().get(0) + "'"))
                .anyMatch(f -> f.startsWith("journal") && f.contains("a record entry of"));
    }

    /** Nothing under the directory holds the canary: no byte, no stored field, term, doc value or vector. */
    private void assertErased(Canary canary) throws IOException {
        assertThat(ErasureCheck.bytesLeft(dir(), canary)).isEmpty();
        assertThat(IndexInspection.leftovers(index(), canary)).isEmpty();
    }

    /** No read finds a canary token, and no record read holds one (in its text or context). */
    private void assertNotFound(Memory memory, Scope scope) {
        for (String token : tokens.subList(0, 3)) {
            List<Recall> recalls = memory.read(scope, token);
            assertThat(recalls).as(token).allSatisfy(recall -> {
                assertThat(recall.record().toJson()).doesNotContain(token);
                assertThat(recall.channels()).extracting(Recall.Channel::name)
                        .doesNotContain(Recall.LEXICAL, Recall.LEXICAL_IN_CONTEXT);
            });
        }
    }

    /** The messages after the canary are still there, read in what is left of their context. */
    private static void assertRepliesKeptWithoutTheCanary(Memory memory, Conversation c) {
        Recall reply = memory.read(A, "keep that somewhere safe").getFirst();
        assertThat(reply.record().id()).isEqualTo(c.reply().id());
        assertThat(reply.record().text()).isEqualTo(c.reply().text());
        assertThat(reply.record().context()).isNotNull().extracting(Context::text).isEqualTo(c.before().text());
        Recall followUp = memory.read(A, "anything else I should remember").getFirst();
        assertThat(followUp.record().id()).isEqualTo(c.followUp().id());
        assertThat(followUp.record().context()).isNotNull().extracting(Context::text).isEqualTo(c.reply().text());
    }

    // ---------------------------------------------------------------- helpers

    private Memory open() {
        return open(new TestEmbedder());
    }

    private Memory open(TestEmbedder embedder) {
        return Loci.builder().directory(dir()).embedder(embedder).longTermStore(LuceneStore.onDisk())
                .clock(clock).manualTicks().build();
    }

    private Path dir() {
        return tmp.resolve("memory-" + round);
    }

    private Path index() {
        return dir().resolve("long-term");
    }

    private static List<String> export(Memory memory) {
        StringWriter out = new StringWriter();
        memory.exportTo(out);
        return out.toString().lines().toList();
    }

    /** The exported lines but the record with this id. */
    private static List<String> without(List<String> exported, String id) {
        return exported.stream().filter(line -> !MemoryRecord.fromJson(line).id().equals(id)).toList();
    }

    private static List<String> bobs(Memory memory) {
        return export(memory).stream().filter(line -> MemoryRecord.fromJson(line).scope().user().equals("b")).toList();
    }

    private static List<String> channels(List<Recall> recalls, String id) {
        return recalls.stream().filter(r -> r.record().id().equals(id))
                .flatMap(r -> r.channels().stream().map(Recall.Channel::name)).toList();
    }

    /** Runs {@link PurgeCrashChild} on the memory's directory and kills it (SIGKILL) where it stopped. */
    private void purgeAndKill(String id, PurgeCrashChild.Point point) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path childErr = tmp.resolve("child-" + point + "-" + round + ".err");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                PurgeCrashChild.class.getName(), dir().toString(), id, "a", point.name())
                .redirectError(childErr.toFile())
                .start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            if (!("stopped " + point).equals(line)) {
                child.waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError("the child printed " + line + " instead of stopping at " + point
                        + "; its stderr: " + Files.readString(childErr));
            }
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child was killed").isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as("exit value of the killed child").isNotZero();
    }
}
