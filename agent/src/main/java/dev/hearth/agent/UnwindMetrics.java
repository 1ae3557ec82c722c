package dev.hearth.agent;

import dev.hearth.bpf.UnwindStats;
import java.util.function.Supplier;

/** Publishes how the kernel's user-stack walks ended, the stacks cut short by reason, and the tables behind them. */
final class UnwindMetrics {
    private UnwindMetrics() {}

    static void register(Metrics metrics, Supplier<UnwindStats> stats) {
        String cut = "hearth_agent_unwind_incomplete_stacks_total";
        String cutHelp = "user stacks the kernel walk could not follow to their outermost frame, by reason";
        metrics.read(
                cut,
                cutHelp,
                Metrics.Kind.COUNTER,
                "reason",
                "no_table",
                () -> stats.get().noTable());
        metrics.read(
                cut,
                cutHelp,
                Metrics.Kind.COUNTER,
                "reason",
                "table_budget",
                () -> stats.get().budget());
        metrics.read(
                cut,
                cutHelp,
                Metrics.Kind.COUNTER,
                "reason",
                "depth",
                () -> stats.get().depth());
        metrics.read(
                cut,
                cutHelp,
                Metrics.Kind.COUNTER,
                "reason",
                "read_fault",
                () -> stats.get().readFault());
        metrics.read(
                "hearth_agent_unwind_complete_stacks_total",
                "user stacks walked to their outermost frame",
                Metrics.Kind.COUNTER,
                () -> stats.get().complete());
        metrics.read(
                "hearth_agent_unwind_tables",
                "unwind tables in the kernel",
                Metrics.Kind.GAUGE,
                () -> stats.get().tables());
        metrics.read(
                "hearth_agent_unwind_table_bytes",
                "kernel memory of the unwind tables",
                Metrics.Kind.GAUGE,
                () -> stats.get().tableBytes());
        metrics.read(
                "hearth_agent_unwind_table_evictions_total",
                "unwind tables evicted to stay within the budget",
                Metrics.Kind.COUNTER,
                () -> stats.get().evictions());
        metrics.read(
                "hearth_agent_unwind_processes",
                "processes whose mappings the kernel walk holds",
                Metrics.Kind.GAUGE,
                () -> stats.get().processes());
    }
}
