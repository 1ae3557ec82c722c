package dev.hearth.bpf;

import java.util.List;

/**
 * Puts the profiling programs into the kernel and drains the stacks they fold there.
 * Not thread-safe: one caller drains.
 */
public final class BpfProfiler implements AutoCloseable {

    private BpfProfiler() {
    }

    /** Loads and attaches the programs {@code config} asks for. */
    public static BpfProfiler start(ProfilerConfig config) {
        throw new BpfException("bpf-profile: the kernel side is not landed yet");
    }

    /** Everything counted since the previous drain; nothing is lost at the switch. */
    public List<RawSample> drain() {
        throw new IllegalStateException("not started");
    }

    /** True when a map passed its fill threshold: drain before the period ends. */
    public boolean drainDue() {
        return false;
    }

    /** Cumulative drop counts per reason. */
    public DropCounters drops() {
        return DropCounters.NONE;
    }

    /** Detaches and unloads everything; safe to call twice. */
    @Override
    public void close() {
    }
}
