package dev.hearth.symbolizer.procfs;

import dev.hearth.symbolizer.safefs.SafeDir;
import dev.hearth.symbolizer.safefs.SafeFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A file the kernel writes under /proc, read whole through {@link SafeDir#openTrustedFile} (a
 * regular file, opened without blocking) within a bound. Its text may still hold what a process
 * chose (a command name), so callers parse it as untrusted.
 */
final class KernelFile {
    /** /proc/PID/stat and /proc/PID/status are a few KiB; /proc/stat grows with CPUs and interrupts. */
    static final int MAX_PID_FILE = 64 * 1024, MAX_PROC_STAT = 4 << 20;

    private KernelFile() {}

    static String read(Path file, int max) throws IOException {
        try (SafeFile f = SafeDir.openTrustedFile(file)) {
            return new String(f.readAll(max), StandardCharsets.ISO_8859_1);
        }
    }
}
