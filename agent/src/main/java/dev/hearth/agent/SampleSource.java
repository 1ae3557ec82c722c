package dev.hearth.agent;

import dev.hearth.bpf.DropCounters;
import dev.hearth.bpf.RawSample;
import java.util.List;

/** Where raw samples come from: the kernel (see {@link BpfSampleSource}). One thread drains. */
public interface SampleSource extends AutoCloseable {
    /** Everything counted since the previous drain. */
    List<RawSample> drain();

    /** A map is filling up: drain before the period ends. */
    boolean drainDue();

    /** Cumulative drops per reason. */
    DropCounters drops();

    /** Kernel time spent in the sampling programs so far; 0 unless BPF run-time stats are on. */
    default long programRunNanos() {
        return 0;
    }

    /** Memory held by the kernel-side maps. */
    default long mapBytes() {
        return 0;
    }

    /** Stops sampling and releases everything; safe to call twice. */
    @Override
    void close();
}
