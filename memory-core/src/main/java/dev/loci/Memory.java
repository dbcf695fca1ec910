package dev.loci;

import java.io.Reader;
import java.io.Writer;
import java.util.List;

/**
 * A memory for LLM agents: a short-term working buffer, a durable long-term store and one journal beneath both.
 * Build one with {@link Loci#builder()}.
 *
 * <p>Thread-safe: every method may be called from any thread. {@code write} blocks until its journal event is
 * durable (in the default {@link Durability#sync()} mode) and never waits for embedding or indexing; {@code read}
 * sees every write that returned before it (read-your-writes). The other methods may block on I/O and on the
 * background indexer. After {@link #close()} every method throws {@link IllegalStateException}.
 *
 * <p>Misuse (null, blank, oversized or otherwise invalid arguments) throws {@link IllegalArgumentException} or
 * {@link NullPointerException} naming the argument, and stores nothing. Failures of the memory itself throw
 * {@link MemoryException}.
 */
public interface Memory extends AutoCloseable {

    /** Writes a message in the scope; same as {@code write(scope, Write.text(text))}. */
    MemoryRecord write(Scope scope, String text);

    /** Writes a memory in the scope's short-term tier and returns the record as stored (embedding still pending). */
    MemoryRecord write(Scope scope, Write write);

    /**
     * The memories the scope {@linkplain Scope#sees sees} that best answer the query, best first, each with the
     * channels that found it. Only {@link State#ACTIVE} records are returned.
     */
    List<Recall> read(Scope scope, Query query);

    /** Same as {@code read(scope, Query.text(question))}. */
    default List<Recall> read(Scope scope, String question) {
        return read(scope, Query.text(question));
    }

    /**
     * Consolidates the scope now: each short-term record the scope contains is offered to the promotion policy
     * (as at session end when the scope names a session) and promoted or let fade. Call it when a session ends.
     */
    Consolidation consolidate(Scope scope);

    /**
     * Forgets the records the scope {@linkplain Scope#contains contains} that the selection matches, and returns
     * how many. {@link Forget.Mode#PURGE} returns only once no byte of their text remains under the memory's
     * directory.
     */
    int forget(Scope scope, Forget forget);

    /**
     * The events of one record, oldest first; empty if the id is unknown or was purged.
     *
     * @throws ScopeException if the memory holds nothing for the scope
     */
    List<HistoryEntry> history(Scope scope, String id);

    /** Writes every record (all scopes, all states) as JSON Lines and returns how many. */
    long exportTo(Writer out);

    /**
     * Reads JSON Lines written by {@link #exportTo} and stores the records, each keeping its id, and returns how
     * many. The whole input is parsed and validated first: a malformed line fails the call with the line number,
     * and nothing is stored.
     */
    long importFrom(Reader in);

    /** Blocks until every acknowledged write is embedded, indexed and checkpointed in the long-term store. */
    void flush();

    /** The scheduler that promotes and fades; {@link MemoryScheduler#tick()} runs it now. */
    MemoryScheduler scheduler();

    /** Flushes, checkpoints and releases files and threads. Idempotent. */
    @Override
    void close();
}
