package dev.loci.bench.perf;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Which of the {@value #QUERIES} prepared queries a benchmark thread asks next: each call takes the next one, round
 * and round, so a benchmark does not measure one query served from warm caches. One per thread; not thread-safe.
 */
@State(Scope.Thread)
public class QueryCursor {
    /** How many queries a fixture prepares (a power of two). */
    public static final int QUERIES = 1024;

    private int next;

    /** The index of the next query, in {@code 0 .. QUERIES - 1}. */
    public int next() {
        return next++ & (QUERIES - 1);
    }
}
