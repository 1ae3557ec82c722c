package dev.hearth.agent.jvm;

import dev.hearth.symbolizer.safefs.SafeDir;
import dev.hearth.symbolizer.safefs.SafeFile;
import dev.hearth.symbolizer.safefs.UnsafeFileException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * async-profiler's native library (linux-x64/libasyncProfiler.so from the async-profiler jar),
 * placed in a target JVM's mount namespace so the JVM can load it. The JVM loads it as whatever
 * user it runs as, root included, so the library and every folder on its path must be beyond the
 * reach of any other user (see {@link SafeDir} for the rule):
 * <ul>
 *   <li>The folder is {@value #TARGET_DIR} in the target's /tmp, reached through the target's root
 *       with no link followed; /tmp and "/" must be owned by root or the JVM's user, and writable
 *       by others only with the sticky bit. The folder must be ours: made by root, mode 0755. One
 *       that someone else made (or a link) is left alone and a fresh folder with an unpredictable
 *       name is made for this attach instead.</li>
 *   <li>The file name carries a hash of the content: a JVM that already loaded it (an agent
 *       restart) gets the same path, which the dynamic loader recognises instead of loading a
 *       second profiler. A file already there is used only when owned by root, writable by no one
 *       else, with one link, and its content hashes right; otherwise a new one is created
 *       exclusively under a random name, written, read back through its fd and checked, made
 *       read-only and renamed into place.</li>
 * </ul>
 */
public final class AsyncProfilerLibrary {
    private static final System.Logger LOG = System.getLogger(AsyncProfilerLibrary.class.getName());
    static final String RESOURCE = "linux-x64/libasyncProfiler.so";
    private static final String DIR_NAME = "hearth-async-profiler";
    /** Our folder in the target's /tmp: the library and one folder per session. */
    public static final String TARGET_DIR = "/tmp/" + DIR_NAME;

    private static final int ROOT = 0;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;
    private final byte[] sha256;
    private final String fileName;

    private AsyncProfilerLibrary(byte[] bytes) {
        this.bytes = bytes;
        this.sha256 = sha256(bytes);
        this.fileName = "libasyncProfiler-" + HexFormat.of().formatHex(sha256).substring(0, 12) + ".so";
    }

    public static AsyncProfilerLibrary fromClasspath() throws IOException {
        try (InputStream in = AsyncProfilerLibrary.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null)
                throw new IOException(RESOURCE + " is not on the class path (the async-profiler jar is missing)");
            return new AsyncProfilerLibrary(in.readAllBytes());
        }
    }

    /**
     * Where the library was placed: {@code folder} is the verified folder, open, for the session's
     * own folder; the paths are as the target sees them. The caller closes it.
     */
    public record Placement(SafeDir folder, String targetDir, String library) implements AutoCloseable {
        @Override
        public void close() {
            folder.close();
        }
    }

    /** Puts the library into the target's /tmp (once, while it stays verified); see the class comment. */
    public Placement placeFor(JvmTarget target) throws IOException {
        try (SafeDir root = SafeDir.openTrusted(target.root());
                SafeDir tmp = root.stickyDir("tmp", ROOT, target.uid())) {
            SafeDir folder = ourFolder(tmp, target);
            try {
                String dir = "/tmp/" + lastName(folder);
                placeIn(folder);
                return new Placement(folder, dir, dir + "/" + fileName);
            } catch (IOException | RuntimeException e) {
                folder.close();
                throw e;
            }
        }
    }

    private static SafeDir ourFolder(SafeDir tmp, JvmTarget target) throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                return tmp.trustedDir(DIR_NAME, ROOT);
            } catch (NoSuchFileException e) {
                try (SafeDir made = tmp.createDir(DIR_NAME, 0700)) {
                    made.chmod(0755);
                } catch (FileAlreadyExistsException raced) {
                    // someone made it meanwhile: judge theirs on the next round
                }
            } catch (UnsafeFileException e) {
                LOG.log(
                        Level.WARNING,
                        "JVM " + target.pid() + ": not using " + TARGET_DIR + " (" + e.getMessage()
                                + "); placing async-profiler in a fresh folder");
                break;
            }
        }
        return tmp.createFreshDir(DIR_NAME + "-", 0755);
    }

    private void placeIn(SafeDir folder) throws IOException {
        try (SafeFile existing = folder.openFile(fileName)) {
            if (verified(existing)) return;
            LOG.log(Level.WARNING, existing.name() + " failed verification; replacing it");
        } catch (NoSuchFileException e) {
            // not placed yet
        } catch (UnsafeFileException e) {
            LOG.log(Level.WARNING, e.getMessage() + "; replacing it");
        }
        byte[] r = new byte[8];
        RANDOM.nextBytes(r);
        String tmpName = ".lib-" + HexFormat.of().formatHex(r) + ".tmp";
        try (SafeFile f = folder.createFile(tmpName, 0600)) {
            f.write(bytes);
            f.sync();
            if (!Arrays.equals(sha256(f.readAll(bytes.length)), sha256))
                throw new IOException(f.name() + ": content differs after writing");
            f.chmod(0644);
            // renamed into place complete, so a JVM never maps a half-written file
            folder.rename(tmpName, fileName);
        } catch (IOException | RuntimeException e) {
            try {
                folder.delete(tmpName);
            } catch (IOException ignored) {
                // already gone or renamed
            }
            throw e;
        }
    }

    /** Owned by root, writable by no one else, one link, and the content we mean to load. */
    private boolean verified(SafeFile f) throws IOException {
        var s = f.stat();
        return s.uid() == ROOT
                && !s.writableByOthers()
                && s.links() == 1
                && s.size() == bytes.length
                && Arrays.equals(sha256(f.readAll(bytes.length)), sha256);
    }

    /** The library's file name (it carries a hash of the content) and size. */
    String fileName() {
        return fileName;
    }

    int size() {
        return bytes.length;
    }

    static String lastName(SafeDir d) {
        return d.name().substring(d.name().lastIndexOf('/') + 1);
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
