package dev.hearth.symbolizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * JIT symbols of one process from its perf map, kept fresh: a JVM (JDK 17+) is asked to write its map
 * with Compiler.perfmap; when a JIT address misses, the map is asked for and read again, at most once
 * per refresh interval. Other JITs that write a perf map themselves are read the same way.
 */
final class JvmPerfMaps {
    private static final long ATTACH_TIMEOUT_MILLIS = 3000;
    /** After this many failed attaches in a row the JVM is not asked again (attach disabled, JDK < 17). */
    private static final int MAX_ATTACH_FAILURES = 3;
    /** Process start time has whole-second precision (boot time); a map this much older predates the process. */
    private static final long STALE_SLACK_MILLIS = 2000;

    private final Path proc;
    private final int pid;
    private final boolean hotSpot;
    private final boolean ask;
    private final long minIntervalNanos;
    private PerfMap map = PerfMap.EMPTY;
    private FileTime readVersion;
    private long refreshedAt;
    private boolean loaded;
    private int attachFailures;
    long reloads, requests;

    JvmPerfMaps(Path proc, int pid, boolean hotSpot, boolean askJvm, long minIntervalNanos) {
        this.proc = proc;
        this.pid = pid;
        this.hotSpot = hotSpot;
        this.ask = askJvm && hotSpot && attachAllowed(proc, pid);
        this.minIntervalNanos = minIntervalNanos;
    }

    boolean isHotSpot() { return hotSpot; }

    /** A JVM started with attach disabled (or -Xrs) is never signalled: it would not answer, or would die. */
    private static boolean attachAllowed(Path proc, int pid) {
        try {
            String cmdline = Files.readString(proc.resolve(Integer.toString(pid)).resolve("cmdline"), StandardCharsets.ISO_8859_1);
            for (String arg : cmdline.split("\0")) {
                if (arg.equals("-XX:+DisableAttachMechanism") || arg.equals("-Xrs")) return false;
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

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
                HotSpotAttach.jcmd(proc, pid, "Compiler.perfmap", ATTACH_TIMEOUT_MILLIS);
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
