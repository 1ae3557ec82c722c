package dev.hearth.symbolizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Address ranges with names, kept compact: sorted primitive arrays and one byte pool for all names.
 * Immutable once built; shared between processes and threads. Display names (demangled, readable)
 * are computed on first lookup and kept, so warm lookups allocate nothing.
 */
final class SymbolTable {
    /** How far a last symbol without a size is taken to reach (a page), lacking anything better. */
    private static final long LAST_SYMBOL_SPAN = 4096;

    static final SymbolTable EMPTY = new Builder().build();

    private final long[] starts;
    private final long[] ends;
    private final int[] nameOffsets; // names[i] = pool[nameOffsets[i] .. nameOffsets[i + 1])
    private final byte[] pool;
    private final int[] groups;
    private volatile String[] display;
    private long displayBytes;
    /** Display names kept per table: libjvm.so's 65,000 demangled names take 6 MB. */
    static final long MAX_DISPLAY_BYTES = 16 << 20;

    private static final int STRING_BYTES = 48; // a String's own header and array header, roughly

    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String OVER_BUDGET = new String("over budget"); // told apart by identity
    /**
     * Page index: pageFirst[p] is the first symbol starting at or after page p (4 KiB from the first
     * symbol), so a lookup searches only the symbols near its page instead of the whole table. Null
     * when the symbols spread too thinly (the kernel's modules lie far from its text).
     */
    private final int[] pageFirst;

    private SymbolTable(long[] starts, long[] ends, int[] nameOffsets, byte[] pool, int[] groups) {
        this.pageFirst = pageIndex(starts);
        this.starts = starts;
        this.ends = ends;
        this.nameOffsets = nameOffsets;
        this.pool = pool;
        this.groups = groups;
    }

    /**
     * A table over arrays already in order of start, owned by the table from now on: for a caller that
     * built them at their final size (a perf map), so nothing is copied again. No groups: null.
     */
    static SymbolTable ofSorted(long[] starts, long[] ends, int[] nameOffsets, byte[] pool, int[] groups) {
        return new SymbolTable(starts, ends, nameOffsets, pool, groups);
    }

    int size() {
        return starts.length;
    }

    private static final int PAGE_SHIFT = 12;

    private static int[] pageIndex(long[] starts) {
        int n = starts.length;
        if (n == 0) return null;
        long span = starts[n - 1] - starts[0];
        if (Long.compareUnsigned(span >>> PAGE_SHIFT, 4L * n) > 0) return null;
        int pages = (int) (span >>> PAGE_SHIFT) + 1;
        int[] first = new int[pages + 1];
        int i = 0;
        for (int p = 0; p <= pages; p++) {
            long pageStart = starts[0] + ((long) p << PAGE_SHIFT);
            while (i < n && Long.compareUnsigned(starts[i], pageStart) < 0) i++;
            first[p] = i;
        }
        return first;
    }

    /** Index of the last symbol starting at or before {@code addr}, or -1. */
    private int floorIndex(long addr) {
        if (pageFirst == null || starts.length == 0) return floor(starts, 0, starts.length - 1, addr);
        if (Long.compareUnsigned(addr, starts[0]) < 0) return -1;
        long page = (addr - starts[0]) >>> PAGE_SHIFT;
        if (page >= pageFirst.length - 1) return starts.length - 1;
        int p = (int) page;
        return floor(starts, Math.max(0, pageFirst[p] - 1), pageFirst[p + 1] - 1, addr);
    }

    /** Index of the symbol that covers {@code addr}, or -1. */
    int find(long addr) {
        int i = floorIndex(addr);
        // A symbol may lie inside a larger one (aliases, local labels); look back a little for a cover.
        for (int j = i, stop = Math.max(0, i - 4); j >= 0 && j >= stop; j--) {
            if (Long.compareUnsigned(addr, ends[j]) < 0) return j;
        }
        return -1;
    }

    /** Index of the last element of unsigned-sorted {@code sorted} that is at most {@code key}, or -1. */
    static int floor(long[] sorted, long key) {
        return floor(sorted, 0, sorted.length - 1, key);
    }

    /** As {@link #floor(long[], long)} within [lo, hi]; -1 when none there is at most {@code key}. */
    static int floor(long[] sorted, int lo, int hi, long key) {
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(sorted[mid], key) <= 0) {
                found = mid;
                lo = mid + 1;
            } else hi = mid - 1;
        }
        return found;
    }

    /** The caller's grouping of a symbol, such as the kernel module it belongs to. */
    int group(int i) {
        return groups == null ? 0 : groups[i];
    }

    /** Whether the raw name starts with {@code prefix} (ASCII), without decoding it. */
    boolean rawStartsWith(int i, String prefix) {
        int off = nameOffsets[i], len = nameOffsets[i + 1] - off;
        if (len < prefix.length()) return false;
        for (int k = 0; k < prefix.length(); k++) if (pool[off + k] != prefix.charAt(k)) return false;
        return true;
    }

    String rawName(int i) {
        return new String(pool, nameOffsets[i], nameOffsets[i + 1] - nameOffsets[i], StandardCharsets.UTF_8);
    }

    /**
     * The name transformed by {@code transform}, computed once per symbol; null once the display names
     * kept for this table have reached {@link #MAX_DISPLAY_BYTES}. Each name is bounded, but a file
     * could hold half a million long ones for a process to run through.
     */
    String displayName(int i, UnaryOperator<String> transform) {
        String[] d = display;
        if (d == null) {
            synchronized (this) {
                if (display == null) display = new String[starts.length];
                d = display;
            }
        }
        String s = d[i];
        if (s == null) {
            s = transform.apply(rawName(i));
            long cost = STRING_BYTES + s.length();
            if (displayBytes + cost > MAX_DISPLAY_BYTES) s = OVER_BUDGET;
            else displayBytes += cost;
            d[i] = s;
        }
        return s == OVER_BUDGET ? null : s;
    }

    /** Approximate heap bytes held, not counting display names computed so far. */
    long bytes() {
        return 16L * 6
                + 8L * starts.length * 2
                + (pageFirst == null ? 0 : 4L * pageFirst.length)
                + 4L * nameOffsets.length
                + pool.length
                + (groups == null ? 0 : 4L * groups.length)
                + (display == null ? 0 : 4L * display.length)
                + displayBytes;
    }

    /**
     * Collects symbols in any order. Where several start at one address the one with the lowest rank
     * wins; a symbol without a size ends where the next one starts.
     */
    static final class Builder {
        /**
         * Symbols per table and bytes of their names: what a file (or a perf map) can make a table
         * cost. Half a million symbols take 15 MB while being built; libjvm.so has 65,000, the kernel 120,000.
         */
        static final int MAX_SYMBOLS = 1 << 19;

        static final int MAX_NAME_BYTES = 16 << 20;

        private long[] starts = new long[1024];
        private long[] sizes = new long[1024];
        private int[] ranks = new int[1024];
        private int[] nameOffsets = new int[1025];
        private int[] groups = new int[1024];
        private byte[] pool = new byte[16 * 1024];
        private int n;
        private int poolLen;

        private long dropped;

        /** Whether a symbol with a name of {@code len} bytes would still be kept. */
        boolean hasRoom(int len) {
            return n < MAX_SYMBOLS && poolLen + len <= MAX_NAME_BYTES;
        }

        /** Symbols not kept because the table was full. */
        long dropped() {
            return dropped;
        }

        Builder add(long start, long size, String name, int rank, int group) {
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            return add(start, size, b, 0, b.length, rank, group);
        }

        /** Adds a name read straight from {@code src} (an ELF string table), without an intermediate copy. */
        Builder add(long start, long size, java.nio.ByteBuffer src, int off, int len, int rank, int group) {
            if (!hasRoom(len)) {
                dropped++;
                return this;
            }
            reserve(len);
            src.get(off, pool, poolLen, len);
            return append(start, size, len, rank, group);
        }

        Builder add(long start, long size, byte[] name, int off, int len, int rank, int group) {
            if (!hasRoom(len)) {
                dropped++;
                return this;
            }
            reserve(len);
            System.arraycopy(name, off, pool, poolLen, len);
            return append(start, size, len, rank, group);
        }

        private void reserve(int len) {
            if (n == starts.length) {
                int cap = Math.min(n * 2, MAX_SYMBOLS);
                starts = Arrays.copyOf(starts, cap);
                sizes = Arrays.copyOf(sizes, cap);
                ranks = Arrays.copyOf(ranks, cap);
                groups = Arrays.copyOf(groups, cap);
                nameOffsets = Arrays.copyOf(nameOffsets, cap + 1);
            }
            if (poolLen + len > pool.length)
                pool = Arrays.copyOf(pool, Math.max(Math.min(pool.length * 2, MAX_NAME_BYTES), poolLen + len));
        }

        private Builder append(long start, long size, int len, int rank, int group) {
            starts[n] = start;
            sizes[n] = size;
            ranks[n] = rank;
            groups[n] = group;
            nameOffsets[n] = poolLen;
            poolLen += len;
            n++;
            return this;
        }

        SymbolTable build() {
            int[] order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
            sort(order, 0, n - 1);
            int m = 0;
            for (int k = 0; k < n; k++) {
                if (k > 0 && starts[order[k]] == starts[order[k - 1]]) continue;
                order[m++] = order[k];
            }
            long[] s = new long[m];
            long[] e = new long[m];
            int[] g = new int[m];
            int[] offs = new int[m + 1];
            int total = 0;
            for (int k = 0; k < m; k++) total += nameLen(order[k]);
            byte[] p = new byte[total];
            int at = 0;
            for (int k = 0; k < m; k++) {
                int i = order[k];
                s[k] = starts[i];
                g[k] = groups[i];
                offs[k] = at;
                int len = nameLen(i);
                System.arraycopy(pool, nameOffsets[i], p, at, len);
                at += len;
            }
            offs[m] = at;
            for (int k = 0; k < m; k++) {
                long size = sizes[order[k]];
                if (size > 0) e[k] = s[k] + size;
                else e[k] = k + 1 < m ? s[k + 1] : s[k] + LAST_SYMBOL_SPAN;
            }
            return new SymbolTable(s, e, offs, p, g);
        }

        private int compare(int a, int b) {
            int c = Long.compareUnsigned(starts[a], starts[b]);
            return c != 0 ? c : Integer.compare(ranks[a], ranks[b]);
        }

        /** Quicksort of symbol indices by (start, rank), on primitives: boxing dominated large tables. */
        private void sort(int[] a, int lo, int hi) {
            while (hi - lo > 16) {
                int mid = (lo + hi) >>> 1;
                if (compare(a[mid], a[lo]) < 0) swap(a, mid, lo);
                if (compare(a[hi], a[lo]) < 0) swap(a, hi, lo);
                if (compare(a[hi], a[mid]) < 0) swap(a, hi, mid);
                int pivot = a[mid];
                int i = lo, j = hi;
                while (i <= j) {
                    while (compare(a[i], pivot) < 0) i++;
                    while (compare(a[j], pivot) > 0) j--;
                    if (i <= j) swap(a, i++, j--);
                }
                if (j - lo < hi - i) {
                    sort(a, lo, j);
                    lo = i;
                } else {
                    sort(a, i, hi);
                    hi = j;
                }
            }
            for (int i = lo + 1; i <= hi; i++) {
                int v = a[i], j = i - 1;
                while (j >= lo && compare(a[j], v) > 0) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
        }

        private static void swap(int[] a, int i, int j) {
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }

        private int nameLen(int i) {
            return (i + 1 < n ? nameOffsets[i + 1] : poolLen) - nameOffsets[i];
        }
    }
}
