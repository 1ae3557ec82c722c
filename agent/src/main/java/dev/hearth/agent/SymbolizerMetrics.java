package dev.hearth.agent;

import dev.hearth.symbolizer.Symbolizer;

/** The symbolizer's counters as metrics. */
final class SymbolizerMetrics {
    private SymbolizerMetrics() {}

    static void register(Metrics m, Symbolizer s, SymbolizingResolver r) {
        m.read(
                "hearth_agent_frames_symbolized_total",
                "frames given a name (by the symbolizer or from the frame cache)",
                Metrics.Kind.COUNTER,
                () -> s.stats().resolved() + r.cacheHits());
        m.read(
                "hearth_agent_frame_cache_hits_total",
                "named frames served from the frame cache",
                Metrics.Kind.COUNTER,
                r::cacheHits);
        m.read(
                "hearth_agent_frame_cache_frames",
                "frames held by the frame cache",
                Metrics.Kind.GAUGE,
                r::cachedFrames);
        m.read(
                "hearth_agent_symbolization_misses_total",
                "frames left unknown",
                Metrics.Kind.COUNTER,
                () -> s.stats().unknown() + r.unnamedCacheHits());
        m.read(
                "hearth_agent_jit_misses_total",
                "JIT addresses a JVM's perf map did not name",
                Metrics.Kind.COUNTER,
                () -> s.stats().jitMisses());
        m.read(
                "hearth_agent_perf_map_reloads_total",
                "JVM perf maps (re)read",
                Metrics.Kind.COUNTER,
                () -> s.stats().perfMapReloads());
        m.read(
                "hearth_agent_perf_map_lines_skipped_total",
                "perf map lines longer than --perf-map-max-line, skipped",
                Metrics.Kind.COUNTER,
                () -> s.stats().perfMapLinesSkipped());
        m.read(
                "hearth_agent_perf_maps_truncated_total",
                "perf map reads stopped at --perf-map-max-size or --perf-map-max-entries",
                Metrics.Kind.COUNTER,
                () -> s.stats().perfMapsTruncated());
        m.read(
                "hearth_agent_unsafe_files_refused_total",
                "perf maps and binaries not read: a link, a FIFO, the wrong owner or too large",
                Metrics.Kind.COUNTER,
                () -> s.stats().unsafeFilesRefused());
        m.read(
                "hearth_agent_symbols_cut_total",
                "symbols named only in part: cut at a bound, or mangled past reading",
                Metrics.Kind.COUNTER,
                () -> s.stats().cutSymbols());
        m.read(
                "hearth_agent_bad_binaries_total",
                "binaries not readable as ELF, or read only in part (malformed, or past a bound)",
                Metrics.Kind.COUNTER,
                () -> s.stats().badBinaries());
        m.read(
                "hearth_agent_bad_proc_data_total",
                "/proc/PID/maps lines skipped and maps cut at their bound",
                Metrics.Kind.COUNTER,
                () -> s.stats().badProcData());
        m.read(
                "hearth_agent_frame_failures_total",
                "frames whose naming failed where no bound caught it (named unknown)",
                Metrics.Kind.COUNTER,
                () -> s.stats().frameFailures());
        m.read(
                "hearth_agent_symbol_cache_bytes",
                "approximate heap held by cached symbol tables",
                Metrics.Kind.GAUGE,
                () -> s.stats().cachedBytes());
    }
}
