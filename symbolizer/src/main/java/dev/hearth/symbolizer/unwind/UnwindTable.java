package dev.hearth.symbolizer.unwind;

import java.util.Arrays;

/**
 * How to unwind one step from any instruction of one x86-64 binary: rows sorted by start address,
 * each holding from its start up to the next row's start. Addresses are the ELF file's virtual
 * addresses (what {@code readelf} prints); a runtime pc becomes one by subtracting the mapping's
 * load bias ({@link MappedTable#loadBias()}). Parallel primitive arrays: a row costs 17 bytes here.
 *
 * <p><b>Row semantics.</b> For the row covering table address {@code a} (the last row whose start
 * is {@code <= a}; none: as {@link #GAP}), with {@code rsp}, {@code rbp}, {@code rip} the registers
 * of the frame being unwound, the caller's registers are:
 * <ul>
 *   <li>{@link #RSP}: {@code CFA = rsp + cfaOffset}.</li>
 *   <li>{@link #RBP}: {@code CFA = rbp + cfaOffset}.</li>
 *   <li>{@link #PLT}: a lazy-binding PLT entry:
 *       {@code CFA = rsp + 8 + (((rip & 15) >= cfaOffset) ? 8 : 0)} (cfaOffset is the threshold the
 *       linker wrote, 11 for the classic 16-byte entries, 10 with IBT's endbr64). {@code rip & 15}
 *       is the same for the runtime and the table address (load biases are page-aligned).</li>
 *   <li>For these three: caller's {@code rip = *(CFA - 8)} (x86-64 {@code call}), caller's
 *       {@code rsp = CFA}, caller's {@code rbp = *(CFA + rbpOffset)} when {@code rbpOffset != 0}
 *       (always in [-32768, -16]), else unchanged ({@code rbp} kept its value, or was never saved).
 *       {@code cfaOffset} is always in [0, 2^31).</li>
 *   <li>{@link #SIGNAL}: a signal trampoline ({@code __restore_rt}); {@code rsp} points at the
 *       kernel's saved user context: caller's {@code rsp = *(rsp + cfaOffset)},
 *       {@code rip = *(rsp + cfaOffset + 8)}, {@code rbp = *(rsp + rbpOffset)} (both offsets
 *       positive; glibc: 160 and 120).</li>
 *   <li>{@link #END}: the outermost frame (the return address is undefined: {@code _start},
 *       a thread's start routine): the stack is complete here.</li>
 *   <li>{@link #STOP}: a rule that cannot be followed without a DWARF interpreter (another
 *       expression, a CFA or rbp in another register): the stack is cut here.</li>
 *   <li>{@link #GAP}: no FDE covers these addresses (between functions, or after the last): the
 *       table knows nothing; fall back to the frame pointer. Padding of under 16 bytes between two
 *       FDEs, after a row of CFA = rsp + 8, keeps that row instead (code that never runs).</li>
 * </ul>
 * A pc that is a return address (every frame's but the leaf's) is looked up as {@code pc - 1}: a
 * call may be the last instruction of its function (glibc's signal trampoline FDE starts one byte
 * early for this). The pc a {@link #SIGNAL} step gives is where the interrupted code stopped, not a
 * return address: it is looked up as it is, like the leaf's.
 * Rows are merged: no two consecutive rows are equal. Offsets of rules other than the ones named
 * are 0.
 */
public final class UnwindTable implements UnwindResult {
    public static final byte GAP = 0, RSP = 1, RBP = 2, PLT = 3, SIGNAL = 4, END = 5, STOP = 6;
    /** Bytes per row in these arrays: start, rule, cfaOffset, rbpOffset. */
    public static final int ROW_BYTES = 8 + 1 + 4 + 4;

    private final long[] starts;
    private final byte[] rules;
    private final int[] cfaOffsets;
    private final int[] rbpOffsets;
    private final int fdes;
    private final int skippedFdes;

    UnwindTable(long[] starts, byte[] rules, int[] cfaOffsets, int[] rbpOffsets, int rows, int fdes, int skippedFdes) {
        this.starts = Arrays.copyOf(starts, rows);
        this.rules = Arrays.copyOf(rules, rows);
        this.cfaOffsets = Arrays.copyOf(cfaOffsets, rows);
        this.rbpOffsets = Arrays.copyOf(rbpOffsets, rows);
        this.fdes = fdes;
        this.skippedFdes = skippedFdes;
    }

    public int rows() {
        return starts.length;
    }

    /** First table address of row {@code i}; rows are sorted by it, strictly increasing. */
    public long start(int i) {
        return starts[i];
    }

    /** One of {@link #GAP}, {@link #RSP}, {@link #RBP}, {@link #PLT}, {@link #SIGNAL}, {@link #END}, {@link #STOP}. */
    public byte rule(int i) {
        return rules[i];
    }

    public int cfaOffset(int i) {
        return cfaOffsets[i];
    }

    /** Where the caller's rbp is saved (see the class comment), or 0: unchanged. */
    public int rbpOffset(int i) {
        return rbpOffsets[i];
    }

    /** The row covering table address {@code addr}, or -1 before the first row (as {@link #GAP}). */
    public int find(long addr) {
        int i = Arrays.binarySearch(starts, addr);
        return i >= 0 ? i : -i - 2;
    }

    /** FDEs the table was built from. */
    public int fdes() {
        return fdes;
    }

    /** FDEs skipped as malformed, overlapping another or past a bound: their addresses are {@link #GAP}. */
    public int skippedFdes() {
        return skippedFdes;
    }

    /** Heap bytes held. */
    public long bytes() {
        return (long) ROW_BYTES * starts.length + 4 * 16 + 48;
    }

    @Override
    public String toString() {
        return "UnwindTable[" + rows() + " rows from " + fdes + " FDEs, " + skippedFdes + " skipped]";
    }
}
