package dev.hearth.agent;

import dev.hearth.symbolizer.procfs.PidStat;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What exec sets anew in a process: where its program's code starts and ends and where its stack
 * starts (/proc/PID/stat fields 26-28). The same pid with another stamp runs another program, or the
 * same one at other (randomized) addresses. A process that cannot be read has {@link #NONE}.
 */
record ExecStamp(long startCode, long endCode, long startStack) {
    static final ExecStamp NONE = new ExecStamp(0, 0, 0);

    static ExecStamp read(int pid) {
        return read(Path.of("/proc", Integer.toString(pid)));
    }

    static ExecStamp read(Path pidDir) {
        try {
            return of(PidStat.read(pidDir));
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    static ExecStamp of(PidStat stat) {
        return new ExecStamp(stat.startCode(), stat.endCode(), stat.startStack());
    }
}
