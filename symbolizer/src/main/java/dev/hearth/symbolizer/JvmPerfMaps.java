package dev.hearth.symbolizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * JIT symbols of one process from its perf map, kept fresh: a JVM (JDK 17+) is asked to write its map
 * (through the {@link PerfMapRequester}); when a JIT address misses, the map is asked for and read
 * again, at most once per refresh interval. Other JITs that write a perf map themselves are read the same way.
 */
final class JvmPerfMaps {
    /** After this many failed attaches in a row the JVM is not asked again (attach disabled, JDK < 17). */
    private static final int MAX_ATTACH_FAILURES = 3;
    /** Process start time has whole-second precision (boot time); a map this much older predates the process. */
    private static final long STALE_SLACK_MILLIS = 2000;

    private final Path proc;
    private final int pid;
    private final boolean hotSpot;
    private final boolean ask;
    private final PerfMapRequester requester;
    private final long minIntervalNanos;
    private PerfMap map = PerfMap.EMPTY;
    private FileTime readVersion;
    private long refreshedAt;
    private boolean loaded;
    private int attachFailures;
    long reloads, requests;

    JvmPerfMaps(Path proc, int pid, boolean hotSpot, PerfMapRequester requester, long minIntervalNanos) {
        this.proc = proc;
        this.pid = pid;
        this.hotSpot = hotSpot;
        this.requester = requester;
        this.ask = hotSpot && requester.canAsk(pid);
        this.minIntervalNanos = minIntervalNanos;
    }

    boolean isHotSpot() { return hotSpot; }

    /** The perf map covering {@code addr} after at most one (rate-limited) refresh; check {@link PerfMap#find}. */
    PerfMap lookup(long addr) {
        if (!loaded) {
            loaded = true;
            refresh();
        } else if (map.find(addr) < 0 && System.nanoTime() - refreshedAt >= minIntervalNanos) {
            refresh();
        }
        return map;
    }

    private void refresh() {
        refreshedAt = System.nanoTime();
        if (ask && attachFailures < MAX_ATTACH_FAILURES) {
            try {
                requests++;
                requester.request(pid);
                attachFailures = 0;
            } catch (IOException | RuntimeException e) {
                // JDK < 17, attach disabled, or the process is gone: use whatever map file exists
                attachFailures++;
            }
        }
        try {
            Path file = mapFile();
            FileTime version = Files.getLastModifiedTime(file);
            if (version.equals(readVersion) && map != PerfMap.EMPTY) return;
            // left by an earlier process with the same pid: its addresses would name the wrong code
            if (version.toMillis() < ProcStatus.startMillis(proc.resolve(Integer.toString(pid))) - STALE_SLACK_MILLIS) return;
            map = PerfMap.read(file);
            readVersion = version;
            reloads++;
        } catch (NoSuchFileException e) {
            // no map (yet): frames stay [jit]
        } catch (IOException | RuntimeException e) {
            // unreadable: keep the previous map
        }
    }

    /** /tmp/perf-N.map inside the process's root, N its pid in its own namespace. */
    private Path mapFile() throws IOException {
        Path pidDir = proc.resolve(Integer.toString(pid));
        return Path.of(pidDir.resolve("root") + "/tmp/perf-" + ProcStatus.nsPid(pidDir) + ".map");
    }
}
