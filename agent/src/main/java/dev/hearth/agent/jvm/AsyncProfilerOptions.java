package dev.hearth.agent.jvm;

import java.time.Duration;
import java.util.List;

/**
 * What async-profiler records in each JVM. A zero (or null) interval turns that event off; wall
 * clock is off unless set. {@code rotation} is how often the JFR output moves to a new file
 * (whole seconds, async-profiler's loop granularity). {@code maxRecordingBytes} bounds one
 * recording file the agent reads (the JVM's user writes it); a larger one is skipped and counted.
 */
public record AsyncProfilerOptions(
        Duration cpuInterval,
        long allocBytes,
        Duration lockThreshold,
        Duration wallInterval,
        Duration rotation,
        long maxRecordingBytes) {
    /** 64 MB: ten seconds of CPU, allocation and lock events of a busy JVM take a few MB. */
    public static final long DEFAULT_MAX_RECORDING_BYTES = 64L << 20;
    /** async-profiler's log file in the session folder. */
    static final String LOG_FILE = "profiler.log";

    /** Tried in order: perf events (cpu), then POSIX CPU timers, then setitimer, where the kernel refuses one. */
    static final List<String> CPU_EVENTS = List.of("cpu", "ctimer", "itimer");

    /** CPU every 10 ms only, as the agent's flags default to: allocation and lock sampling cost the profiled JVM. */
    public static final AsyncProfilerOptions DEFAULTS =
            new AsyncProfilerOptions(Duration.ofMillis(10), 0, null, null, Duration.ofSeconds(10));

    /** With the default recording size bound. */
    public AsyncProfilerOptions(
            Duration cpuInterval, long allocBytes, Duration lockThreshold, Duration wallInterval, Duration rotation) {
        this(cpuInterval, allocBytes, lockThreshold, wallInterval, rotation, DEFAULT_MAX_RECORDING_BYTES);
    }

    public AsyncProfilerOptions {
        if (maxRecordingBytes < 1)
            throw new IllegalArgumentException("recording size bound must be positive, got " + maxRecordingBytes);
        if (allocBytes < 0) throw new IllegalArgumentException("alloc interval must not be negative");
        if (rotation == null || rotation.toSeconds() < 1)
            throw new IllegalArgumentException("rotation must be at least 1s, got " + rotation);
        if (!on(cpuInterval) && allocBytes == 0 && !on(lockThreshold) && !on(wallInterval)) {
            throw new IllegalArgumentException("async-profiler needs at least one of cpu, alloc, lock, wall");
        }
    }

    public boolean cpu() {
        return on(cpuInterval);
    }

    /** The CPU events to try, in order; just {@code null} when CPU profiling is off. */
    List<String> cpuEvents() {
        return cpu() ? CPU_EVENTS : java.util.Collections.singletonList(null);
    }

    /** The agent arguments that start one looping JFR recording into {@code dir} (a path in the target). */
    String startCommand(String cpuEvent, String dir) {
        StringBuilder s = new StringBuilder("start,quiet");
        if (cpuEvent != null)
            s.append(",event=").append(cpuEvent).append(",interval=").append(cpuInterval.toNanos());
        if (allocBytes > 0) s.append(",alloc=").append(allocBytes);
        if (on(lockThreshold)) s.append(",lock=").append(lockThreshold.toNanos());
        if (on(wallInterval)) s.append(",wall=").append(wallInterval.toNanos());
        return s.append(",jfr,loop=")
                .append(rotation.toSeconds())
                .append("s,file=")
                .append(dir)
                .append("/%n.jfr")
                .append(",log=")
                .append(log(dir))
                .toString();
    }

    /** The log goes nowhere: the session folder may be gone, and a profiler that cannot open its log prints to the JVM's stdout. */
    static String stopCommand() {
        return "stop,log=/dev/null";
    }

    /** async-profiler's own messages, read back when a command fails. */
    static String log(String dir) {
        return dir + "/" + LOG_FILE;
    }

    private static boolean on(Duration d) {
        return d != null && !d.isZero() && !d.isNegative();
    }
}
