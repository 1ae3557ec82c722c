package dev.hearth.bpf;

import java.util.Objects;

/**
 * Walking user stacks by unwind table in the kernel: where the tables come from, and how much
 * kernel memory their rows may take together ({@link #DEFAULT_BUDGET} unless told otherwise).
 */
public record Unwinding(UnwindTableSource source, long budgetBytes) {
    public static final long DEFAULT_BUDGET = 64L << 20;
    public static final long MIN_BUDGET = 64L << 10;

    public Unwinding {
        Objects.requireNonNull(source, "source");
        if (budgetBytes < MIN_BUDGET) {
            throw new IllegalArgumentException(
                    "the unwind table budget must be at least " + MIN_BUDGET + " bytes, got " + budgetBytes);
        }
    }
}
