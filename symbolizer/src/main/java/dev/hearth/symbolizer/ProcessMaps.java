package dev.hearth.symbolizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The memory maps of one process, read from /proc and re-read when an address falls outside them. */
final class ProcessMaps {
    private static final long REREAD_MIN_NANOS = 200_000_000L;

    private final Path proc;
    private final int pid;
    private ProcMaps maps;
    private long readAt;
    private long changes;
    private int textHash;
    private int textLength = -1;
    private boolean gone;

    private ProcessMaps(Path proc, int pid) {
        this.proc = proc;
        this.pid = pid;
    }

    static ProcessMaps read(Path proc, int pid) {
        ProcessMaps p = new ProcessMaps(proc, pid);
        p.reread();
        return p;
    }

    int pid() { return pid; }

    ProcMaps current() { return maps; }

    /** How often the maps were read and found changed: addresses may name other code since. */
    long changes() { return changes; }

    /** The mapping of {@code addr}; re-reads the maps (rate-limited) when it misses, as they may have grown. */
    Mapping find(long addr) {
        Mapping m = maps.find(addr);
        if (m == null && !gone && System.nanoTime() - readAt > REREAD_MIN_NANOS) {
            reread();
            m = maps.find(addr);
        }
        return m;
    }

    private void reread() {
        readAt = System.nanoTime();
        try {
            String text = Files.readString(proc.resolve(Integer.toString(pid)).resolve("maps"), StandardCharsets.ISO_8859_1);
            // an address outside every mapping is often a bad unwind, not a new mapping: same text, same maps
            if (maps == null || text.length() != textLength || text.hashCode() != textHash) {
                maps = ProcMaps.parse(text);
                textLength = text.length();
                textHash = text.hashCode();
                changes++;
            }
        } catch (IOException | RuntimeException e) {
            // The process exited (or is not ours to read): keep what we had; its frames stay unknown.
            gone = true;
            if (maps == null) {
                maps = ProcMaps.parse("");
                changes++;
            }
        }
    }
}
