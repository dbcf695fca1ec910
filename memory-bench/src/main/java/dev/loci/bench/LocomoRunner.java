package dev.loci.bench;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.loci.Kind;
import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.Query;
import dev.loci.Recall;
import dev.loci.Scope;
import dev.loci.Write;
import dev.loci.bench.Locomo.Conversation;
import dev.loci.bench.Locomo.Question;
import dev.loci.bench.Locomo.Turn;
import dev.loci.bench.perf.TempDirs;
import dev.loci.spi.Embedder;
import dev.loci.spi.LongTermStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Runs the LoCoMo evaluation: per conversation a fresh memory in a temporary directory (deleted afterwards) whose
 * user is the sample id; every turn written as a {@link Kind#MESSAGE} to its session's scope ({@code session_N}, as a
 * chat application would) at its session's date, with the speaker in metadata and the dia_id in {@code sourceIds};
 * then {@code consolidate} of the user and {@code flush}; then every question of categories 1–4 with usable evidence
 * asked with {@code read} of the user (which sees every session).
 *
 * <p>Two reads per question: one with {@code limit = max k} for recall and hit (the timed one), and, if budgets are
 * measured, one for budgeted recall with {@code limit = }{@value #BUDGET_LIMIT}, repeated with four times the limit
 * while the results do not overflow the largest budget (so the budget, not the limit, always decides what is taken);
 * a separate read because the memory's candidate pool grows with the limit, so the limit may change the fused
 * order.
 *
 * <p>Not thread-safe; {@link #run} blocks for the whole evaluation.
 */
final class LocomoRunner {
    /** The first limit of the budget read: conversation turns average about 20 words, so 64 hold over 1,000. */
    static final int BUDGET_LIMIT = 64;

    private final @Nullable Embedder embedder;
    private final LongTermStore.Factory store;
    private final Path tempRoot;

    /**
     * @param embedder the embedder, or null for the one {@code Loci.builder()} finds on the class path
     * @param store    the long-term store (before the config's channel switches)
     * @param tempRoot where the per-conversation memories are created (and deleted)
     */
    LocomoRunner(@Nullable Embedder embedder, LongTermStore.Factory store, Path tempRoot) {
        this.embedder = embedder;
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.tempRoot = Objects.requireNonNull(tempRoot, "tempRoot must not be null");
    }

    Scoreboard run(List<Conversation> conversations, BenchConfig config, List<Integer> ks, List<Integer> budgets) {
        Scoreboard board = new Scoreboard(ks, budgets);
        int maxK = ks.stream().mapToInt(Integer::intValue).max().orElseThrow();
        int largestBudget = budgets.stream().mapToInt(Integer::intValue).max().orElse(0);
        for (Conversation conversation : conversations) {
            runOne(conversation, config, board, maxK, largestBudget);
        }
        return board;
    }

    private void runOne(Conversation conversation, BenchConfig config, Scoreboard board, int maxK, int largestBudget) {
        Path directory;
        try {
            directory = Files.createTempDirectory(tempRoot, "loci-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory under " + tempRoot, e);
        }
        try {
            Loci.Builder builder = Loci.builder().directory(directory).manualTicks()
                    .longTermStore(config.wrap(store));
            if (embedder != null) {
                builder.embedder(embedder);
            }
            try (Memory memory = builder.build()) {
                Scope scope = Scope.user(conversation.sampleId());
                ingest(memory, scope, conversation, directory, board);
                ask(memory, scope, conversation, config, board, maxK, largestBudget);
            }
        } finally {
            deleteRecursively(directory);
        }
    }

    private static void ingest(Memory memory, Scope scope, Conversation conversation, Path directory,
                               Scoreboard board) {
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        for (Turn turn : conversation.turns()) {
            Write write = Write.text(turn.memoryText()).kind(Kind.MESSAGE).occurredAt(turn.occurredAt())
                    .metadata(Map.of("speaker", TextNode.valueOf(turn.speaker()))).sourceIds(turn.diaId());
            long before = System.nanoTime();
            memory.write(scope.session(turn.session()), write);
            board.write(System.nanoTime() - before);
        }
        memory.consolidate(scope);
        memory.flush();
        long wall = System.nanoTime() - start;
        board.ingested(conversation.turns().size(), wall, processCpuNanos() - cpuStart, TempDirs.size(directory));
    }

    private static void ask(Memory memory, Scope scope, Conversation conversation, BenchConfig config,
                            Scoreboard board, int maxK, int largestBudget) {
        Set<String> turnIds = conversation.turns().stream().map(Turn::diaId).collect(Collectors.toSet());
        for (Question question : conversation.questions()) {
            if (question.category() == 5) {
                board.skippedCategory();
                continue;
            }
            List<String> evidence = EvidenceRepair.repair(question.evidence(), turnIds);
            if (evidence.isEmpty()) {
                board.skippedNoEvidence();
                continue;
            }
            long before = System.nanoTime();
            List<Recall> recalls = memory.read(scope, Query.text(question.text()).limit(maxK));
            board.read(System.nanoTime() - before);
            List<Scoring.Ranked> ranking = ranked(recalls, config);
            List<Scoring.Ranked> budgetRanking = largestBudget == 0 ? List.of()
                    : budgetRanking(memory, scope, question.text(), config, largestBudget);
            board.score(question.category(), ranking, budgetRanking, evidence);
        }
    }

    /** A ranking long enough to overflow the budget, or everything the memory has for the question. */
    private static List<Scoring.Ranked> budgetRanking(Memory memory, Scope scope, String question, BenchConfig config,
                                                      int budgetWords) {
        int limit = BUDGET_LIMIT;
        while (true) {
            List<Scoring.Ranked> ranking = ranked(memory.read(scope, Query.text(question).limit(limit)), config);
            int words = ranking.stream().mapToInt(Scoring.Ranked::words).sum();
            if (words > budgetWords || ranking.size() < limit || limit == Query.MAX_LIMIT) {
                return ranking;
            }
            limit = Math.min(Query.MAX_LIMIT, limit * 4);
        }
    }

    /**
     * The ranking the metrics see. Checks that only the config's store channels answered: after consolidate and
     * flush every record is long-term and indexed, so a short-term hit would mean the run measures something else.
     */
    static List<Scoring.Ranked> ranked(List<Recall> recalls, BenchConfig config) {
        Set<String> allowed = config.storeChannels();
        for (Recall recall : recalls) {
            Set<String> names = new HashSet<>();
            recall.channels().forEach(c -> names.add(c.name()));
            if (!allowed.containsAll(names)) {
                throw new IllegalStateException("config " + config.configName() + " expects channels " + allowed
                        + " but a recall came from " + names);
            }
        }
        return recalls.stream().map(r -> new Scoring.Ranked(r.record().sourceIds(),
                Scoring.words(r.record().text()))).toList();
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the temporary memory " + directory, e);
        }
    }
}
