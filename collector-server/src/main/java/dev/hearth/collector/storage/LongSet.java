package dev.hearth.collector.storage;

/** An open-addressing set of longs: a dictionary id costs 8–16 bytes here, not ~50 as a boxed Long. */
final class LongSet {
    private static final long EMPTY = 0;
    private long[] slots = new long[1024];
    private boolean hasZero;
    private int size;

    boolean contains(long x) {
        if (x == EMPTY) return hasZero;
        long[] t = slots;
        int mask = t.length - 1;
        for (int i = mix(x) & mask; ; i = (i + 1) & mask) {
            if (t[i] == x) return true;
            if (t[i] == EMPTY) return false;
        }
    }

    /** Adds x; false if it was there. */
    boolean add(long x) {
        if (x == EMPTY) {
            boolean added = !hasZero;
            hasZero = true;
            if (added) size++;
            return added;
        }
        if ((size + 1) * 2 > slots.length) grow();
        long[] t = slots;
        int mask = t.length - 1;
        for (int i = mix(x) & mask; ; i = (i + 1) & mask) {
            if (t[i] == x) return false;
            if (t[i] == EMPTY) {
                t[i] = x;
                size++;
                return true;
            }
        }
    }

    void clear() {
        slots = new long[1024];
        hasZero = false;
        size = 0;
    }

    int size() {
        return size;
    }

    void forEach(java.util.function.LongConsumer action) {
        if (hasZero) action.accept(EMPTY);
        for (long x : slots) {
            if (x != EMPTY) action.accept(x);
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        size = hasZero ? 1 : 0;
        for (long x : old) {
            if (x != EMPTY) add(x);
        }
    }

    private static int mix(long x) {
        x *= 0x9E3779B97F4A7C15L;
        return (int) (x ^ (x >>> 32));
    }
}
