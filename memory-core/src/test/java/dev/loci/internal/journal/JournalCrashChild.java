package dev.loci.internal.journal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link JournalCrashTest}: opens the journal in sync mode and appends from two threads until
 * killed, printing {@code <sequence> <payload>} for every acknowledged append.
 */
public final class JournalCrashChild {
    private JournalCrashChild() {
    }

    static String payload(int thread, int i) {
        return "t" + thread + "-" + i + "-" + "x".repeat(i % 97);
    }

    public static void main(String[] args) throws InterruptedException {
        Journal journal = Journal.open(Path.of(args[0]), Journal.Options.sync().withSegmentBytes(Long.parseLong(args[1])));
        Thread[] threads = new Thread[2];
        for (int t = 0; t < threads.length; t++) {
            int thread = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; ; i++) {
                    String payload = payload(thread, i);
                    long sequence = journal.append(payload.getBytes(StandardCharsets.UTF_8));
                    synchronized (System.out) {
                        System.out.println(sequence + " " + payload);
                        System.out.flush();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }
}
