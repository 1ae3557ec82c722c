package dev.hearth.bpf;

import com.sun.jna.Memory;
import com.sun.jna.Native;

/** perf_event_open(2) for the software cpu-clock event, sampling at a frequency. */
final class PerfEvents {
    private static final int ATTR_SIZE = 128;
    private static final int PERF_TYPE_SOFTWARE = 1;
    private static final int PERF_COUNT_SW_CPU_CLOCK = 0;
    private static final long FLAG_DISABLED = 1L; // enabled by libbpf once the program is attached
    private static final long FLAG_FREQ = 1L << 10; // sample_freq, not sample_period
    private static final long PERF_FLAG_FD_CLOEXEC = 8;

    private PerfEvents() {}

    /** One event for every task on {@code cpu} (pid -1); returns its fd. */
    static int openCpuClock(int cpu, int hz) {
        try (Memory attr = new Memory(ATTR_SIZE)) {
            attr.clear();
            attr.setInt(0, PERF_TYPE_SOFTWARE);
            attr.setInt(4, ATTR_SIZE);
            attr.setLong(8, PERF_COUNT_SW_CPU_CLOCK);
            attr.setLong(16, hz);
            attr.setLong(40, FLAG_DISABLED | FLAG_FREQ);
            long fd = LibC.syscall(LibC.SYS_PERF_EVENT_OPEN, attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
            if (fd < 0) {
                int errno = Native.getLastError();
                throw new BpfException("perf_event_open(cpu-clock, cpu " + cpu + ", " + hz + " Hz) failed: "
                        + LibC.errorName(errno) + hint(errno));
            }
            return (int) fd;
        }
    }

    private static String hint(int errno) {
        return switch (errno) {
            case 1, 13 -> " — run as root or grant CAP_PERFMON (kernel.perf_event_paranoid restricts unprivileged use)";
            case 22 -> " — the frequency may exceed kernel.perf_event_max_sample_rate; lower --hz";
            case 2, 95 -> " — this kernel has no cpu-clock software event";
            default -> "";
        };
    }
}
