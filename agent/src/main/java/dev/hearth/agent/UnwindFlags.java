package dev.hearth.agent;

import dev.hearth.bpf.Unwinding;
import dev.hearth.symbolizer.UnwindTableCache;
import picocli.CommandLine.Option;

/** How user stacks are walked in the kernel: by .eh_frame tables within a budget, or by frame pointer alone. */
public final class UnwindFlags {
    @Option(
            names = "--unwind-tables",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "walk user stacks with .eh_frame unwind tables, so code built without frame pointers "
                    + "is whole (default: on; --no-unwind-tables walks frame pointers only)")
    boolean tables = true;

    @Option(
            names = "--unwind-table-budget",
            paramLabel = "SIZE",
            defaultValue = "64MiB",
            converter = Units.SizeConverter.class,
            description =
                    "kernel memory the unwind tables may take together; least recently used ones leave (default: ${DEFAULT-VALUE})")
    long budget = Unwinding.DEFAULT_BUDGET;

    /** the kernel walk's settings, or null for frame pointers alone */
    Unwinding unwinding() {
        if (!tables) return null;
        // the symbolizer's copies (17 bytes a row against the kernel's 8) are kept for reloads after an eviction
        return new Unwinding(new EhFrameUnwindSource(new UnwindTableCache(budget)), budget);
    }
}
