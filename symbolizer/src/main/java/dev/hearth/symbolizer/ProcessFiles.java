package dev.hearth.symbolizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where a process's mapped file can be opened from here. */
final class ProcessFiles {
    private ProcessFiles() {}

    /** The process's root directory: its container's file system when it runs in one. */
    static Path root(Path proc, int pid) {
        return proc.resolve(Integer.toString(pid)).resolve("root");
    }

    /**
     * Paths to try, best first: a deleted (or replaced) file only through map_files, which reaches the
     * very file mapped; otherwise through the process's root (so container paths work), then map_files,
     * then the plain path.
     */
    static List<Path> candidates(Path proc, int pid, Mapping m) {
        Path pidDir = proc.resolve(Integer.toString(pid));
        Path mapFile = pidDir.resolve("map_files").resolve(Long.toHexString(m.start()) + "-" + Long.toHexString(m.end()));
        List<Path> out = new ArrayList<>(3);
        if (m.deleted()) {
            out.add(mapFile);
            return out;
        }
        out.add(Path.of(pidDir.resolve("root") + m.path()));
        out.add(mapFile);
        out.add(Path.of(m.path()));
        return out;
    }
}
