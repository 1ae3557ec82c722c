package dev.hearth.symbolizer;

import dev.hearth.pprof.FrameKind;
import dev.hearth.symbolizer.safefs.BoundedLines;
import java.io.IOException;
import java.util.Arrays;

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
    /** Each entry's kind, worked out from its name on first lookup: ordinal + 1, 0 until then. */
    private final byte[] kinds;

    private PerfMap(SymbolTable table, long skippedLines, boolean truncated) {
        this.table = table;
        this.skippedLines = skippedLines;
        this.truncated = truncated;
        this.kinds = new byte[table.size()];
    }

    /** Lines are parsed as bytes, without a String each. */
    static PerfMap parse(BoundedLines lines, int maxEntries) throws IOException {
        Entries e = new Entries(maxEntries, lines.maxLineBytes());
        boolean full = false;
        for (int len; (len = lines.nextLine()) >= 0; ) {
            byte[] line = lines.lineBytes();
            int sp1 = indexOf(line, 0, len), sp2 = sp1 < 0 ? -1 : indexOf(line, sp1 + 1, len);
            if (sp2 < 0) continue;
            long start = hex(line, 0, sp1), size = hex(line, sp1 + 1, sp2);
            if (start == BAD || size == BAD) continue; // a torn last line while the JVM writes, or junk
            if (size == 0 || Long.compareUnsigned(start + size, start) < 0)
                continue; // empty, or past the address space
            int from = sp2 + 1, to = len;
            while (from < to && (line[from] & 0xff) <= ' ') from++;
            while (to > from && (line[to - 1] & 0xff) <= ' ') to--;
            if (!e.add(start, size, line, from, to - from)) {
                full = true;
                break;
            }
        }
        return new PerfMap(e.newestWins(), lines.skippedLines(), full || lines.truncated());
    }

    private static int indexOf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] == ' ') return i;
        return -1;
    }

    /** Not a hex number of at most 64 bits (a value no field can take: sizes and ends are checked against it). */
    private static final long BAD = -1;

    /** Hex with or without 0x; {@link #BAD} for anything else, without an exception per junk line. */
    private static long hex(byte[] b, int from, int to) {
        if (to - from > 2 && b[from] == '0' && (b[from + 1] == 'x' || b[from + 1] == 'X')) from += 2;
        if (from == to || to - from > 16) return BAD;
        long v = 0;
        for (int i = from; i < to; i++) {
            int c = b[i],
                    d =
                            c >= '0' && c <= '9'
                                    ? c - '0'
                                    : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) return BAD;
            v = v << 4 | d;
        }
        return v;
    }

    /**
     * Entries in file order, on primitive arrays (a hostile map may hold millions of tiny lines). Names
     * go to fixed-size chunks, never copied to grow: a doubled 16 MB array held 24 MB at once.
     */
    private static final class Entries {
        private static final int CHUNK = 1 << 20;
        private final int maxEntries, chunkSize;
        long[] starts = new long[256], ends = new long[256];
        int[] nameAt = new int[256], nameLen = new int[256]; // nameAt: chunk * chunkSize + offset in it
        byte[][] chunks = new byte[4][];
        int n, chunkCount, chunkUsed, namesLen;

        Entries(int maxEntries, int maxLineBytes) {
            this.maxEntries = maxEntries;
            this.chunkSize = Math.max(CHUNK, maxLineBytes); // a name never spans two chunks
        }

        /** False when full: the entry bound, or the bound on a table's names, is reached. */
        boolean add(long start, long size, byte[] line, int off, int len) {
            if (n == maxEntries || namesLen + len > SymbolTable.Builder.MAX_NAME_BYTES) return false;
            if (n == starts.length) {
                int cap = (int) Math.min(2L * n, maxEntries);
                starts = Arrays.copyOf(starts, cap);
                ends = Arrays.copyOf(ends, cap);
                nameAt = Arrays.copyOf(nameAt, cap);
                nameLen = Arrays.copyOf(nameLen, cap);
            }
            if (chunkCount == 0 || chunkUsed + len > chunkSize) {
                if (chunkCount == chunks.length) chunks = Arrays.copyOf(chunks, 2 * chunkCount);
                chunks[chunkCount++] = new byte[chunkSize];
                chunkUsed = 0;
            }
            System.arraycopy(line, off, chunks[chunkCount - 1], chunkUsed, len);
            starts[n] = start;
            ends[n] = start + size;
            nameAt[n] = (chunkCount - 1) * chunkSize + chunkUsed; // names are bounded to 16 MB: no overflow
            nameLen[n++] = len;
            chunkUsed += len;
            namesLen += len;
            return true;
        }

        void copyName(int i, byte[] to, int at) {
            System.arraycopy(chunks[nameAt[i] / chunkSize], nameAt[i] % chunkSize, to, at, nameLen[i]);
        }

        private static long nextPoint(long[] points, int k, long end) {
            int j = k + 1;
            while (j < points.length && points[j] == points[k]) j++;
            return j < points.length ? points[j] ^ Long.MIN_VALUE : end;
        }

        /**
         * One sweep over every start and end address, in order, with the entries covering the
         * current address in a heap by file position: the newest covering entry names each stretch.
         * The stretches go straight into the table's arrays, and their names into one exact pool.
         */
        SymbolTable newestWins() {
            if (n == 0) return SymbolTable.EMPTY;
            long[] points = new long[2 * n];
            for (int i = 0; i < n; i++) {
                points[2 * i] = starts[i] ^ Long.MIN_VALUE; // unsigned order as signed
                points[2 * i + 1] = ends[i] ^ Long.MIN_VALUE;
            }
            Arrays.sort(points);
            int[] byStart = new int[n];
            for (int i = 0; i < n; i++) byStart[i] = i;
            sortByStart(byStart, 0, n - 1);
            Stretches out = new Stretches(n);
            int[] covering = new int[n]; // a max-heap of entry indices: the newest on top
            int heap = 0, next = 0;
            int open = -1; // the stretch being extended: entry open from openStart to openEnd
            long openStart = 0, openEnd = 0;
            for (int k = 0; k < points.length; k++) {
                if (k > 0 && points[k] == points[k - 1]) continue;
                long at = points[k] ^ Long.MIN_VALUE;
                while (next < n && starts[byStart[next]] == at) heap = push(covering, heap, byStart[next++]);
                while (heap > 0 && Long.compareUnsigned(ends[covering[0]], at) <= 0) heap = pop(covering, heap);
                int top = heap == 0 ? -1 : covering[0];
                if (top == open && top >= 0 && openEnd == at) {
                    openEnd = nextPoint(points, k, ends[top]);
                    continue;
                }
                if (open >= 0) out.add(open, openStart, openEnd);
                open = top;
                if (top >= 0) {
                    openStart = at;
                    openEnd = nextPoint(points, k, ends[top]);
                }
            }
            if (open >= 0) out.add(open, openStart, openEnd);
            return out.table(this);
        }

        private static int push(int[] h, int size, int v) {
            int i = size++;
            while (i > 0 && h[(i - 1) >>> 1] < v) {
                h[i] = h[(i - 1) >>> 1];
                i = (i - 1) >>> 1;
            }
            h[i] = v;
            return size;
        }

        private static int pop(int[] h, int size) {
            int v = h[--size];
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= size) break;
                if (c + 1 < size && h[c + 1] > h[c]) c++;
                if (h[c] <= v) break;
                h[i] = h[c];
                i = c;
            }
            h[i] = v;
            return size;
        }

        /** Quicksort of entry indices by start (unsigned), on primitives. */
        private void sortByStart(int[] a, int lo, int hi) {
            while (hi - lo > 16) {
                int mid = (lo + hi) >>> 1;
                if (before(a[mid], a[lo])) swap(a, mid, lo);
                if (before(a[hi], a[lo])) swap(a, hi, lo);
                if (before(a[hi], a[mid])) swap(a, hi, mid);
                long pivot = starts[a[mid]];
                int i = lo, j = hi;
                while (i <= j) {
                    while (Long.compareUnsigned(starts[a[i]], pivot) < 0) i++;
                    while (Long.compareUnsigned(starts[a[j]], pivot) > 0) j--;
                    if (i <= j) swap(a, i++, j--);
                }
                if (j - lo < hi - i) {
                    sortByStart(a, lo, j);
                    lo = i;
                } else {
                    sortByStart(a, i, hi);
                    hi = j;
                }
            }
            for (int i = lo + 1; i <= hi; i++) {
                int v = a[i], j = i - 1;
                while (j >= lo && before(v, a[j])) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
        }

        private boolean before(int x, int y) {
            return Long.compareUnsigned(starts[x], starts[y]) < 0;
        }

        private static void swap(int[] a, int i, int j) {
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** The table's stretches in address order, each named by the entry it came from. */
    private static final class Stretches {
        long[] starts, ends;
        int[] entries;
        int m;

        Stretches(int capacity) {
            starts = new long[capacity];
            ends = new long[capacity];
            entries = new int[capacity];
        }

        void add(int entry, long from, long to) {
            if (m == starts.length) { // newer entries split older ones: at most 2n - 1 stretches
                starts = Arrays.copyOf(starts, 2 * m);
                ends = Arrays.copyOf(ends, 2 * m);
                entries = Arrays.copyOf(entries, 2 * m);
            }
            starts[m] = from;
            ends[m] = to;
            entries[m++] = entry;
        }

        SymbolTable table(Entries e) {
            int total = 0;
            for (int k = 0; k < m; k++) total += e.nameLen[entries[k]];
            byte[] pool = new byte[total];
            int[] offsets = new int[m + 1];
            int at = 0;
            for (int k = 0; k < m; k++) {
                offsets[k] = at;
                e.copyName(entries[k], pool, at);
                at += e.nameLen[entries[k]];
            }
            offsets[m] = at;
            return SymbolTable.ofSorted(
                    starts.length == m ? starts : Arrays.copyOf(starts, m),
                    ends.length == m ? ends : Arrays.copyOf(ends, m),
                    offsets,
                    pool,
                    null);
        }
    }

    int size() {
        return table.size();
    }

    /** Lines skipped for being longer than the line bound. */
    long skippedLines() {
        return skippedLines;
    }

    /** Whether reading stopped at the size or entry bound. */
    boolean truncated() {
        return truncated;
    }

    /** Index of the entry covering {@code addr}; -1 when none does. */
    int find(long addr) {
        return table.find(addr);
    }

    String displayName(int i) {
        return table.displayName(i, JavaNames::readable);
    }

    String rawName(int i) {
        return table.rawName(i);
    }

    /** The kind a JVM's entry names: JIT-compiled method, interpreter or stub; computed once per entry. */
    FrameKind kind(int i) {
        if (kinds[i] == 0) kinds[i] = (byte) (JavaNames.kind(rawName(i)).ordinal() + 1);
        return KINDS[kinds[i] - 1];
    }

    private static final FrameKind[] KINDS = FrameKind.values();
}
