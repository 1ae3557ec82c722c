package dev.hearth.bpf;

/**
 * Map sizes for one drain period. Counts: one entry per sample at worst. Stacks: a sample brings
 * at most a user and a kernel stack, but most repeat, so one entry per counts entry; each holds
 * 127 frames x 8 bytes. Known stacks: twice the stacks, as they outlive a drain. All are capped.
 */
record MapSizing(int counts, int stacks, int knownStacks, int offCpuStarts, int callStarts, int targetPids) {
    static final int MIN_COUNTS = 1024;
    static final int MAX_COUNTS = 65_536;
    static final int MIN_STACKS = 1024;
    static final int MAX_STACKS = 32_768;
    /** hashes user space publishes as known (an entry is ~64 bytes; the frames stay in user space) */
    static final int MIN_KNOWN = 4096;

    static final int MAX_KNOWN = 65_536;
    /** distinct off-CPU and uprobe keys we plan for per second and source */
    static final int KEYS_PER_SECOND = 200;

    static final int TARGET_PIDS = 4096;
    /** drainDue() fires when the counts or the stacks map is this full */
    static final double THRESHOLD = 0.75;

    static MapSizing of(ProfilerConfig c, int onlineCpus) {
        double seconds = c.drainPeriod().toMillis() / 1000.0;
        long keys = 0;
        if (c.onCpu()) {
            keys += (long) Math.ceil(onlineCpus * (double) c.hz() * seconds);
        }
        if (c.offCpu()) {
            keys += (long) Math.ceil(KEYS_PER_SECOND * seconds);
        }
        keys += (long) Math.ceil(c.uprobes().size() * 2L * KEYS_PER_SECOND * seconds);
        int counts = (int) clamp(keys, MIN_COUNTS, MAX_COUNTS);
        int stacks = (int) clamp(keys, MIN_STACKS, MAX_STACKS);
        int callStarts = c.uprobes().stream().anyMatch(UprobeSpec::latency) ? 16_384 : 1;
        int known = (int) clamp(2L * stacks, MIN_KNOWN, MAX_KNOWN);
        return new MapSizing(counts, stacks, known, c.offCpu() ? 32_768 : 1, callStarts, TARGET_PIDS);
    }

    boolean pastThreshold(long countKeys, long stackKeys) {
        return countKeys >= counts * THRESHOLD || stackKeys >= stacks * THRESHOLD;
    }

    private static long clamp(long v, long min, long max) {
        return Math.max(min, Math.min(max, v));
    }
}
