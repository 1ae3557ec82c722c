package dev.hearth.symbolizer.unwind;

import java.util.Arrays;

/**
 * Rows as they are made, in growing primitive arrays: a row at the start of the last one replaces
 * it, a row equal to the last one is merged into it, and no more than {@link UnwindTables#MAX_ROWS}.
 */
final class RowSink {
    /** The table would be larger than its bound. */
    static final class TooManyRows extends RuntimeException {
        TooManyRows() {
            super("more than " + UnwindTables.MAX_ROWS + " rows", null, false, false);
        }
    }

    private long[] starts = new long[1024];
    private byte[] rules = new byte[1024];
    private int[] cfa = new int[1024];
    private int[] rbp = new int[1024];
    private int count;

    int count() {
        return count;
    }

    /** Drops the rows from {@code n} on (those of an FDE found malformed half-way). */
    void truncate(int n) {
        count = Math.min(count, n);
    }

    /** The last row is CFA = rsp + 8 with rbp unchanged: what holds at a function's entry and after its return. */
    boolean endsAtCall() {
        return count > 0 && rules[count - 1] == UnwindTable.RSP && cfa[count - 1] == 8 && rbp[count - 1] == 0;
    }

    void add(long start, byte rule, int cfaOffset, int rbpOffset) {
        if (count > 0 && starts[count - 1] == start) {
            count--;
        } else if (count > 0 && start < starts[count - 1]) {
            throw new BadFrameData("row before the last one");
        }
        if (count > 0 && rules[count - 1] == rule && cfa[count - 1] == cfaOffset && rbp[count - 1] == rbpOffset) return;
        if (count == starts.length) grow();
        starts[count] = start;
        rules[count] = rule;
        cfa[count] = cfaOffset;
        rbp[count] = rbpOffset;
        count++;
    }

    private void grow() {
        if (count >= UnwindTables.MAX_ROWS) throw new TooManyRows();
        int n = (int) Math.min((long) count * 2, UnwindTables.MAX_ROWS);
        starts = Arrays.copyOf(starts, n);
        rules = Arrays.copyOf(rules, n);
        cfa = Arrays.copyOf(cfa, n);
        rbp = Arrays.copyOf(rbp, n);
    }

    UnwindTable table(int fdes, int skipped) {
        return new UnwindTable(starts, rules, cfa, rbp, count, fdes, skipped);
    }
}
