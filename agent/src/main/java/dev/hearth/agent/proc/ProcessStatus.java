package dev.hearth.agent.proc;

import dev.hearth.symbolizer.procfs.PidStat;
import dev.hearth.symbolizer.procfs.PidStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What the agent checks about a process before it attaches to, signals or cleans up after it, read
 * from /proc/PID/stat and /proc/PID/status (the kernel writes both). {@code startTicks} tells the
 * process apart from a later one with the same pid.
 */
public record ProcessStatus(int pid, long startTicks, PidStatus status) {
    public static ProcessStatus read(Path proc, int pid) throws IOException {
        Path dir = proc.resolve(Integer.toString(pid));
        PidStatus status = PidStatus.read(dir);
        if (status.effectiveUid() < 0) throw new IOException("no Uid for process " + pid);
        return new ProcessStatus(pid, PidStat.read(dir).startTicks(), status);
    }

    /** The same process still runs: the pid exists and started at the same tick. */
    public static boolean alive(Path proc, int pid, long startTicks) {
        try {
            return PidStat.read(proc.resolve(Integer.toString(pid))).startTicks() == startTicks;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            return !Files.notExists(proc.resolve(Integer.toString(pid)));
        }
    }

    /** Its pid in its own pid namespace. */
    public int nsPid() {
        return status.nsPid();
    }

    public int euid() {
        return status.effectiveUid();
    }

    public boolean catchesSigquit() {
        return status.catchesSigquit();
    }
}
