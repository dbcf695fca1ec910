package dev.loci.lucene;

import dev.loci.Loci;
import dev.loci.Memory;
import dev.loci.Scope;
import dev.loci.testkit.TestEmbedder;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link MemoryCrashLoopTest}: opens a memory over the on-disk Lucene store in sync mode,
 * prints {@code ready}, then writes from {@code threads} writer threads (writer {@code w} of cycle {@code c} writes
 * {@link #text(int, int)} for i = 0, 1, ... to {@link #scope(int, int, int)}, one after the other) while another
 * thread consolidates the writers' users in turn, until killed. Prints {@code <w> <i>} once each write has
 * returned.
 */
public final class MemoryCrashChild {
    private MemoryCrashChild() {
    }

    static String text(int writer, int i) {
        return "writer " + writer + " note " + i + " " + "abcdefgh".repeat(i % 13);
    }

    /** Writer {@code w} of cycle {@code c} is user {@code c<c>-w<w>}; a session holds 50 notes. */
    static Scope scope(int cycle, int writer, int i) {
        return Scope.user(user(cycle, writer)).session("s" + (i / 50));
    }

    static String user(int cycle, int writer) {
        return "c" + cycle + "-w" + writer;
    }

    public static void main(String[] args) throws InterruptedException {
        Path directory = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        int cycle = Integer.parseInt(args[2]);
        Memory memory = Loci.builder().directory(directory).embedder(new TestEmbedder())
                .longTermStore(LuceneStore.onDisk()).manualTicks().build();
        System.out.println("ready");
        System.out.flush();
        Thread[] writers = new Thread[threads];
        for (int w = 0; w < threads; w++) {
            int writer = w;
            writers[w] = new Thread(() -> {
                for (int i = 0; ; i++) {
                    memory.write(scope(cycle, writer, i), text(writer, i));
                    synchronized (System.out) {
                        System.out.println(writer + " " + i);
                        System.out.flush();
                    }
                }
            });
            writers[w].start();
        }
        Thread consolidator = new Thread(() -> {
            for (int round = 0; ; round++) {
                memory.consolidate(Scope.user(user(cycle, round % threads)));
            }
        });
        consolidator.start();
        for (Thread writer : writers) {
            writer.join();
        }
    }
}
