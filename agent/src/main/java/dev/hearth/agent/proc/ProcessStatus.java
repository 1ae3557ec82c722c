package dev.hearth.agent.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What the agent checks about a process before it attaches to, signals or cleans up after it, read
 * from /proc/PID/status and /proc/PID/stat (the kernel writes both). {@code startTicks} tells the
 * process apart from a later one with the same pid; {@code nsPid} is its pid in its own namespace.
 */
public record ProcessStatus(int pid, long startTicks, int nsPid, int euid, long caughtSignals, long ignoredSignals) {
    /** SIGQUIT (3) in the signal masks of /proc/PID/status. */
    public static final long SIGQUIT_MASK = 1L << (3 - 1);

    public static ProcessStatus read(Path proc, int pid) throws IOException {
        Path dir = proc.resolve(Integer.toString(pid));
        String stat = Files.readString(dir.resolve("stat"), StandardCharsets.ISO_8859_1);
        int close = stat.lastIndexOf(')');
        if (close < 0) throw new IOException("malformed " + dir.resolve("stat"));
        long startTicks = ProcFs.startTicks(stat.substring(close + 1).trim().split(" "));
        int nsPid = pid;
        int euid = -1;
        long caught = 0;
        long ignored = 0;
        for (String line : Files.readAllLines(dir.resolve("status"), StandardCharsets.ISO_8859_1)) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String[] v = line.substring(colon + 1).trim().split("\\s+");
            switch (line.substring(0, colon)) {
                case "NSpid" -> nsPid = Integer.parseInt(v[v.length - 1]);
                case "Uid" -> euid = Integer.parseInt(v[1]);
                case "SigCgt" -> caught = Long.parseUnsignedLong(v[0], 16);
                case "SigIgn" -> ignored = Long.parseUnsignedLong(v[0], 16);
                default -> { }
            }
        }
        if (euid < 0 || startTicks < 0) throw new IOException("no Uid or start time for process " + pid);
        return new ProcessStatus(pid, startTicks, nsPid, euid, caught, ignored);
    }

    /** The same process still runs: the pid exists and started at the same tick. */
    public static boolean alive(Path proc, int pid, long startTicks) {
        try {
            return read(proc, pid).startTicks() == startTicks;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            return !Files.notExists(proc.resolve(Integer.toString(pid)));
        }
    }

    /** SIGQUIT starts HotSpot's attach listener; a process that does not catch it would dump core or die. */
    public boolean catchesSigquit() {
        return (caughtSignals & SIGQUIT_MASK) != 0 && (ignoredSignals & SIGQUIT_MASK) == 0;
    }
}
