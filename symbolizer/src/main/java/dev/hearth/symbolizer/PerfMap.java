package dev.hearth.symbolizer;

import dev.hearth.symbolizer.safefs.BoundedLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * A perf map (/tmp/perf-PID.map: "START SIZE name" per line, hex with or without 0x), as JVMs and
 * other JITs write it. Code is recompiled and its space reused, so a later line wins over an earlier
 * one where they overlap: the table holds, for every address, the newest entry covering it. The
 * file comes from the profiled process: it is read within {@link PerfMapLimits}, on primitives.
 */
final class PerfMap {
    static final PerfMap EMPTY = new PerfMap(SymbolTable.EMPTY, 0, false);

    private final SymbolTable table;
    private final long skippedLines;
    private final boolean truncated;

    private PerfMap(SymbolTable table, long skippedLines, boolean truncated) {
        this.table = table;
        this.skippedLines = skippedLines;
        this.truncated = truncated;
    }

    static PerfMap parse(BoundedLines lines, int maxEntries) throws IOException {
        Entries e = new Entries();
        boolean full = false;
        for (String line; (line = lines.next()) != null; ) {
            int sp1 = line.indexOf(' ');
            int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
            if (sp2 < 0) continue;
            try {
                long start = hex(line, 0, sp1), size = hex(line, sp1 + 1, sp2);
                if (size == 0 || Long.compareUnsigned(start + size, start) < 0) continue; // empty, or past the address space
                if (e.n == maxEntries) {
                    full = true;
                    break;
                }
                String name = line.substring(sp2 + 1).strip();
                e.add(start, size, name.getBytes(StandardCharsets.UTF_8), JavaNames.kind(name).ordinal());
            } catch (NumberFormatException ex) {
                // a torn last line while the JVM writes, or junk: skip it
            }
        }
        return new PerfMap(e.newestWins(), lines.skippedLines(), full || lines.truncated());
    }

    private static long hex(String s, int from, int to) {
        if (s.startsWith("0x", from)) from += 2;
        return Long.parseUnsignedLong(s, from, to, 16);
    }

    /** Entries in file order, on primitive arrays (a hostile map may hold millions of tiny lines). */
    private static final class Entries {
        long[] starts = new long[256], ends = new long[256];
        int[] kinds = new int[256], nameOffsets = new int[257];
        byte[] names = new byte[8192];
        int n, namesLen;

        void add(long start, long size, byte[] name, int kind) {
            if (n == starts.length) {
                starts = Arrays.copyOf(starts, n * 2);
                ends = Arrays.copyOf(ends, n * 2);
                kinds = Arrays.copyOf(kinds, n * 2);
                nameOffsets = Arrays.copyOf(nameOffsets, n * 2 + 1);
            }
            if (namesLen + name.length > names.length) names = Arrays.copyOf(names, Math.max(names.length * 2, namesLen + name.length));
            System.arraycopy(name, 0, names, namesLen, name.length);
            starts[n] = start;
            ends[n] = start + size;
            kinds[n] = kind;
            namesLen += name.length;
            nameOffsets[++n] = namesLen;
        }

        /**
         * One sweep over every start and end address, in order, with the entries covering the
         * current address in a heap by file position: the newest covering entry names each stretch.
         */
        private static long nextPoint(long[] points, int k, long end) {
            int j = k + 1;
            while (j < points.length && points[j] == points[k]) j++;
            return j < points.length ? points[j] ^ Long.MIN_VALUE : end;
        }

        private void add(SymbolTable.Builder b, int i, long from, long to) {
            b.add(from, to - from, names, nameOffsets[i], nameOffsets[i + 1] - nameOffsets[i], 0, kinds[i]);
        }

        SymbolTable newestWins() {
            SymbolTable.Builder b = new SymbolTable.Builder();
            if (n == 0) return b.build();
            long[] points = new long[2 * n];
            for (int i = 0; i < n; i++) {
                points[2 * i] = starts[i] ^ Long.MIN_VALUE; // unsigned order as signed
                points[2 * i + 1] = ends[i] ^ Long.MIN_VALUE;
            }
            Arrays.sort(points);
            Integer[] byStart = new Integer[n];
            for (int i = 0; i < n; i++) byStart[i] = i;
            Arrays.sort(byStart, (x, y) -> Long.compareUnsigned(starts[x], starts[y]));
            PriorityQueue<Integer> covering = new PriorityQueue<>((x, y) -> Integer.compare(y, x));
            int next = 0;
            int open = -1; // the stretch being extended: entry open from openStart to openEnd
            long openStart = 0, openEnd = 0;
            for (int k = 0; k < points.length; k++) {
                if (k > 0 && points[k] == points[k - 1]) continue;
                long at = points[k] ^ Long.MIN_VALUE;
                while (next < n && starts[byStart[next]] == at) covering.add(byStart[next++]);
                while (!covering.isEmpty() && Long.compareUnsigned(ends[covering.peek()], at) <= 0) covering.poll();
                int top = covering.isEmpty() ? -1 : covering.peek();
                if (top == open && top >= 0 && openEnd == at) {
                    openEnd = nextPoint(points, k, ends[top]);
                    continue;
                }
                if (open >= 0) add(b, open, openStart, openEnd);
                open = top;
                if (top >= 0) {
                    openStart = at;
                    openEnd = nextPoint(points, k, ends[top]);
                }
            }
            if (open >= 0) add(b, open, openStart, openEnd);
            return b.build();
        }
    }

    int size() { return table.size(); }

    /** Lines skipped for being longer than the line bound. */
    long skippedLines() { return skippedLines; }

    /** Whether reading stopped at the size or entry bound. */
    boolean truncated() { return truncated; }

    /** Index of the entry covering {@code addr}; -1 when none does. */
    int find(long addr) { return table.find(addr); }

    String displayName(int i) { return table.displayName(i, JavaNames::readable); }

    String rawName(int i) { return table.rawName(i); }

    /** The kind a JVM's entry names: JIT-compiled method, interpreter or stub; computed once per entry. */
    FrameKind kind(int i) { return KINDS[table.group(i)]; }

    private static final FrameKind[] KINDS = FrameKind.values();
}
