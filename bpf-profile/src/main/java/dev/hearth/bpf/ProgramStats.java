package dev.hearth.bpf;

/**
 * Kernel run-time statistics of one loaded program; counted only while BPF stats are enabled
 * ({@link BpfProfiler#enableStats()} or sysctl kernel.bpf_stats_enabled=1). Recursion misses (runs
 * the kernel skipped because the program was already active on that CPU) are always counted.
 */
public record ProgramStats(int id, String name, long runTimeNs, long runCount, long recursionMisses) {
    public double nsPerRun() {
        return runCount == 0 ? 0 : (double) runTimeNs / runCount;
    }
}
