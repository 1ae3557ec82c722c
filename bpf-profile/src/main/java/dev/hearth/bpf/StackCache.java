package dev.hearth.bpf;

import java.util.Arrays;

/**
 * The frames of drained stacks by their 64-bit content hash (computed in the kernel). Each entry
 * carries the last drain that needed it (read it from a stacks map, or found it named by a count
 * or a start entry) and whether it is published in the kernel's known set; {@link Drainer} says
 * how long an entry must stay.
 *
 * <p>An open-addressing table of parallel arrays (linear probing, backward-shift deletion): a drain
 * of new stacks looks up tens of thousands of hashes, and a {@code HashMap<Long, ...>} spent most
 * of that drain's CPU chasing boxed keys and entry objects. Hash 0 means "no stack" and marks a
 * free slot; the kernel never stores it.
 */
final class StackCache {
    static final int MAX_DEPTH = 127;
    static final long[] NONE = new long[0];
    private static final int INITIAL_CAPACITY = 1 << 12;

    private long[] hashes = new long[INITIAL_CAPACITY];
    private long[][] frames = new long[INITIAL_CAPACITY][];
    private long[] lastNeeded = new long[INITIAL_CAPACITY];
    private long[] lastRead = new long[INITIAL_CAPACITY];
    private long[] readBefore = new long[INITIAL_CAPACITY]; // the drain that read it before lastRead, 0 if none
    private boolean[] known = new boolean[INITIAL_CAPACITY];
    private int size;
    private long collisions;
    private long unresolved;

    /** A stack read from a stacks map in drain {@code drain}; a known hash with other frames is a collision. */
    void put(long hash, long[] stack, long drain) {
        if (hash == 0) {
            return; // "no stack": never a key
        }
        int i = find(hash);
        if (i < 0) {
            insert(hash, stack, drain);
            return;
        }
        if (!Arrays.equals(frames[i], stack)) {
            collisions++; // the first frames stay: counts drained earlier already named them
        }
        lastNeeded[i] = drain;
        if (lastRead[i] != drain) {
            readBefore[i] = lastRead[i];
            lastRead[i] = drain;
        }
    }

    /** Marks a cached hash as needed in drain {@code drain}; unknown ones are ignored. */
    void keep(long hash, long drain) {
        int i = hash == 0 ? -1 : find(hash);
        if (i >= 0) {
            lastNeeded[i] = drain;
        }
    }

    /** The frames of {@code hash}, marked needed: empty for 0 (no stack) and for a hash no drained stack held. */
    long[] frames(long hash, long drain) {
        if (hash == 0) {
            return NONE;
        }
        int i = find(hash);
        if (i < 0) {
            unresolved++;
            return NONE;
        }
        lastNeeded[i] = drain;
        return frames[i];
    }

    /** What the kernel's known set should lose and gain after a drain. */
    record Changes(long[] withdraw, long[] publish) {
    }

    /**
     * After drain {@code drain}, in one pass: published entries last needed before {@code staleBefore}
     * are unpublished and kept as needed now (withdraw them); unpublished entries last needed before
     * drain-1 are forgotten; unpublished entries read in this drain and an earlier one (they recur)
     * are returned to publish. A stack seen once is not worth the two syscalls.
     */
    Changes settle(long drain, long staleBefore) {
        Longs withdraw = new Longs();
        Longs publish = new Longs();
        Longs forget = new Longs();
        for (int i = 0; i < hashes.length; i++) {
            long h = hashes[i];
            if (h == 0) {
                continue;
            }
            if (known[i]) {
                if (lastNeeded[i] < staleBefore) {
                    known[i] = false;
                    lastNeeded[i] = drain;
                    withdraw.add(h);
                }
            } else if (lastRead[i] == drain && readBefore[i] != 0) {
                publish.add(h);
            } else if (lastNeeded[i] < drain - 1) {
                forget.add(h);
            }
        }
        // removed after the pass: a deletion shifts later entries back, which a running scan would miss
        for (int k = 0; k < forget.size; k++) {
            removeAt(find(forget.values[k]));
        }
        return new Changes(withdraw.toArray(), publish.toArray());
    }

    /** Records that the kernel's known set holds {@code hashes[from..to)} (or not). */
    void published(long[] hashes, int from, int to, boolean known) {
        for (int i = from; i < to; i++) {
            this.known[find(hashes[i])] = known;
        }
    }

    int size() {
        return size;
    }

    /** different frames seen under one hash (expected never: 64-bit hashes) */
    long collisions() {
        return collisions;
    }

    /** hashes a count named that no drained stack held (its stack map was full) */
    long unresolved() {
        return unresolved;
    }

    private int home(long hash) {
        return (int) ((hash * 0x9e3779b97f4a7c15L) >>> (64 - Integer.numberOfTrailingZeros(hashes.length)));
    }

    /** the slot holding {@code hash} (not 0), or -1 */
    private int find(long hash) {
        int mask = hashes.length - 1;
        for (int i = home(hash); ; i = (i + 1) & mask) {
            long h = hashes[i];
            if (h == hash) {
                return i;
            }
            if (h == 0) {
                return -1;
            }
        }
    }

    private void insert(long hash, long[] stack, long drain) {
        if (2 * (size + 1) > hashes.length) {
            resize(2 * hashes.length); // at most half full: probe runs stay short
        }
        int mask = hashes.length - 1;
        int i = home(hash);
        while (hashes[i] != 0) {
            i = (i + 1) & mask;
        }
        hashes[i] = hash;
        frames[i] = stack;
        lastNeeded[i] = drain;
        lastRead[i] = drain;
        readBefore[i] = 0;
        known[i] = false;
        size++;
    }

    private void resize(int capacity) {
        long[] oldHashes = hashes;
        long[][] oldFrames = frames;
        long[] oldNeeded = lastNeeded;
        long[] oldRead = lastRead;
        long[] oldBefore = readBefore;
        boolean[] oldKnown = known;
        hashes = new long[capacity];
        frames = new long[capacity][];
        lastNeeded = new long[capacity];
        lastRead = new long[capacity];
        readBefore = new long[capacity];
        known = new boolean[capacity];
        int mask = capacity - 1;
        for (int j = 0; j < oldHashes.length; j++) {
            if (oldHashes[j] != 0) {
                int i = home(oldHashes[j]);
                while (hashes[i] != 0) {
                    i = (i + 1) & mask;
                }
                hashes[i] = oldHashes[j];
                frames[i] = oldFrames[j];
                lastNeeded[i] = oldNeeded[j];
                lastRead[i] = oldRead[j];
                readBefore[i] = oldBefore[j];
                known[i] = oldKnown[j];
            }
        }
    }

    /** empties slot {@code i}, moving back later entries of its probe run that could no longer be found */
    private void removeAt(int i) {
        int mask = hashes.length - 1;
        int free = i;
        for (int j = (i + 1) & mask; hashes[j] != 0; j = (j + 1) & mask) {
            int home = home(hashes[j]);
            // the entry at j may move to free unless its home lies cyclically in (free, j]
            boolean stays = free <= j ? free < home && home <= j : free < home || home <= j;
            if (!stays) {
                move(j, free);
                free = j;
            }
        }
        hashes[free] = 0;
        frames[free] = null;
        size--;
    }

    private void move(int from, int to) {
        hashes[to] = hashes[from];
        frames[to] = frames[from];
        lastNeeded[to] = lastNeeded[from];
        lastRead[to] = lastRead[from];
        readBefore[to] = readBefore[from];
        known[to] = known[from];
    }

    /** a growable list of longs */
    private static final class Longs {
        long[] values = new long[64];
        int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, 2 * size);
            }
            values[size++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
