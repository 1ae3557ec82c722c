package dev.hearth.collector.auth;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The tokens file as the collector holds it: read at start, where a bad file stops the start; then
 * looked at once a second and read again when it changed (time, size, inode or mode, so an edit in
 * place, a rename over it and a chmod all count). A changed file that cannot be used keeps the tokens in force
 * and says why in the log.
 */
public final class Tokens implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Tokens.class.getName());

    private record Stamp(FileTime modified, long size, Object fileKey, Set<PosixFilePermission> mode) {}

    private record Snapshot(Map<String, Grant> grants, Stamp stamp) {}

    private final Path file;
    private volatile Snapshot current;
    /** The stamp of a changed file that could not be used: said once, not every second. */
    private Stamp refused;

    private final ScheduledExecutorService watcher;

    private Tokens(Path file, Snapshot first) {
        this.file = file;
        this.current = first;
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hearth-tokens");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::reloadIfChanged, 1, 1, TimeUnit.SECONDS);
    }

    /** Reads the file and starts watching it; IllegalArgumentException names the file and what is wrong with it. */
    public static Tokens open(Path file) {
        return new Tokens(file, read(file, false));
    }

    /**
     * The grant of a presented token, or null. Tokens are never compared as strings: the lookup is
     * keyed by the presented token's SHA-256, so how long it takes tells an attacker nothing about
     * how many characters of a stored token they guessed.
     */
    public Grant find(String token) {
        return current.grants().get(TokenFile.key(TokenFile.hash(token)));
    }

    public int size() {
        return current.grants().size();
    }

    /** Reads the file again if it changed; true when new tokens are in force. */
    public synchronized boolean reloadIfChanged() {
        Stamp now = null;
        try {
            now = stamp(file);
            if (now.equals(current.stamp()) || now.equals(refused)) return false;
            current = read(file, true);
            refused = null;
            LOG.log(
                    Level.INFO,
                    "tokens file " + file + " read again: " + current.grants().size() + " tokens"
                            + (current.grants().isEmpty() ? "; every request under /api/ is refused" : ""));
            return true;
        } catch (IOException | RuntimeException e) {
            if (now == null || !now.equals(refused)) {
                LOG.log(
                        Level.WARNING,
                        "tokens file changed but cannot be used, the earlier tokens stay in force: " + e.getMessage());
            }
            refused = now;
            return false;
        }
    }

    private static final Stamp MISSING = new Stamp(null, -1, null, Set.of());

    private static Stamp stamp(Path file) throws IOException {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(file, PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            return MISSING;
        }
        return new Stamp(a.lastModifiedTime(), a.size(), a.fileKey(), a.permissions());
    }

    /** @param mayBeEmpty a file emptied while running revokes every token; at start, no tokens is a mistake */
    private static Snapshot read(Path file, boolean mayBeEmpty) {
        try {
            return readChecked(file, mayBeEmpty);
        } catch (IOException e) {
            throw new IllegalArgumentException("tokens file " + file + ": cannot read it: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tokens file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Snapshot readChecked(Path file, boolean mayBeEmpty) throws IOException {
        Stamp stamp = stamp(file);
        if (stamp == MISSING) throw new IllegalArgumentException("no such file");
        PrivateFile.check(file);
        if (stamp.size() > TokenFile.MAX_BYTES)
            throw new IllegalArgumentException("larger than " + TokenFile.MAX_BYTES + " bytes");
        Map<String, Grant> grants = TokenFile.parse(Files.readString(file, StandardCharsets.UTF_8));
        if (grants.isEmpty() && !mayBeEmpty)
            throw new IllegalArgumentException("holds no tokens (one a line: TOKEN TENANT SCOPE[,SCOPE])");
        // the stamp read before the contents: a write in between is read again on the next look
        return new Snapshot(new HashMap<>(grants), stamp);
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }
}
