package dev.hearth.symbolizer;

/**
 * Counters since the symbolizer was created, plus the current cache size.
 *
 * @param resolved        frames given a real name (symbol, Java method, kernel function)
 * @param unknown         frames left {@code [unknown]} (or {@code [jit]} for unnamed JIT code)
 * @param jitMisses       addresses in anonymous executable memory of a JVM that its perf map did not name
 * @param perfMapReloads  times a JVM perf map was (re)read
 * @param perfMapRequests times a JVM was asked to write its perf map
 * @param cachedBinaries  symbol tables currently cached
 * @param cachedBytes     approximate heap bytes held by the cached symbol tables
 * @param binaryLoads     symbol tables loaded from disk (cache misses)
 * @param perfMapLinesSkipped perf map lines skipped for being longer than the line bound
 * @param perfMapsTruncated   perf map reads stopped at the size or entry bound
 * @param unsafeFilesRefused  perf maps and binaries not read: a link, a FIFO or device, the wrong owner, too large
 * @param cutSymbols      symbols named only in part: cut at a length or work bound, or mangled past reading (kept raw)
 * @param badBinaries     binaries not readable as ELF, or read only in part (malformed, or past a bound)
 * @param badProcData     /proc/PID/maps lines skipped as unreadable or too long, and maps cut at their bound
 * @param frameFailures   frames whose naming failed in a way no bound caught (each became an unknown frame)
 */
public record SymbolizerStats(
        long resolved,
        long unknown,
        long jitMisses,
        long perfMapReloads,
        long perfMapRequests,
        int cachedBinaries,
        long cachedBytes,
        long binaryLoads,
        long perfMapLinesSkipped,
        long perfMapsTruncated,
        long unsafeFilesRefused,
        long cutSymbols,
        long badBinaries,
        long badProcData,
        long frameFailures) {}
