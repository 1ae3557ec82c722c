package dev.hearth.agent;

import dev.hearth.bpf.BpfProfiler;
import dev.hearth.bpf.DropCounters;
import dev.hearth.bpf.ProfilerConfig;
import dev.hearth.bpf.ProgramStats;
import dev.hearth.bpf.RawSample;
import dev.hearth.bpf.UnwindStats;
import dev.hearth.bpf.Unwinding;
import java.util.List;

/** The agent's one contact with the BPF side. */
public final class BpfSampleSource implements SampleSource {
    private final BpfProfiler profiler;
    private volatile boolean closed;

    private BpfSampleSource(BpfProfiler profiler) {
        this.profiler = profiler;
    }

    /** Loads and attaches the programs; throws {@link dev.hearth.bpf.BpfException} naming the cause. */
    public static BpfSampleSource start(ProfilerConfig config) {
        return start(config, null);
    }

    /** The same, walking user stacks by unwind table when {@code unwinding} is given (null: frame pointers). */
    public static BpfSampleSource start(ProfilerConfig config, Unwinding unwinding) {
        return new BpfSampleSource(BpfProfiler.start(config, unwinding));
    }

    /** How the kernel's table walks ended, and the tables it holds. */
    public UnwindStats unwindStats() {
        return closed ? UnwindStats.NONE : profiler.unwindStats();
    }

    @Override
    public List<RawSample> drain() {
        return profiler.drain();
    }

    @Override
    public boolean drainDue() {
        return profiler.drainDue();
    }

    @Override
    public DropCounters drops() {
        return profiler.drops();
    }

    @Override
    public long programRunNanos() {
        if (closed) return 0; // a late scrape during shutdown
        return profiler.programStats().stream()
                .mapToLong(ProgramStats::runTimeNs)
                .sum();
    }

    @Override
    public long mapBytes() {
        return closed ? 0 : profiler.mapMemoryBytes();
    }

    /** Makes the kernel count program run time (kernel.bpf_stats_enabled) until closed; it costs a little per run. */
    public static AutoCloseable enableRunTimeStats() {
        return BpfProfiler.enableStats();
    }

    @Override
    public void close() {
        closed = true;
        profiler.close();
    }
}
