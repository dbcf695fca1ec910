package dev.loci.lucene;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.NIOFSDirectory;
import org.jspecify.annotations.Nullable;

/**
 * A Lucene directory over a real one on disk ({@link NIOFSDirectory}) that tests can fault, in the spirit of
 * Lucene's {@code MockDirectoryWrapper}. Deterministic given its calls; thread-safe (one lock, held during each
 * call, so the merge threads and the indexer are serialised through it).
 *
 * <p>It tracks what a power loss could keep: per file whether it was fsynced ({@link #sync}) since it was last
 * written, and per directory the entries durable as of the last {@link #syncMetaData} plus the creations, renames and
 * deletions since, in order (a deleted file's bytes are kept in RAM until its deletion is durable).
 * {@link #crash} then rewrites the files on disk to what the power loss left:
 * <ul>
 *   <li>a random prefix of the unsynced directory operations survives (none, some, all): a file system that
 *       journals metadata in order, such as ext4, never keeps a later rename without an earlier creation;</li>
 *   <li>each surviving file written since its last fsync is kept whole, emptied (its entry survived, its data did
 *       not), truncated at a random point, or garbled from a random point to its end; a synced file is kept whole.
 *       Bytes an output still buffered are lost.</li>
 * </ul>
 * Files are rewritten as new inodes, so handles the crashed process still holds do not see the new bytes. The lock
 * file is neither tracked nor changed. After a crash every call throws.
 *
 * <p>Faults: {@link #failAfter} makes the Nth counted call from now throw an {@link IOException} (later calls work);
 * counted calls are createOutput, createTempOutput, openInput, sync, syncMetaData, rename, deleteFile, and each
 * write an output makes to the file ({@value #WRITE_CHUNK} bytes at a time, as a buffered stream does).
 * {@link #crashAfter} loses the power at the Nth counted call. {@link #capacity} limits the bytes all files hold: a
 * write beyond it writes what fits and throws {@code IOException("No space left on device")}.
 */
final class FaultyDirectory extends FilterDirectory {
    static final String ENOSPC = "No space left on device";
    static final int WRITE_CHUNK = 4096;

    /** A file: its bytes are on disk under its current name, or here once deleted. */
    private static final class Inode {
        boolean synced;
        byte @Nullable [] deletedBytes;
    }

    private record Op(String kind, String name, @Nullable String target, @Nullable Inode inode) {
        void applyTo(Map<String, Inode> entries) {
            switch (kind) {
                case "create" -> entries.put(name, inode);
                case "rename" -> {
                    Inode moved = entries.remove(name);
                    if (moved != null) {
                        entries.put(target, moved);
                    }
                }
                default -> entries.remove(name);
            }
        }
    }

    private final Path path;
    private final Map<String, Inode> durable = new LinkedHashMap<>();
    private final Map<String, Inode> current = new LinkedHashMap<>();
    private final List<Op> pending = new ArrayList<>();
    private final Map<String, Long> sizes = new HashMap<>();
    private long calls;
    private long failAt = -1;
    private long crashAt = -1;
    private @Nullable SplittableRandom crashRandom;
    private boolean dead;
    private @Nullable AtomicBoolean sharedPower;
    private long capacity = Long.MAX_VALUE;
    private int lostOperations;
    private int damagedFiles;

    /** Wraps the on-disk directory at {@code path}; the files already there count as durable. */
    FaultyDirectory(Path path) throws IOException {
        super(new NIOFSDirectory(path));
        this.path = path;
        for (String name : in.listAll()) {
            if (isTracked(name)) {
                Inode inode = new Inode();
                inode.synced = true;
                durable.put(name, inode);
                current.put(name, inode);
                sizes.put(name, in.fileLength(name));
            }
        }
    }

    private static boolean isTracked(String name) {
        return !name.equals("write.lock");
    }

    /** The Nth counted call from now (1 = the next) throws an IOException; later calls work again. */
    synchronized void failAfter(long n) {
        failAt = calls + n;
    }

    /** At the Nth counted call from now the power goes: that call throws, and so does every later one. */
    synchronized void crashAfter(long n, SplittableRandom random) {
        crashAt = calls + n;
        crashRandom = random;
    }

    /**
     * Puts this directory on the same power as other devices: when any of them loses it ({@code powered} turns
     * false), this directory crashes at its next counted call, which throws; when this one crashes, it turns
     * {@code powered} false. (A call already running when the power went completes: as if it had just made it.)
     */
    synchronized void sharePower(AtomicBoolean powered, SplittableRandom random) {
        sharedPower = powered;
        crashRandom = random;
    }

    /** Writes that would make the files hold more than {@code bytes} in all fail with ENOSPC's message. */
    synchronized void capacity(long bytes) {
        capacity = bytes;
    }

    synchronized long calls() {
        return calls;
    }

    /** After a crash: how many unsynced directory operations it undid, and how many surviving files it changed. */
    synchronized int[] crashDamage() {
        return new int[] {lostOperations, damagedFiles};
    }

    synchronized boolean crashed() {
        return dead;
    }

    /** The bytes all files hold now, as written through this directory. */
    synchronized long used() {
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Loses the power now (see the class comment); later calls throw. Does nothing if it was lost already. */
    synchronized void crash(SplittableRandom random) throws IOException {
        if (dead) {
            return;
        }
        dead = true;
        if (sharedPower != null) {
            sharedPower.set(false);
        }
        Map<Inode, byte[]> bytes = new IdentityHashMap<>();
        for (Map.Entry<String, Inode> e : current.entrySet()) {
            bytes.put(e.getValue(), readIfPresent(e.getKey()));
        }
        for (Op op : pending) {
            if (op.inode() != null && op.inode().deletedBytes != null) {
                bytes.put(op.inode(), op.inode().deletedBytes);
            }
        }
        for (Inode inode : durable.values()) {
            if (inode.deletedBytes != null) {
                bytes.put(inode, inode.deletedBytes);
            }
        }
        Map<String, Inode> survived = new LinkedHashMap<>(durable);
        int kept = random.nextInt(pending.size() + 1);
        for (Op op : pending.subList(0, kept)) {
            op.applyTo(survived);
        }
        lostOperations = pending.size() - kept;
        for (String name : in.listAll()) {
            if (isTracked(name)) {
                Files.delete(path.resolve(name));
            }
        }
        Map<Inode, byte[]> afterLoss = new IdentityHashMap<>();
        for (Map.Entry<String, Inode> e : survived.entrySet()) {
            byte[] content = afterLoss.computeIfAbsent(e.getValue(),
                    inode -> afterPowerLoss(inode, bytes.getOrDefault(inode, new byte[0]), random));
            if (!java.util.Arrays.equals(content, bytes.get(e.getValue()))) {
                damagedFiles++;
            }
            Files.write(path.resolve(e.getKey()), content);
        }
    }

    private byte[] readIfPresent(String name) throws IOException {
        try {
            return Files.readAllBytes(path.resolve(name));
        } catch (NoSuchFileException e) {
            return new byte[0];
        }
    }

    private static byte[] afterPowerLoss(Inode inode, byte[] bytes, SplittableRandom random) {
        if (inode.synced || bytes.length == 0) {
            return bytes;
        }
        int from = random.nextInt(bytes.length + 1);
        return switch (random.nextInt(4)) {
            case 0 -> bytes;
            case 1 -> new byte[0];
            case 2 -> java.util.Arrays.copyOf(bytes, from);
            default -> {
                byte[] garbled = bytes.clone();
                for (int i = from; i < garbled.length; i++) {
                    garbled[i] = (byte) random.nextInt(256);
                }
                yield garbled;
            }
        };
    }

    private void call(String what) throws IOException {
        if (!dead && sharedPower != null && !sharedPower.get()) {
            crash(crashRandom);
        }
        if (dead) {
            throw new IOException("simulated power loss: the disk is gone (" + what + ")");
        }
        calls++;
        if (calls == crashAt) {
            crash(crashRandom);
            throw new IOException("simulated power loss at call " + calls + " (" + what + ")");
        }
        if (calls == failAt) {
            throw new IOException("simulated I/O error at call " + calls + " (" + what + ")");
        }
    }

    private void created(String name) {
        Inode inode = new Inode();
        current.put(name, inode);
        sizes.put(name, 0L);
        pending.add(new Op("create", name, null, inode));
    }

    @Override
    public synchronized IndexOutput createOutput(String name, IOContext context) throws IOException {
        call("createOutput " + name);
        IndexOutput out = in.createOutput(name, context);
        created(name);
        return new FaultyOutput(out, current.get(name));
    }

    @Override
    public synchronized IndexOutput createTempOutput(String prefix, String suffix, IOContext context)
            throws IOException {
        call("createTempOutput " + prefix);
        IndexOutput out = in.createTempOutput(prefix, suffix, context);
        created(out.getName());
        return new FaultyOutput(out, current.get(out.getName()));
    }

    @Override
    public synchronized IndexInput openInput(String name, IOContext context) throws IOException {
        call("openInput " + name);
        return in.openInput(name, context);
    }

    @Override
    public synchronized void sync(Collection<String> names) throws IOException {
        call("sync " + names); // no real fsync: durability is simulated, and the tests run hundreds of commits
        for (String name : names) {
            if (!Files.exists(path.resolve(name))) {
                throw new NoSuchFileException(name);
            }
        }
        for (String name : names) {
            Inode inode = current.get(name);
            if (inode != null) {
                inode.synced = true;
            }
        }
    }

    @Override
    public synchronized void syncMetaData() throws IOException {
        call("syncMetaData");
        for (Op op : pending) {
            if (op.inode() != null) {
                op.inode().deletedBytes = null;
            }
        }
        for (Inode inode : durable.values()) {
            inode.deletedBytes = null;
        }
        durable.clear();
        durable.putAll(current);
        pending.clear();
    }

    @Override
    public synchronized void rename(String source, String dest) throws IOException {
        call("rename " + source + " to " + dest);
        in.rename(source, dest);
        Inode inode = current.remove(source);
        if (inode != null) {
            current.put(dest, inode);
            sizes.put(dest, sizes.remove(source));
        }
        pending.add(new Op("rename", source, dest, null));
    }

    @Override
    public synchronized void deleteFile(String name) throws IOException {
        call("deleteFile " + name);
        byte[] bytes = isTracked(name) ? readIfPresent(name) : null;
        in.deleteFile(name);
        Inode inode = current.remove(name);
        sizes.remove(name);
        if (inode != null) {
            inode.deletedBytes = bytes;
            pending.add(new Op("delete", name, null, inode));
        }
    }

    @Override
    public synchronized void close() throws IOException {
        in.close(); // always releases the real directory, crashed or not
    }

    /** Buffers {@value #WRITE_CHUNK} bytes and writes them to the file as one counted call. */
    private final class FaultyOutput extends IndexOutput {
        private final IndexOutput out;
        private final Inode inode;
        private final byte[] buffer = new byte[WRITE_CHUNK];
        private int buffered;
        private long flushed;

        FaultyOutput(IndexOutput out, Inode inode) {
            super("faulty(" + out + ")", out.getName());
            this.out = out;
            this.inode = inode;
        }

        @Override
        public void writeByte(byte b) throws IOException {
            if (buffered == buffer.length) {
                flushBuffer();
            }
            buffer[buffered++] = b;
        }

        @Override
        public void writeBytes(byte[] b, int offset, int length) throws IOException {
            while (length > 0) {
                if (buffered == buffer.length) {
                    flushBuffer();
                }
                int n = Math.min(length, buffer.length - buffered);
                System.arraycopy(b, offset, buffer, buffered, n);
                buffered += n;
                offset += n;
                length -= n;
            }
        }

        private void flushBuffer() throws IOException {
            if (buffered == 0) {
                return;
            }
            synchronized (FaultyDirectory.this) {
                call("write " + getName());
                inode.synced = false;
                long free = Math.max(0, capacity - used());
                int fits = (int) Math.min(buffered, free);
                out.writeBytes(buffer, 0, fits);
                flushed += fits;
                String name = getName();
                if (current.get(name) == inode) {
                    sizes.put(name, flushed);
                }
                if (fits < buffered) {
                    buffered = 0;
                    throw new IOException(ENOSPC);
                }
                buffered = 0;
            }
        }

        @Override
        public long getFilePointer() {
            return flushed + buffered;
        }

        @Override
        public long getChecksum() throws IOException {
            flushBuffer();
            return out.getChecksum();
        }

        @Override
        public void close() throws IOException {
            try {
                flushBuffer();
            } finally {
                out.close();
            }
        }
    }
}
