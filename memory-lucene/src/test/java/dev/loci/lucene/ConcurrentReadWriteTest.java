package dev.loci.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loci.Forget;
import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.MemoryRecord;
import dev.loci.Query;
import dev.loci.Recall;
import dev.loci.Scope;
import dev.loci.State;
import dev.loci.testkit.TestEmbedder;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight writers and eight readers on one user's records at once: writers write, archive each other's records and
 * consolidate (every consolidation is a new version of each short-term record), readers read and check that no
 * record they see again has an older version than before. Afterwards: no write and no archive was lost. A watchdog
 * fails the test with every thread's stack if no thread finishes an operation for two minutes (a deadlock); the run
 * is bounded by a count of operations, not by time.
 */
class ConcurrentReadWriteTest {
    static final int THREADS = 8;
    static final int OPERATIONS = 100;
    static final Scope SHARED = Scope.user("shared");

    @TempDir
    Path dir;

    @Test
    void noLostUpdateNoReadGoingBackNoDeadlock() throws Exception {
        long seed = Long.getLong("loci.test.seed", new SplittableRandom().nextLong());
        int operations = OPERATIONS * Integer.getInteger("loci.test.iterations", 1);
        Map<String, String> written = new ConcurrentHashMap<>(); // id -> text
        Set<String> archived = ConcurrentHashMap.newKeySet();
        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong progress = new AtomicLong(); // operations done by all threads, for the watchdog
        try (Memory memory = Loci.builder().directory(dir).embedder(new TestEmbedder())
                .longTermStore(LuceneStore.onDisk()).manualTicks().build()) {
            ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < THREADS; w++) {
                SplittableRandom random = new SplittableRandom(seed + w);
                int writer = w;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < operations; i++) {
                        int choice = random.nextInt(10);
                        if (choice < 7 || ids.isEmpty()) {
                            String text = "writer " + writer + " wrote note " + i;
                            MemoryRecord record = memory.write(SHARED.session("s" + writer), text);
                            written.put(record.id(), text);
                            ids.add(record.id());
                        } else if (choice < 9) {
                            String id = ids.get(random.nextInt(ids.size()));
                            if (memory.forget(SHARED, Forget.ids(id).archive()) == 1) {
                                archived.add(id);
                            }
                        } else {
                            memory.consolidate(SHARED.session("s" + random.nextInt(THREADS)));
                        }
                        progress.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (int r = 0; r < THREADS; r++) {
                SplittableRandom random = new SplittableRandom(seed + THREADS + r);
                futures.add(pool.submit(() -> {
                    start.await();
                    Map<String, Long> seen = new HashMap<>();
                    for (int i = 0; i < operations; i++) {
                        Query query = Query.text("writer " + random.nextInt(THREADS) + " wrote note "
                                + random.nextInt(operations)).limit(1 + random.nextInt(10));
                        for (Recall recall : memory.read(SHARED, query)) {
                            MemoryRecord record = recall.record();
                            long before = seen.getOrDefault(record.id(), 0L);
                            assertThat(record.version()).as("version of %s after seeing v%d", record.id(), before)
                                    .isGreaterThanOrEqualTo(before);
                            seen.put(record.id(), record.version());
                        }
                        progress.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            pool.shutdown();
            try {
                // The watchdog: a deadlock makes no progress. (Not a bound on the run's length, which the long
                // profile multiplies by 50 on a machine that may be busy.)
                long last = -1;
                for (Future<?> future : futures) {
                    while (true) {
                        try {
                            future.get(2, TimeUnit.MINUTES);
                            break;
                        } catch (TimeoutException e) {
                            if (progress.get() == last) {
                                throw new AssertionError("no progress for 2 minutes (seed " + seed + "); threads:\n"
                                        + threads(), e);
                            }
                            last = progress.get();
                        }
                    }
                }
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError("a thread failed (replay with -Dloci.test.seed=" + seed + ")", e.getCause());
            } finally {
                pool.shutdownNow();
            }

            memory.flush();
            Map<String, MemoryRecord> latest = exported(memory);
            assertThat(latest.keySet()).as("every acknowledged write is there, nothing else")
                    .isEqualTo(written.keySet());
            latest.forEach((id, record) -> {
                assertThat(record.text()).isEqualTo(written.get(id));
                assertThat(record.state()).as("state of %s", id)
                        .isEqualTo(archived.contains(id) ? State.ARCHIVED : State.ACTIVE);
            });
        }
    }

    private static Map<String, MemoryRecord> exported(Memory memory) {
        StringWriter out = new StringWriter();
        memory.exportTo(out);
        return Arrays.stream(out.toString().split("\n")).filter(line -> !line.isBlank())
                .map(MemoryRecord::fromJson).collect(Collectors.toMap(MemoryRecord::id, r -> r));
    }

    private static String threads() {
        StringBuilder dump = new StringBuilder();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            dump.append(info);
        }
        return dump.toString();
    }
}
