package dev.hearth.symbolizer;

import dev.hearth.symbolizer.safefs.SafeDir;
import dev.hearth.symbolizer.safefs.SafeFile;
import dev.hearth.symbolizer.safefs.UnsafeFileException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opens a process's mapped files (and their debug files) from here. The paths come from the
 * process's own file system, which its user or container may control, so nothing is followed:
 * see {@link SafeDir} for the rule.
 */
final class ProcessFiles {
    /** What ElfFile can map; a larger "binary" is refused before it is touched. */
    static final long MAX_BINARY_BYTES = Integer.MAX_VALUE;

    private ProcessFiles() {}

    /** The process's root directory: its container's file system when it runs in one. */
    static Path root(Path proc, int pid) {
        return proc.resolve(Integer.toString(pid)).resolve("root");
    }

    /**
     * The file behind mapping {@code m}, best way first: /proc/PID/map_files (a kernel link to the
     * very file mapped, even deleted or replaced since), then its path under the process's root
     * with no link followed. Regular files of at most {@link #MAX_BINARY_BYTES} only.
     */
    static SafeFile open(Path proc, int pid, Mapping m) throws IOException {
        Path pidDir = proc.resolve(Integer.toString(pid));
        IOException failure;
        try {
            return bounded(SafeDir.openTrustedFile(pidDir.resolve("map_files")
                    .resolve(Long.toHexString(m.start()) + "-" + Long.toHexString(m.end()))));
        } catch (UnsafeFileException e) {
            throw e;
        } catch (IOException e) {
            failure = e; // not allowed to read map_files (not root), or the mapping is gone
        }
        if (m.deleted()) throw failure;
        return openBeneath(root(proc, pid), m.path());
    }

    /** {@code path} (absolute, as the process sees it) under {@code root}, every component opened with no link followed. */
    static SafeFile openBeneath(Path root, String path) throws IOException {
        int slash = path.lastIndexOf('/');
        if (!path.startsWith("/") || slash == path.length() - 1) throw new NoSuchFileException(path);
        try (SafeDir r = SafeDir.openTrusted(root);
                SafeDir dir = r.dir(path.substring(1, Math.max(1, slash)))) {
            return bounded(dir.openFile(path.substring(slash + 1)));
        }
    }

    private static SafeFile bounded(SafeFile f) throws UnsafeFileException {
        try {
            return f.requireSizeAtMost(MAX_BINARY_BYTES);
        } catch (UnsafeFileException e) {
            f.close();
            throw e;
        }
    }
}
