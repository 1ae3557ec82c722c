package dev.hearth.symbolizer.procfs;

import java.io.IOException;
import java.nio.file.Path;

/** /proc/stat, the system-wide one (not a process's /proc/PID/stat): its boot time. */
public final class SystemStat {
    private SystemStat() {}

    /** The "btime" line: when the system booted, in Unix seconds. */
    public static long bootSeconds(Path proc) throws IOException {
        for (String line :
                KernelFile.read(proc.resolve("stat"), KernelFile.MAX_PROC_STAT).split("\n")) {
            if (line.startsWith("btime "))
                return Long.parseLong(line.substring(6).trim());
        }
        throw new IOException("no btime in " + proc.resolve("stat"));
    }
}
