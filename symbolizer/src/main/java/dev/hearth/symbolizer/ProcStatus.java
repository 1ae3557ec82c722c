package dev.hearth.symbolizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Fields of /proc/PID/status and /proc/PID/stat. */
final class ProcStatus {
    /** The kernel writes these files, a few KiB each (/proc/stat grows with CPUs and interrupts): read no more. */
    private static final int MAX_PID_FILE = 64 * 1024, MAX_PROC_STAT = 4 << 20;

    private ProcStatus() {}

    /** The pid inside the process's own pid namespace (last NSpid field); the host pid when it has none. */
    static int nsPid(Path pidDir) throws IOException {
        String v = field(pidDir, "NSpid");
        if (v == null) return Integer.parseInt(pidDir.getFileName().toString());
        String[] parts = v.trim().split("\\s+");
        return Integer.parseInt(parts[parts.length - 1]);
    }

    /** The uid the process creates files as (the fourth, file-system, field of "Uid:"). */
    static int fsUid(Path pidDir) throws IOException {
        String v = field(pidDir, "Uid");
        if (v == null) throw new IOException("no Uid in " + pidDir.resolve("status"));
        String[] parts = v.trim().split("\\s+");
        return Integer.parseInt(parts[parts.length - 1]);
    }

    /**
     * When the process started, in Unix milliseconds (second precision: boot time is whole seconds).
     * Field 22 of /proc/PID/stat counts USER_HZ ticks (100 on Linux) since boot.
     */
    static long startMillis(Path pidDir) throws IOException {
        String stat = read(pidDir.resolve("stat"), MAX_PID_FILE);
        // comm (field 2) may hold spaces and parentheses: count fields after its closing parenthesis
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        long ticks = Long.parseLong(after[22 - 3]);
        long bootSeconds = 0;
        for (String line : read(pidDir.getParent().resolve("stat"), MAX_PROC_STAT).split("\n")) {
            if (line.startsWith("btime ")) bootSeconds = Long.parseLong(line.substring(6).trim());
        }
        return bootSeconds * 1000 + ticks * 10;
    }

    private static String field(Path pidDir, String name) throws IOException {
        for (String line : read(pidDir.resolve("status"), MAX_PID_FILE).split("\n")) {
            if (line.startsWith(name + ":")) return line.substring(name.length() + 1);
        }
        return null;
    }

    private static String read(Path file, int max) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(max), StandardCharsets.ISO_8859_1);
        }
    }
}
