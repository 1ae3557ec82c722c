package dev.hearth.collector.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** Secrets the collector reads (the tokens file, the TLS key) must be regular files other users cannot read or change. */
public final class PrivateFile {
    private PrivateFile() {}

    public static void check(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("not a regular file");
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
        if (p.contains(PosixFilePermission.OTHERS_READ)
                || p.contains(PosixFilePermission.OTHERS_WRITE)
                || p.contains(PosixFilePermission.GROUP_WRITE)) {
            throw new IllegalArgumentException(
                    "other users can read or change it; make it private with 'chmod 600 " + file + "'");
        }
    }
}
