package dev.hearth.symbolizer;

import dev.hearth.symbolizer.procfs.PidStat;
import dev.hearth.symbolizer.procfs.PidStatus;
import dev.hearth.symbolizer.safefs.BoundedLines;
import dev.hearth.symbolizer.safefs.FileStat;
import dev.hearth.symbolizer.safefs.SafeDir;
import dev.hearth.symbolizer.safefs.SafeFile;
import dev.hearth.symbolizer.safefs.UnsafeFileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * JIT symbols of one process from its perf map, kept fresh: a JVM (JDK 17+) is asked to write its map
 * (through the {@link PerfMapRequester}); when a JIT address misses, the map is asked for and read
 * again, at most once per refresh interval. Other JITs that write a perf map themselves are read the same way.
 *
 * <p>The map is the process's to write, in a folder anyone can write: it is opened through the
 * process's root with no link followed, must be a regular file (a FIFO never blocks) with one link,
 * owned by the process's user or root, and is read within {@link PerfMapLimits}.
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
    private final PerfMapLimits limits;
    private PerfMap map = PerfMap.EMPTY;
    private long readVersion = Long.MIN_VALUE;
    private long refreshedAt;
    private boolean loaded;
    private int attachFailures;
    long reloads, requests;
    /** Lines skipped as too long, reads stopped at a bound, maps refused (a link, FIFO, wrong owner). */
    long skippedLines, truncatedReads, refused;

    JvmPerfMaps(
            Path proc,
            int pid,
            boolean hotSpot,
            PerfMapRequester requester,
            long minIntervalNanos,
            PerfMapLimits limits) {
        this.limits = limits;
        this.proc = proc;
        this.pid = pid;
        this.hotSpot = hotSpot;
        this.requester = requester;
        this.ask = hotSpot && requester.canAsk(pid);
        this.minIntervalNanos = minIntervalNanos;
    }

    boolean isHotSpot() {
        return hotSpot;
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
                requester.request(pid);
                attachFailures = 0;
            } catch (IOException | RuntimeException e) {
                // JDK < 17, attach disabled, or the process is gone: use whatever map file exists
                attachFailures++;
            }
        }
        Path pidDir = proc.resolve(Integer.toString(pid));
        PidStatus status;
        try {
            status = PidStatus.read(pidDir);
            if (status.fsUid() < 0) return;
        } catch (IOException | RuntimeException e) {
            return; // gone, or not readable: as when its map cannot be opened
        }
        try (SafeDir root = SafeDir.openTrusted(pidDir.resolve("root"));
                SafeDir tmp = root.dir("tmp");
                SafeFile file = tmp.openFile("perf-" + status.nsPid() + ".map")) {
            file.requireOwner(status.fsUid(), 0).requireOneLink();
            FileStat stat = file.stat();
            long version = stat.modifiedMillis() ^ stat.size() * 31 ^ stat.inode() * 17;
            if (version == readVersion && map != PerfMap.EMPTY) return;
            // left by an earlier process with the same pid: its addresses would name the wrong code
            if (stat.modifiedMillis() < PidStat.read(pidDir).startMillis(proc) - STALE_SLACK_MILLIS) return;
            try (InputStream in = file.input()) {
                map = PerfMap.parse(
                        new BoundedLines(in, limits.maxLineBytes(), limits.maxBytes(), StandardCharsets.UTF_8),
                        limits.maxEntries());
            }
            skippedLines += map.skippedLines();
            if (map.truncated()) truncatedReads++;
            readVersion = version;
            reloads++;
        } catch (NoSuchFileException e) {
            // no map (yet): frames stay [jit]
        } catch (UnsafeFileException e) {
            refused++; // a link, a FIFO, someone else's file: never read
        } catch (IOException | RuntimeException e) {
            // unreadable: keep the previous map
        }
    }
}
