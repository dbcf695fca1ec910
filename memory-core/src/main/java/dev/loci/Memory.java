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

    /** The most writes one {@link #writeAll} takes. */
    int MAX_BATCH_WRITES = 10_000;

    /**
     * Writes several memories in the scope, in order, as one journal group: one acknowledgement (one fsync in
     * {@link Durability#sync()} mode) for all, and each record as {@link #write(Scope, Write)} would store it (a
     * message's context names the messages written before it, those earlier in the batch included). Returns the
     * records in the order of {@code writes}; an empty list writes nothing. Every write is checked before any is
     * stored: an invalid one fails the call, naming its index, and nothing is written.
     *
     * @throws IllegalArgumentException if there are more than {@link #MAX_BATCH_WRITES} writes, or one is invalid
     *                                  (as {@link #write(Scope, Write)} would refuse it)
     * @throws NullPointerException     if the scope, the list or one of its writes is null
     */
    List<MemoryRecord> writeAll(Scope scope, List<Write> writes);

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

    /**
     * Writes every record the scope {@linkplain Scope#contains contains} (all states; purged records are gone) as
     * JSON Lines, and returns how many: a user's own export of their data is {@code exportTo(Scope.user(id), out)}.
     */
    long exportTo(Scope scope, Writer out);

    /**
     * Writes every record of every user (all states) as JSON Lines and returns how many: the memory's backup. An
     * administrative call: it is the one way to reach records without naming a scope, so never serve its output to
     * a user; use {@link #exportTo(Scope, Writer)} for that.
     */
    long exportTo(Writer out);

    /**
     * {@link #importFrom(Reader)}, for one scope: a line holding a record the scope does not
     * {@linkplain Scope#contains contain} fails the import, naming the line, and nothing is stored. What an
     * application should use to let a user bring their data back.
     */
    long importFrom(Scope scope, Reader in);

    /**
     * Reads JSON Lines written by {@link #exportTo} and stores the records, each keeping its id, and returns how
     * many. The whole input is parsed and validated first: a malformed line fails the call with the line number,
     * and nothing is stored. Blank lines are skipped. The reader is closed.
     *
     * <p>Each record is stored as the line gives it, its {@link MemoryRecord#source() source} included, so that an
     * export restores exactly: a {@link Source#TOOL} record stays TOOL and never becomes {@link Source#USER}; its
     * history shows that it was {@linkplain HistoryEntry.Change#IMPORTED imported}. The file is trusted to tell
     * the provenance truly; to treat a file from elsewhere as coming from one source, rewrite its lines first, e.g.
     * {@code MemoryRecord.fromJson(line).toBuilder().source(Source.IMPORT).build().toJson()}. A record whose id the
     * memory already holds in the same scope replaces it (re-importing an archived record restores it); an id held
     * in another scope fails the import. An embedding made by another model is dropped and computed again.
     *
     * <p>Decoding bytes is the reader's job. Open it with a decoder that reports malformed input ({@link
     * java.nio.file.Files#newBufferedReader(java.nio.file.Path)}, or {@code new InputStreamReader(in,
     * StandardCharsets.UTF_8.newDecoder())}) to have invalid UTF-8 fail the import; a replacing decoder ({@code new
     * InputStreamReader(in, StandardCharsets.UTF_8)}) turns every invalid byte sequence into U+FFFD, which is then
     * imported as part of the text it stood in.
     *
     * @throws IllegalArgumentException if a line is not a valid record (the message names the line and what is
     *                                  wrong with it: the field, the value or the limit), if an id appears on two
     *                                  lines or is held in another scope, or if a version is above
     *                                  {@link MemoryRecord#MAX_IMPORTED_VERSION}
     * @throws java.io.UncheckedIOException if reading fails, e.g. on bytes the reader cannot decode; the message
     *                                      names the line
     */
    long importFrom(Reader in);

    /** Blocks until every acknowledged write is embedded, indexed and checkpointed in the long-term store. */
    void flush();

    /**
     * Reads every file the memory keeps and checks it against its checksums: every journal entry, and every file of
     * the long-term store's last commit (if the store can check itself). Opening a memory checks the journal but
     * reads index files only as searches need them; call this to find damage before a search stumbles on it (say,
     * after restoring a backup). Blocks for the I/O; reads and writes go on meanwhile (the store's indexing waits).
     *
     * @throws CorruptedMemoryException naming the first damaged file found
     */
    void verify();

    /** The scheduler that promotes and fades; {@link MemoryScheduler#tick()} runs it now. */
    MemoryScheduler scheduler();

    /** Flushes, checkpoints and releases files and threads. Idempotent. */
    @Override
    void close();
}
