package dev.hearth.bpf;

/**
 * Kernel run-time statistics of one loaded program; counted only while BPF stats are enabled
 * ({@link BpfProfiler#enableStats()} or sysctl kernel.bpf_stats_enabled=1).
 */
public record ProgramStats(int id, String name, long runTimeNs, long runCount) {
    public double nsPerRun() {
        return runCount == 0 ? 0 : (double) runTimeNs / runCount;
    }
}
