package dev.hearth.agent;

import dev.hearth.bpf.DropCounters;
import java.util.function.Supplier;

/** Publishes the BPF side's drop counters as one metric labelled by reason. */
final class DropReasons {
    private DropReasons() {}

    static void register(Metrics metrics, Supplier<DropCounters> drops) {
        String name = "hearth_agent_bpf_drops_total";
        String help = "stacks or samples the kernel side could not keep, by reason";
        metrics.read(
                name,
                help,
                Metrics.Kind.COUNTER,
                "reason",
                "missing_user_stack",
                () -> drops.get().missingUserStack());
        metrics.read(
                name,
                help,
                Metrics.Kind.COUNTER,
                "reason",
                "missing_kernel_stack",
                () -> drops.get().missingKernelStack());
        metrics.read(
                name,
                help,
                Metrics.Kind.COUNTER,
                "reason",
                "stack_collision",
                () -> drops.get().stackCollisions());
        metrics.read(
                name,
                help,
                Metrics.Kind.COUNTER,
                "reason",
                "stack_map_full",
                () -> drops.get().stackMapFull());
        metrics.read(
                name,
                help,
                Metrics.Kind.COUNTER,
                "reason",
                "counts_map_full",
                () -> drops.get().countsMapFull());
        metrics.read(
                name,
                help,
                Metrics.Kind.COUNTER,
                "reason",
                "start_map_full",
                () -> drops.get().startMapFull());
    }
}
