package dev.hearth.symbolizer.unwind;

import java.util.Arrays;

/**
 * Builds {@link UnwindTable}s from a binary's frame sections: finds the FDEs (through
 * .eh_frame_hdr when it is sane, else by walking the section), runs each one's CFA program and
 * turns the register rules x86-64 code uses into rows. The input is untrusted (any process can map
 * any file): every count, length and loop is bounded, and a malformed FDE is skipped, never thrown.
 */
public final class UnwindTables {
    /** Rows per table (17 bytes each here): libjvm.so needs 151,000, libLLVM-15.so 892,000. A larger table is refused whole. */
    public static final int MAX_ROWS = 1 << 20;
    /**
     * Bytes of a frame section read (libLLVM-15.so's .eh_frame has 5.2 MB): what bounds the work of
     * one build, as every entry and every instruction takes at least one byte.
     */
    public static final int MAX_SECTION_BYTES = 64 << 20;
    /**
     * Space between two FDEs shorter than this is the padding that aligns functions (never run): it
     * keeps the rule before it when that is CFA = rsp + 8 (a function's end), rather than cost a gap
     * row; a fifth of libjvm.so's rows.
     */
    static final int PADDING = 16;

    private UnwindTables() {}

    /** The table of one binary, or why it has none. Never throws. */
    public static UnwindResult build(FrameSections sections) {
        try {
            FrameSections.Section main = sections.ehFrame() != null ? sections.ehFrame() : sections.debugFrame();
            if (main != null && main.data().limit() > MAX_SECTION_BYTES) {
                return new NoUnwindTable(
                        "frame section of " + main.data().limit() + " bytes, more than " + MAX_SECTION_BYTES);
            }
            if (sections.ehFrame() != null)
                return build(new FrameEntries(sections.ehFrame(), true), sections.ehFrameHdr());
            if (sections.debugFrame() != null) return build(new FrameEntries(sections.debugFrame(), false), null);
            return new NoUnwindTable("no .eh_frame or .debug_frame");
        } catch (RowSink.TooManyRows e) {
            return new NoUnwindTable(e.getMessage());
        } catch (RuntimeException | InternalError | OutOfMemoryError e) {
            // InternalError: a fault reading a mapped file truncated meanwhile
            return new NoUnwindTable("unreadable frame section: " + e);
        }
    }

    private static UnwindResult build(FrameEntries entries, FrameSections.Section hdr) {
        int[] offsets = hdr != null ? entries.fromHeader(hdr) : null;
        if (offsets == null) offsets = entries.walk();
        if (offsets == null) return new NoUnwindTable("more than " + FrameEntries.MAX_FDES + " FDEs");
        int n = offsets.length, skipped = 0, found = 0;
        long[] begins = new long[n], ends = new long[n];
        FrameEntries.Fde[] fdes = new FrameEntries.Fde[n];
        for (int i = 0; i < n; i++) {
            try {
                fdes[found] = entries.fde(offsets[i]);
                begins[found] = fdes[found].begin();
                ends[found] = fdes[found].end();
                found++;
            } catch (BadFrameData e) {
                skipped++;
            }
        }
        Integer[] order = sortedByBegin(begins, found);
        RowSink sink = new RowSink();
        DwarfCursor cur = entries.cursor();
        long covered = Long.MIN_VALUE; // end of the last FDE used
        long programBytes = 0; // FDEs' instructions run so far: each FDE's are its own bytes
        int used = 0;
        for (int k = 0; k < found; k++) {
            int i = order == null ? k : order[k];
            FrameEntries.Fde fde = fdes[i];
            if (fde.begin() < covered) {
                skipped++; // overlaps the one before: a table holds one rule per address
                continue;
            }
            if (covered != Long.MIN_VALUE
                    && fde.begin() > covered
                    && !(fde.begin() - covered < PADDING && sink.endsAtCall())) {
                sink.add(covered, UnwindTable.GAP, 0, 0);
            }
            // .eh_frame_hdr may point into the middle of other entries: FDEs sharing their bytes would
            // run one section's instructions once per FDE, which the section's size must bound
            programBytes += fde.instructionsEnd() - fde.instructions();
            if (programBytes > entries.size())
                return new NoUnwindTable("FDEs share their instructions (" + programBytes + " bytes of them in a "
                        + entries.size() + "-byte section)");
            int rowsBefore = sink.count();
            try {
                cur.range(fde.instructions(), fde.instructionsEnd());
                CfaProgram.rows(cur, fde.cie(), fde.begin(), fde.end(), sink);
                used++;
            } catch (BadFrameData e) {
                sink.truncate(rowsBefore);
                sink.add(fde.begin(), UnwindTable.GAP, 0, 0);
                skipped++;
            }
            covered = fde.end();
        }
        if (covered != Long.MIN_VALUE) sink.add(covered, UnwindTable.GAP, 0, 0);
        if (used == 0) return new NoUnwindTable(n == 0 ? "no FDEs" : "no readable FDE among " + n);
        return sink.table(used, skipped);
    }

    /** The indices of {@code begins[0..n)} in ascending order, or null when they already are (as .eh_frame_hdr gives them). */
    private static Integer[] sortedByBegin(long[] begins, int n) {
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) sorted = begins[i - 1] <= begins[i];
        if (sorted) return null;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Long.compare(begins[a], begins[b]));
        return order;
    }
}
