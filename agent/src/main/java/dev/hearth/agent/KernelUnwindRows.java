package dev.hearth.agent;

import dev.hearth.bpf.UnwindRows;
import dev.hearth.symbolizer.unwind.UnwindTable;

/** The symbolizer's unwind table in the kernel walk's encoding: a pure conversion, rule by rule. */
final class KernelUnwindRows {
    private KernelUnwindRows() {}

    /** The rows, or null when the table reaches past the 32-bit file addresses the kernel side holds. */
    static UnwindRows of(UnwindTable t) {
        int n = t.rows();
        if (n > 0 && t.start(n - 1) > UnwindRows.MAX_ADDRESS) return null;
        UnwindRows.Builder b = UnwindRows.builder();
        for (int i = 0; i < n; i++) {
            b.add(t.start(i), rule(t.rule(i)), t.cfaOffset(i), t.rbpOffset(i));
        }
        return b.build();
    }

    private static int rule(byte r) {
        return switch (r) {
            case UnwindTable.GAP -> UnwindRows.GAP;
            case UnwindTable.RSP -> UnwindRows.CFA_RSP;
            case UnwindTable.RBP -> UnwindRows.CFA_RBP;
            case UnwindTable.PLT -> UnwindRows.CFA_PLT;
            case UnwindTable.SIGNAL -> UnwindRows.CFA_SIGNAL;
            case UnwindTable.END -> UnwindRows.END;
            default -> UnwindRows.STOP;
        };
    }
}
