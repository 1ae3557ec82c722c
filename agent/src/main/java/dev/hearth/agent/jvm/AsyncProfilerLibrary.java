package dev.hearth.agent.jvm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * async-profiler's native library (linux-x64/libasyncProfiler.so from the async-profiler jar),
 * copied into a target JVM's mount namespace so the JVM can open it. The file name carries a hash
 * of the content: a JVM that already loaded it (an agent restart) gets the same path, which the
 * dynamic loader recognises instead of loading a second profiler.
 */
public final class AsyncProfilerLibrary {
    static final String RESOURCE = "linux-x64/libasyncProfiler.so";
    /** Our folder in the target's /tmp: the library and one folder per session. */
    public static final String TARGET_DIR = "/tmp/hearth-async-profiler";

    private final byte[] bytes;
    private final String fileName;

    private AsyncProfilerLibrary(byte[] bytes) {
        this.bytes = bytes;
        this.fileName = "libasyncProfiler-" + sha256(bytes).substring(0, 12) + ".so";
    }

    public static AsyncProfilerLibrary fromClasspath() throws IOException {
        try (InputStream in = AsyncProfilerLibrary.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IOException(RESOURCE + " is not on the class path (the async-profiler jar is missing)");
            return new AsyncProfilerLibrary(in.readAllBytes());
        }
    }

    /** Puts the library into the target's /tmp (once); returns its path as the target sees it. */
    public String placeFor(JvmTarget target) throws IOException {
        String targetPath = TARGET_DIR + "/" + fileName;
        Path dir = target.hostPath(TARGET_DIR);
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path lib = target.hostPath(targetPath);
        if (!Files.exists(lib) || Files.size(lib) != bytes.length) {
            // Written aside and renamed, so a JVM never maps a half-written file.
            Path tmp = Files.createTempFile(dir, ".lib", ".tmp");
            Files.write(tmp, bytes);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return targetPath;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
