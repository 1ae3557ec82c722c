package dev.hearth.symbolizer;

import java.time.Duration;

/**
 * @param askJvmForPerfMap          ask HotSpot JVMs (JDK 17+) to write their perf map, through the symbolizer's {@link PerfMapRequester}
 * @param maxCachedBinaries         how many binaries' symbol tables stay cached (least recently used go first)
 * @param perfMapRefreshMinInterval shortest time between two re-reads (and re-requests) of one JVM's perf map
 * @param perfMapLimits             bounds on reading one perf map (a file the profiled process writes)
 */
public record SymbolizerOptions(
        boolean askJvmForPerfMap,
        int maxCachedBinaries,
        Duration perfMapRefreshMinInterval,
        PerfMapLimits perfMapLimits) {
    public SymbolizerOptions {
        if (maxCachedBinaries < 1)
            throw new IllegalArgumentException("maxCachedBinaries must be at least 1, got " + maxCachedBinaries);
        if (perfMapRefreshMinInterval == null || perfMapRefreshMinInterval.isNegative())
            throw new IllegalArgumentException("perfMapRefreshMinInterval must be zero or positive");
        if (perfMapLimits == null) throw new IllegalArgumentException("perfMapLimits must be given");
    }

    /** With the default perf map bounds. */
    public SymbolizerOptions(boolean askJvmForPerfMap, int maxCachedBinaries, Duration perfMapRefreshMinInterval) {
        this(askJvmForPerfMap, maxCachedBinaries, perfMapRefreshMinInterval, PerfMapLimits.DEFAULTS);
    }

    public static SymbolizerOptions defaults() {
        return new SymbolizerOptions(true, 256, Duration.ofSeconds(10));
    }
}
