package dev.hearth.symbolizer;

/**
 * Bounds on reading a perf map, a file the profiled process writes: how many bytes are read, how
 * long a line may be (longer ones are skipped), and how many entries are kept. Together they bound
 * the memory one map costs (about 70 bytes per entry while parsing, plus the names).
 *
 * @param maxBytes     bytes read from one map; reading stops there (counted)
 * @param maxLineBytes longest line taken; longer lines are skipped (counted). Java signatures run to
 *                     a few hundred bytes
 * @param maxEntries   entries kept from one map; the rest are dropped (counted as a stop)
 */
public record PerfMapLimits(long maxBytes, int maxLineBytes, int maxEntries) {
    /** 16 MB, 4 KB, 250,000 entries: a large service's JVM writes a few MB and tens of thousands of entries. */
    public static final PerfMapLimits DEFAULTS = new PerfMapLimits(16L << 20, 4096, 250_000);

    public PerfMapLimits {
        if (maxBytes < 1) throw new IllegalArgumentException("perf map size bound must be positive, got " + maxBytes);
        if (maxLineBytes < 64)
            throw new IllegalArgumentException("perf map line bound must be at least 64 bytes, got " + maxLineBytes);
        if (maxEntries < 1)
            throw new IllegalArgumentException("perf map entry bound must be positive, got " + maxEntries);
    }
}
