package dev.hearth.agent.ship;

import dev.hearth.symbolizer.safefs.SafeDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Uploads waiting on disk while the collector is unreachable, oldest first, within a byte budget:
 * a new upload that does not fit pushes out the oldest ones (counted as dropped). One file per
 * upload (header line = ingest query, then the body), written under a temporary name and renamed,
 * so a crash leaves whole files only; files left by an earlier run are picked up. Thread-safe.
 * The folder is written and read by root by path, so it must be beyond every other user's reach:
 * every component owned by root (or whoever runs the agent) and writable by no one else, a sticky
 * folder such as /tmp excepted as a parent; anything else is refused at start.
 */
public final class Spool {
    private static final String SUFFIX = ".upload";

    public record Entry(long seq, Path file, long bytes) {}

    private final Path dir;
    private final long maxBytes;
    private final TreeMap<Long, Entry> entries = new TreeMap<>();
    private long bytes;
    private long dropped;
    private long corrupt;
    private long nextSeq;

    public Spool(Path dir, long maxBytes) throws IOException {
        if (maxBytes < 0) throw new IllegalArgumentException("spool size must be >= 0, got " + maxBytes);
        this.dir = dir;
        this.maxBytes = maxBytes;
        Files.createDirectories(dir);
        requireOurs(dir);
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                if (n.endsWith(".tmp")) {
                    Files.deleteIfExists(f);
                } else if (n.endsWith(SUFFIX) && n.indexOf('-') > 0) {
                    try {
                        long seq = Long.parseLong(n.substring(0, n.indexOf('-')));
                        entries.put(seq, new Entry(seq, f, Files.size(f)));
                        bytes += Files.size(f);
                    } catch (NumberFormatException e) {
                        // not ours: leave it alone
                    }
                }
            }
        }
        nextSeq = entries.isEmpty() ? 1 : entries.lastKey() + 1;
        evictTo(maxBytes);
    }

    private static void requireOurs(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        int us = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        try (SafeDir root = SafeDir.openTrusted(abs.getRoot());
                SafeDir checked = root.trustedDir(abs.getRoot().relativize(abs).toString(), 0, us)) {
            // every component passed
        } catch (IOException e) {
            throw new IOException("spool folder " + dir + " is not safe for root to use: " + e.getMessage(), e);
        }
    }

    /** Stores an upload; the oldest ones go first when the budget is exceeded. */
    public synchronized void put(Upload u) {
        byte[] header = (u.query() + "\n").getBytes(StandardCharsets.UTF_8);
        long size = header.length + u.body().length;
        if (size > maxBytes) {
            dropped++;
            return;
        }
        evictTo(maxBytes - size);
        long seq = nextSeq++;
        Path file = dir.resolve(String.format("%020d-%s%s", seq, u.id(), SUFFIX));
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try {
            byte[] all = Arrays.copyOf(header, (int) size);
            System.arraycopy(u.body(), 0, all, header.length, u.body().length);
            Files.write(tmp, all);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            dropped++;
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to do: the upload is counted as dropped
            }
            throw new UncheckedIOException("cannot spool " + u + " to " + dir + ": " + e.getMessage(), e);
        }
        entries.put(seq, new Entry(seq, file, size));
        bytes += size;
    }

    /** The oldest upload and its entry, or null when empty; unreadable files are discarded and counted. */
    public synchronized Map.Entry<Entry, Upload> oldest() {
        while (!entries.isEmpty()) {
            Entry e = entries.firstEntry().getValue();
            try {
                byte[] all = Files.readAllBytes(e.file());
                int nl = indexOf(all, (byte) '\n');
                if (nl < 0) throw new IllegalArgumentException("no header line");
                Upload u = Upload.fromQuery(
                        new String(all, 0, nl, StandardCharsets.UTF_8), Arrays.copyOfRange(all, nl + 1, all.length));
                return Map.entry(e, u);
            } catch (IOException | IllegalArgumentException ex) {
                corrupt++;
                delete(e);
            }
        }
        return null;
    }

    /** Deletes an upload once it was delivered or refused. */
    public synchronized void remove(Entry e) {
        if (entries.containsKey(e.seq())) delete(e);
    }

    public synchronized boolean isEmpty() {
        return entries.isEmpty();
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int size() {
        return entries.size();
    }

    /** uploads pushed out by newer ones or too big to keep */
    public synchronized long dropped() {
        return dropped;
    }

    /** files that could not be read back */
    public synchronized long corrupt() {
        return corrupt;
    }

    private void evictTo(long budget) {
        while (!entries.isEmpty() && bytes > budget) {
            delete(entries.firstEntry().getValue());
            dropped++;
        }
    }

    private void delete(Entry e) {
        entries.remove(e.seq());
        bytes -= e.bytes();
        try {
            Files.deleteIfExists(e.file());
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot delete spooled " + e.file() + ": " + ex.getMessage(), ex);
        }
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) if (a[i] == b) return i;
        return -1;
    }
}
