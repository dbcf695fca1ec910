package dev.loci.internal.journal.simulated;

import dev.loci.internal.journal.JournalIo;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory disk for the journal, deterministic given its calls: per file it keeps the bytes durable (as of the
 * file's last {@code force}) and the bytes now; per directory the entries durable (as of the last
 * {@code syncDirectory}) and the creations, renames and deletions since. {@link #crash} turns that into what a power
 * loss could leave. It can also fail the Nth call and run out of space. Thread-safe (one lock).
 *
 * <p>Every call counts, reads included; closing a handle or a lock neither counts nor fails. Directories are
 * created durably (a simplification: the journal does not sync its parent directory).
 *
 * <p>In a package of its own, public, for the whole-memory power-loss test of memory-lucene too (memory-core's test
 * jar): a package of memory-core's module would be hidden from it.
 */
public final class SimulatedDisk implements JournalIo {

    /** What a power loss does to the bytes written to a file since its last force. */
    public enum Crash {
        /** Every unsynced byte reached the device. */
        KEEP,
        /** None did. */
        DROP,
        /** A prefix did: the file ends at a random point of its unsynced tail. */
        TRUNCATE,
        /** The size reached the device but the data only up to a random point; the rest reads as zeros. */
        ZERO,
        /** The data up to a random point; the rest is garbage (torn sectors, stale blocks). */
        GARBLE,
        /** One of the above, chosen at random for each file. */
        ANY
    }

    private static final Crash[] CHOICES = {Crash.KEEP, Crash.DROP, Crash.TRUNCATE, Crash.ZERO, Crash.GARBLE};

    private static final class Inode {
        byte[] durable = new byte[0];
        byte[] current = new byte[0];
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

    private static final class Directory {
        final Map<String, Inode> durable = new LinkedHashMap<>();
        final Map<String, Inode> current = new LinkedHashMap<>();
        final List<Op> pending = new ArrayList<>();
    }

    private final Map<Path, Directory> directories = new HashMap<>();
    private final Set<Path> locked = new HashSet<>();
    private long calls;
    private long failAt = -1;
    private long crashAt = -1;
    private @Nullable Crash crashMode;
    private @Nullable SplittableRandom crashRandom;
    private @Nullable SimulatedDisk afterCrash;
    private boolean dead;
    private @Nullable AtomicBoolean sharedPower;
    private long capacity = Long.MAX_VALUE;

    /** The Nth call from now (1 = the next) throws an IOException; later calls work again. */
    public synchronized void failAfter(long n) {
        failAt = calls + n;
    }

    /** At the Nth call from now the power goes: that call and every later one throw; see {@link #afterCrash}. */
    public synchronized void crashAfter(long n, Crash mode, SplittableRandom random) {
        crashAt = calls + n;
        crashMode = mode;
        crashRandom = random;
    }

    /** The disk as the power loss left it, once a {@link #crashAfter} point was reached; else null. */
    public synchronized @Nullable SimulatedDisk afterCrash() {
        return afterCrash;
    }

    /**
     * Loses the power now: this disk fails every later call, and the returned one holds what survived (each file's
     * unsynced bytes treated as {@code mode} says; a random prefix of each directory's unsynced operations kept,
     * all of them for KEEP, none for DROP).
     */
    public synchronized SimulatedDisk crash(Crash mode, SplittableRandom random) {
        if (!dead) {
            dead = true;
            afterCrash = survivor(mode, random);
            if (sharedPower != null) {
                sharedPower.set(false);
            }
        }
        return afterCrash;
    }

    /**
     * Puts this disk on the same power as other devices: when any of them loses it ({@code powered} turns false),
     * this disk crashes as {@code mode} says at its next call, which throws; when this disk crashes, it turns
     * {@code powered} false. (A call already running when the power went completes: as if it had just made it.)
     */
    public synchronized void sharePower(AtomicBoolean powered, Crash mode, SplittableRandom random) {
        sharedPower = powered;
        crashMode = mode;
        crashRandom = random;
    }

    /** Writes that would make the files hold more than {@code bytes} in all fail with ENOSPC's message. */
    public synchronized void capacity(long bytes) {
        capacity = bytes;
    }

    public synchronized long calls() {
        return calls;
    }

    /** The bytes all files hold now. */
    public synchronized long used() {
        long used = 0;
        for (Inode inode : liveInodes()) {
            used += inode.current.length;
        }
        return used;
    }

    /** A file's bytes now, or null if it does not exist (for tests that look inside). */
    public synchronized byte @Nullable [] content(Path file) {
        Directory dir = directories.get(file.getParent());
        Inode inode = dir == null ? null : dir.current.get(name(file));
        return inode == null ? null : inode.current.clone();
    }

    /** Every directory's files: name, bytes durable / bytes now, and whether the entry is durable. */
    @Override
    public synchronized String toString() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Path, Directory> d : directories.entrySet()) {
            b.append(d.getKey()).append(" pending ").append(d.getValue().pending).append('\n');
            for (Map.Entry<String, Inode> e : d.getValue().current.entrySet()) {
                b.append("  ").append(e.getKey()).append(' ').append(e.getValue().durable.length).append('/')
                        .append(e.getValue().current.length)
                        .append(d.getValue().durable.get(e.getKey()) == e.getValue() ? "" : " (entry not durable)")
                        .append('\n');
            }
        }
        return b.toString();
    }

    private SimulatedDisk survivor(Crash mode, SplittableRandom random) {
        SimulatedDisk next = new SimulatedDisk();
        Map<Inode, Inode> copies = new IdentityHashMap<>();
        for (Map.Entry<Path, Directory> d : directories.entrySet()) {
            Directory dir = d.getValue();
            Map<String, Inode> entries = new LinkedHashMap<>(dir.durable);
            int kept = switch (mode) {
                case KEEP -> dir.pending.size();
                case DROP -> 0;
                default -> random.nextInt(dir.pending.size() + 1);
            };
            for (Op op : dir.pending.subList(0, kept)) {
                op.applyTo(entries);
            }
            Directory copy = new Directory();
            for (Map.Entry<String, Inode> e : entries.entrySet()) {
                Inode survived = copies.computeIfAbsent(e.getValue(), inode -> {
                    Inode fresh = new Inode();
                    fresh.current = afterPowerLoss(inode, mode, random);
                    fresh.durable = fresh.current;
                    return fresh;
                });
                copy.durable.put(e.getKey(), survived);
                copy.current.put(e.getKey(), survived);
            }
            next.directories.put(d.getKey(), copy);
        }
        return next;
    }

    private static byte[] afterPowerLoss(Inode inode, Crash mode, SplittableRandom random) {
        byte[] durable = inode.durable;
        byte[] current = inode.current;
        int common = Arrays.mismatch(durable, current);
        if (common < 0) {
            return current.clone();
        }
        Crash m = mode == Crash.ANY ? CHOICES[random.nextInt(CHOICES.length)] : mode;
        if (current.length <= common && m != Crash.KEEP && m != Crash.DROP) {
            m = random.nextBoolean() ? Crash.KEEP : Crash.DROP; // shrunk since the force: old or new size
        }
        int from = current.length <= common ? common : random.nextInt(common, current.length + 1);
        byte[] result = current.clone();
        switch (m) {
            case KEEP -> {
            }
            case DROP -> result = durable.clone();
            case TRUNCATE -> result = Arrays.copyOf(current, from);
            case ZERO -> Arrays.fill(result, from, result.length, (byte) 0);
            default -> {
                for (int i = from; i < result.length; i++) {
                    result[i] = (byte) random.nextInt(256);
                }
            }
        }
        return result;
    }

    private Set<Inode> liveInodes() {
        Set<Inode> inodes = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Directory dir : directories.values()) {
            inodes.addAll(dir.current.values());
        }
        return inodes;
    }

    private void call(String what) throws IOException {
        if (!dead && sharedPower != null && !sharedPower.get()) {
            crash(crashMode, crashRandom);
        }
        if (dead) {
            throw new IOException("simulated power loss: the disk is gone (" + what + ")");
        }
        calls++;
        if (calls == crashAt) {
            crash(crashMode, crashRandom);
            throw new IOException("simulated power loss at call " + calls + " (" + what + ")");
        }
        if (calls == failAt) {
            throw new IOException("simulated I/O error at call " + calls + " (" + what + ")");
        }
    }

    private Directory directory(Path file) throws IOException {
        Directory dir = directories.get(file.getParent());
        if (dir == null) {
            throw new NoSuchFileException(String.valueOf(file.getParent()));
        }
        return dir;
    }

    private static String name(Path file) {
        return file.getFileName().toString();
    }

    private Inode existing(Path file) throws IOException {
        Inode inode = directory(file).current.get(name(file));
        if (inode == null) {
            throw new NoSuchFileException(file.toString());
        }
        return inode;
    }

    @Override
    public synchronized Handle open(Path file, Set<? extends OpenOption> options) throws IOException {
        call("open " + file);
        Directory dir = directory(file);
        Inode inode = dir.current.get(name(file));
        if (inode == null) {
            if (!options.contains(StandardOpenOption.CREATE)) {
                throw new NoSuchFileException(file.toString());
            }
            inode = new Inode();
            dir.current.put(name(file), inode);
            dir.pending.add(new Op("create", name(file), null, inode));
        } else if (options.contains(StandardOpenOption.TRUNCATE_EXISTING)
                && options.contains(StandardOpenOption.WRITE)) {
            inode.current = new byte[0];
        }
        return new SimulatedHandle(file, inode);
    }

    @Override
    public synchronized List<Path> list(Path directory, String glob) throws IOException {
        call("list " + directory);
        Directory dir = directories.get(directory);
        if (dir == null) {
            throw new NoSuchFileException(directory.toString());
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        List<Path> files = new ArrayList<>();
        for (String name : dir.current.keySet()) {
            if (matcher.matches(Path.of(name))) {
                files.add(directory.resolve(name));
            }
        }
        return files;
    }

    @Override
    public synchronized void createDirectories(Path directory) throws IOException {
        call("createDirectories " + directory);
        for (Path d = directory; d != null; d = d.getParent()) {
            directories.computeIfAbsent(d, k -> new Directory());
        }
    }

    @Override
    public synchronized @Nullable Closeable tryLock(Path file) throws IOException {
        call("lock " + file);
        Directory dir = directory(file);
        if (!dir.current.containsKey(name(file))) {
            Inode inode = new Inode();
            dir.current.put(name(file), inode);
            dir.pending.add(new Op("create", name(file), null, inode));
        }
        if (!locked.add(file)) {
            return null;
        }
        return () -> {
            synchronized (SimulatedDisk.this) {
                locked.remove(file);
            }
        };
    }

    @Override
    public synchronized void atomicMove(Path source, Path target) throws IOException {
        call("move " + source + " to " + target);
        if (!source.getParent().equals(target.getParent())) {
            throw new IOException("the simulated disk renames only within a directory");
        }
        Directory dir = directory(source);
        Inode inode = existing(source);
        dir.current.remove(name(source));
        dir.current.put(name(target), inode);
        dir.pending.add(new Op("rename", name(source), name(target), null));
    }

    @Override
    public synchronized void delete(Path file) throws IOException {
        call("delete " + file);
        existing(file);
        Directory dir = directory(file);
        dir.current.remove(name(file));
        dir.pending.add(new Op("delete", name(file), null, null));
    }

    @Override
    public synchronized void syncDirectory(Path directory) throws IOException {
        call("syncDirectory " + directory);
        Directory dir = directories.get(directory);
        if (dir == null) {
            throw new NoSuchFileException(directory.toString());
        }
        dir.durable.clear();
        dir.durable.putAll(dir.current);
        dir.pending.clear();
    }

    private final class SimulatedHandle implements Handle {
        private final Path file;
        private final Inode inode;

        SimulatedHandle(Path file, Inode inode) {
            this.file = file;
            this.inode = inode;
        }

        @Override
        public int read(ByteBuffer target, long position) throws IOException {
            synchronized (SimulatedDisk.this) {
                call("read " + file);
                if (position >= inode.current.length) {
                    return -1;
                }
                int n = (int) Math.min(target.remaining(), inode.current.length - position);
                target.put(inode.current, (int) position, n);
                return n;
            }
        }

        @Override
        public void write(ByteBuffer source, long position) throws IOException {
            synchronized (SimulatedDisk.this) {
                call("write " + file);
                long end = position + source.remaining();
                long growth = Math.max(0, end - inode.current.length);
                long free = Math.max(0, capacity - used());
                long fits = growth <= free ? end : Math.max(position, inode.current.length + free);
                if (fits > inode.current.length) {
                    inode.current = Arrays.copyOf(inode.current, (int) fits);
                }
                int n = (int) (fits - position);
                source.get(inode.current, (int) position, n);
                if (fits < end) {
                    throw new IOException("No space left on device");
                }
            }
        }

        @Override
        public void force() throws IOException {
            synchronized (SimulatedDisk.this) {
                call("force " + file);
                inode.durable = inode.current.clone();
            }
        }

        @Override
        public long size() throws IOException {
            synchronized (SimulatedDisk.this) {
                call("size " + file);
                return inode.current.length;
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            synchronized (SimulatedDisk.this) {
                call("truncate " + file);
                if (size < inode.current.length) {
                    inode.current = Arrays.copyOf(inode.current, (int) size);
                }
            }
        }

        @Override
        public void close() {
            // nothing to release; closing never fails here
        }
    }
}
