package dev.hearth.agent.jvm;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import dev.hearth.agent.proc.ProcessStatus;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Signals a process through a pidfd (Linux 5.3+): the fd pins the process, so once its start time is
 * checked the signal cannot reach a later process that reused the pid.
 */
final class Signals {
    static {
        Native.register(Signals.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    static final int SIGQUIT = 3;
    // the same numbers on every architecture (the syscall table was unified before they were added)
    private static final long SYS_PIDFD_SEND_SIGNAL = 424;
    private static final long SYS_PIDFD_OPEN = 434;

    private Signals() {}

    private static native long syscall(long number, long a, long b, long c, long d);

    private static native int close(int fd);

    /** Sends {@code signal} to {@code pid} if it is still the process that started at {@code startTicks}. */
    static void send(Path proc, int pid, long startTicks, int signal) throws IOException {
        long fd = syscall(SYS_PIDFD_OPEN, pid, 0, 0, 0);
        if (fd < 0) throw new IOException("cannot open process " + pid + " (errno " + Native.getLastError() + ")");
        try {
            if (!ProcessStatus.alive(proc, pid, startTicks)) throw new IOException("process " + pid + " exited");
            if (syscall(SYS_PIDFD_SEND_SIGNAL, fd, signal, 0, 0) != 0) {
                throw new IOException("cannot signal process " + pid + " (errno " + Native.getLastError() + ")");
            }
        } finally {
            close((int) fd);
        }
    }
}
