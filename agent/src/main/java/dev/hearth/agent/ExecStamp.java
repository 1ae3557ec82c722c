package dev.hearth.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What exec sets anew in a process: where its program's code starts and ends and where its stack
 * starts (/proc/PID/stat fields 26-28). The same pid with another stamp runs another program, or the
 * same one at other (randomized) addresses. A process that cannot be read has {@link #NONE}.
 */
record ExecStamp(long startCode, long endCode, long startStack) {
    static final ExecStamp NONE = new ExecStamp(0, 0, 0);

    static ExecStamp read(int pid) {
        return read(Path.of("/proc", Integer.toString(pid), "stat"));
    }

    static ExecStamp read(Path stat) {
        try {
            return parse(Files.readString(stat));
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    /** Parses a /proc/PID/stat line; the command name may hold spaces and parentheses. */
    static ExecStamp parse(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3 (state), so field n is f[n - 3]
        return new ExecStamp(Long.parseUnsignedLong(f[23]), Long.parseUnsignedLong(f[24]), Long.parseUnsignedLong(f[25]));
    }
}
