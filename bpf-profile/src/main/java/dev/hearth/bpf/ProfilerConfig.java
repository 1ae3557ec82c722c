package dev.hearth.bpf;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What to sample. {@code pids} empty means every process. {@code taskStateMask} selects which
 * switched-out tasks count as off-CPU, by their scheduler state bits ({@link #STATE_INTERRUPTIBLE},
 * {@link #STATE_UNINTERRUPTIBLE}, {@link #STATE_PREEMPTED}, or any kernel {@code TASK_*} bit).
 * Blocks shorter than {@code minBlockNs} or longer than {@code maxBlockNs} are not counted.
 * {@code drainPeriod} is how often the caller drains; the maps are sized for it.
 */
public record ProfilerConfig(
        boolean onCpu,
        int hz,
        boolean offCpu,
        long minBlockNs,
        long maxBlockNs,
        int taskStateMask,
        List<UprobeSpec> uprobes,
        Set<Integer> pids,
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
            throw new IllegalArgumentException(
                    "need 0 <= minBlockNs <= maxBlockNs, got " + minBlockNs + ", " + maxBlockNs);
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
        return new Builder().build();
    }

    public ProfilerConfig withOnCpu(boolean v) {
        return change(b -> b.onCpu = v);
    }

    public ProfilerConfig withHz(int v) {
        return change(b -> b.hz = v);
    }

    public ProfilerConfig withOffCpu(boolean v) {
        return change(b -> b.offCpu = v);
    }

    public ProfilerConfig withMinBlockNs(long v) {
        return change(b -> b.minBlockNs = v);
    }

    public ProfilerConfig withMaxBlockNs(long v) {
        return change(b -> b.maxBlockNs = v);
    }

    public ProfilerConfig withTaskStateMask(int v) {
        return change(b -> b.taskStateMask = v);
    }

    public ProfilerConfig withUprobes(List<UprobeSpec> v) {
        return change(b -> b.uprobes = v);
    }

    public ProfilerConfig withPids(Set<Integer> v) {
        return change(b -> b.pids = v);
    }

    public ProfilerConfig withDrainPeriod(Duration v) {
        return change(b -> b.drainPeriod = v);
    }

    /** This config with one setting changed (and checked again). */
    private ProfilerConfig change(Consumer<Builder> setting) {
        Builder b = new Builder(this);
        setting.accept(b);
        return b.build();
    }

    /** The settings one by one: the one place that lists them all, with their defaults. */
    private static final class Builder {
        boolean onCpu = true;
        int hz = 99;
        boolean offCpu;
        long minBlockNs = 1_000;
        long maxBlockNs = Long.MAX_VALUE;
        int taskStateMask = STATE_BLOCKED;
        List<UprobeSpec> uprobes = List.of();
        Set<Integer> pids = Set.of();
        Duration drainPeriod = Duration.ofSeconds(10);

        Builder() {}

        Builder(ProfilerConfig c) {
            onCpu = c.onCpu;
            hz = c.hz;
            offCpu = c.offCpu;
            minBlockNs = c.minBlockNs;
            maxBlockNs = c.maxBlockNs;
            taskStateMask = c.taskStateMask;
            uprobes = c.uprobes;
            pids = c.pids;
            drainPeriod = c.drainPeriod;
        }

        ProfilerConfig build() {
            return new ProfilerConfig(
                    onCpu, hz, offCpu, minBlockNs, maxBlockNs, taskStateMask, uprobes, pids, drainPeriod);
        }
    }
}
