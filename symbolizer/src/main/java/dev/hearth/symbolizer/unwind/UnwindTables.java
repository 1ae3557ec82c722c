package dev.hearth.symbolizer.unwind;

/**
 * Builds {@link UnwindTable}s from a binary's frame sections: finds the FDEs (through
 * .eh_frame_hdr when it is sane, else by walking the section), runs each one's CFA program and
 * turns the register rules x86-64 code uses into rows. The input is untrusted (any process can map
 * any file): every count, length and loop is bounded, and a malformed FDE is skipped, never thrown.
 */
public final class UnwindTables {
    /** Rows per table: libjvm.so needs about a tenth of this. A larger table is refused whole. */
    public static final int MAX_ROWS = 1 << 20;

    private UnwindTables() {}

    /** The table of one binary, or why it has none. Never throws. */
    public static UnwindResult build(FrameSections sections) {
        return new NoUnwindTable("not built yet");
    }
}
