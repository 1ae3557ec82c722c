package dev.hearth.symbolizer;

import java.util.List;
import java.util.function.Function;

/**
 * The profiler's own kernel frames. A stack taken inside a BPF program (off-CPU at sched_switch,
 * uprobes) ends in the tracing machinery that ran it — {@code __schedule → bpf_trace_run4 →
 * bpf_prog_…_off_cpu} — which is the profiler watching, not the profiled code. Only the leaf end
 * is cut: the same names deeper in a stack are real work.
 */
public final class TracingFrames {
    private static final List<String> PREFIXES =
            List.of("bpf_prog_", "bpf_trampoline_", "bpf_trace_run", "__bpf_trace_", "__traceiter_", "bpf_dispatcher_");

    private TracingFrames() {}

    public static boolean isTracing(String name) {
        for (String p : PREFIXES) if (name.startsWith(p)) return true;
        return false;
    }

    /** How many frames at the leaf end (index 0) of {@code leafFirst} are the tracing machinery's. */
    public static <F> int leafCount(List<F> leafFirst, Function<F, String> name) {
        int n = 0;
        while (n < leafFirst.size() && isTracing(name.apply(leafFirst.get(n)))) n++;
        return n;
    }
}
