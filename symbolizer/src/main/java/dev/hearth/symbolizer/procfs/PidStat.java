package dev.hearth.symbolizer.procfs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The fields of /proc/PID/stat Hearth uses (proc(5) numbers them from 1): {@code flags} (9),
 * {@code startTicks} (22, clock ticks since boot: with the pid, it tells a process from a later one
 * with the same pid), and what exec sets anew, {@code startCode}, {@code endCode},
 * {@code startStack} (26-28; 0 when the line stops before them).
 */
public record PidStat(long flags, long startTicks, long startCode, long endCode, long startStack) {
    /** The task is a kernel thread (include/linux/sched.h). */
    public static final long PF_KTHREAD = 0x00200000;

    public static PidStat read(Path pidDir) throws IOException {
        String text = KernelFile.read(pidDir.resolve("stat"), KernelFile.MAX_PID_FILE);
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed " + pidDir.resolve("stat") + ": " + e.getMessage(), e);
        }
    }

    /** Parses the line; the command name (field 2) may hold spaces and parentheses, so fields count from its last ')'. */
    public static PidStat parse(String line) {
        int close = line.lastIndexOf(')');
        if (close < 0) throw new IllegalArgumentException("no command name");
        String[] f = line.substring(close + 1).trim().split("\\s+");
        // f[0] is field 3 (state): field n is f[n - 3]
        if (f.length < 22 - 2) throw new IllegalArgumentException("only " + (f.length + 2) + " fields");
        return new PidStat(
                Long.parseLong(f[9 - 3]), Long.parseLong(f[22 - 3]), field(f, 26), field(f, 27), field(f, 28));
    }

    private static long field(String[] f, int n) {
        return f.length > n - 3 ? Long.parseUnsignedLong(f[n - 3]) : 0;
    }

    public boolean kernelThread() {
        return (flags & PF_KTHREAD) != 0;
    }

    /** When the process started, in Unix milliseconds: boot time (whole seconds) plus its start ticks at the system's tick rate. */
    public long startMillis(Path proc) throws IOException {
        return SystemStat.bootSeconds(proc) * 1000 + startTicks * 1000 / ClockTicks.perSecond();
    }
}
