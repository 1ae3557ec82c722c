package dev.hearth.symbolizer;

import dev.hearth.symbolizer.procfs.PidMaps;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The memory maps of one process, read from /proc and re-read when an address falls outside them. */
final class LiveProcessMaps {
    private static final long REREAD_MIN_NANOS = 200_000_000L;
    /** Bytes of maps read ({@link PidMaps#MAX_BYTES}): a process whose maps are longer loses only its own last mappings. */
    static final int MAX_MAPS_BYTES = PidMaps.MAX_BYTES;

    private final Path proc;
    private final int pid;
    private MapsParser maps;
    private long readAt;
    private long changes;
    private int textHash;
    private int textLength = -1;
    private boolean gone;
    private long problems;

    private LiveProcessMaps(Path proc, int pid) {
        this.proc = proc;
        this.pid = pid;
    }

    static LiveProcessMaps read(Path proc, int pid) {
        LiveProcessMaps p = new LiveProcessMaps(proc, pid);
        p.reread();
        return p;
    }

    int pid() {
        return pid;
    }

    MapsParser current() {
        return maps;
    }

    /** Lines skipped as unreadable or too long, and reads cut at the bound. */
    long problems() {
        return problems;
    }

    /** How often the maps were read and found changed: addresses may name other code since. */
    long changes() {
        return changes;
    }

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
            String text = readBounded(proc.resolve(Integer.toString(pid)).resolve("maps"));
            // an address outside every mapping is often a bad unwind, not a new mapping: same text, same maps
            if (maps == null || text.length() != textLength || text.hashCode() != textHash) {
                maps = MapsParser.parse(text);
                problems += maps.skipped();
                textLength = text.length();
                textHash = text.hashCode();
                changes++;
            }
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            // The process exited (or is not ours to read): keep what we had; its frames stay unknown.
            gone = true;
            if (maps == null) {
                maps = MapsParser.parse("");
                changes++;
            }
        }
    }

    /** The file's text up to {@link #MAX_MAPS_BYTES}, cut after its last whole line when longer. */
    private String readBounded(Path file) throws IOException {
        byte[] b;
        try (InputStream in = Files.newInputStream(file)) {
            b = in.readNBytes(MAX_MAPS_BYTES + 1);
        }
        int len = b.length;
        if (len > MAX_MAPS_BYTES) {
            problems++;
            len = MAX_MAPS_BYTES;
            while (len > 0 && b[len - 1] != '\n') len--;
        }
        return new String(b, 0, len, StandardCharsets.ISO_8859_1);
    }
}
