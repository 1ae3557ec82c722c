package dev.hearth.bpf;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to sample. {@code pids} empty means every process. {@code taskStateMask} selects which
 * switched-out tasks count as off-CPU, by their scheduler state bits ({@link #STATE_INTERRUPTIBLE},
 * {@link #STATE_UNINTERRUPTIBLE}, {@link #STATE_PREEMPTED}, or any kernel {@code TASK_*} bit).
 * Blocks shorter than {@code minBlockNs} or longer than {@code maxBlockNs} are not counted.
 * {@code drainPeriod} is how often the caller drains; the maps are sized for it.
 */
public record ProfilerConfig(boolean onCpu, int hz, boolean offCpu, long minBlockNs, long maxBlockNs,
                             int taskStateMask, List<UprobeSpec> uprobes, Set<Integer> pids,
                             Duration drainPeriod) {

    public static final int STATE_INTERRUPTIBLE = 0x1;
    public static final int STATE_UNINTERRUPTIBLE = 0x2;
    /** not a kernel state bit: a task switched out while still runnable (preempted) */
    public static final int STATE_PREEMPTED = 0x4000_0000;
    /** blocked time of sleeping tasks, what off-CPU profilers usually show */
    public static final int STATE_BLOCKED = STATE_INTERRUPTIBLE | STATE_UNINTERRUPTIBLE;
    public static final int MAX_HZ = 10_000;

    public ProfilerConfig {
        if (hz < 1 || hz > MAX_HZ) {
            throw new IllegalArgumentException("hz must be within 1.." + MAX_HZ + ", got " + hz);
        }
        if (minBlockNs < 0 || maxBlockNs < minBlockNs) {
            throw new IllegalArgumentException("need 0 <= minBlockNs <= maxBlockNs, got "
                    + minBlockNs + ", " + maxBlockNs);
        }
        if (taskStateMask == 0) {
            throw new IllegalArgumentException("taskStateMask 0 selects no task state");
        }
        Objects.requireNonNull(drainPeriod, "drainPeriod");
        if (drainPeriod.isNegative() || drainPeriod.isZero()) {
            throw new IllegalArgumentException("drainPeriod must be positive, got " + drainPeriod);
        }
        uprobes = List.copyOf(uprobes);
        pids = Set.copyOf(pids);
        for (int pid : pids) {
            if (pid <= 0) {
                throw new IllegalArgumentException("pid must be positive, got " + pid);
            }
        }
    }

    /** on-CPU at 99 Hz for every process, no off-CPU, no uprobes, drained every 10 s. */
    public static ProfilerConfig defaults() {
        return new ProfilerConfig(true, 99, false, 1_000, Long.MAX_VALUE, STATE_BLOCKED,
                List.of(), Set.of(), Duration.ofSeconds(10));
    }

    public ProfilerConfig withOnCpu(boolean v) {
        return new ProfilerConfig(v, hz, offCpu, minBlockNs, maxBlockNs, taskStateMask, uprobes, pids, drainPeriod);
    }

    public ProfilerConfig withHz(int v) {
        return new ProfilerConfig(onCpu, v, offCpu, minBlockNs, maxBlockNs, taskStateMask, uprobes, pids, drainPeriod);
    }

    public ProfilerConfig withOffCpu(boolean v) {
        return new ProfilerConfig(onCpu, hz, v, minBlockNs, maxBlockNs, taskStateMask, uprobes, pids, drainPeriod);
    }

    public ProfilerConfig withMinBlockNs(long v) {
        return new ProfilerConfig(onCpu, hz, offCpu, v, maxBlockNs, taskStateMask, uprobes, pids, drainPeriod);
    }

    public ProfilerConfig withMaxBlockNs(long v) {
        return new ProfilerConfig(onCpu, hz, offCpu, minBlockNs, v, taskStateMask, uprobes, pids, drainPeriod);
    }

    public ProfilerConfig withTaskStateMask(int v) {
        return new ProfilerConfig(onCpu, hz, offCpu, minBlockNs, maxBlockNs, v, uprobes, pids, drainPeriod);
    }

    public ProfilerConfig withUprobes(List<UprobeSpec> v) {
        return new ProfilerConfig(onCpu, hz, offCpu, minBlockNs, maxBlockNs, taskStateMask, v, pids, drainPeriod);
    }

    public ProfilerConfig withPids(Set<Integer> v) {
        return new ProfilerConfig(onCpu, hz, offCpu, minBlockNs, maxBlockNs, taskStateMask, uprobes, v, drainPeriod);
    }

    public ProfilerConfig withDrainPeriod(Duration v) {
        return new ProfilerConfig(onCpu, hz, offCpu, minBlockNs, maxBlockNs, taskStateMask, uprobes, pids, v);
    }
}
