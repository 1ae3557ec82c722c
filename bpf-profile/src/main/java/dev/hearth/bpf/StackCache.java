package dev.hearth.bpf;

import java.util.Arrays;

/**
 * The frames of drained stacks by their 64-bit content hash (computed in the kernel). Each entry
 * carries the last drain that needed it (read it from a stacks map, or found it named by a count
 * or a start entry) and whether it is published in the kernel's known set; {@link Drainer} says
 * how long an entry must stay (docs/bpf-profile.md tells why).
 *
 * <p>An open-addressing table (linear probing, backward-shift deletion) whose slot keeps the hash
 * and its drain marks side by side: a drain of new stacks looks up tens of thousands of hashes in
 * an order no cache predicts, and a {@code HashMap<Long, ...>} spent most of that drain's CPU
 * chasing boxed keys and entry objects. Hash 0 means "no stack" and marks a free slot; the kernel
 * never stores it.
 */
final class StackCache {
    static final long[] NONE = new long[0];
    private static final int INITIAL_CAPACITY = 1 << 12;
    // a slot's longs: hash, last drain that needed it, last drain that read it, the drain that read
    // it before that (0 if none); two slots share a cache line
    private static final int HASH = 0;
    private static final int NEEDED = 1;
    private static final int READ = 2;
    private static final int READ_BEFORE = 3;
    private static final int STRIDE = 4;

    private long[] slots = new long[INITIAL_CAPACITY * STRIDE];
    private long[][] frames = new long[INITIAL_CAPACITY][];
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
        int b = i * STRIDE;
        slots[b + NEEDED] = drain;
        if (slots[b + READ] != drain) {
            slots[b + READ_BEFORE] = slots[b + READ];
            slots[b + READ] = drain;
        }
    }

    /** Marks a cached hash as needed in drain {@code drain}; unknown ones are ignored. */
    void keep(long hash, long drain) {
        int i = hash == 0 ? -1 : find(hash);
        if (i >= 0) {
            slots[i * STRIDE + NEEDED] = drain;
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
        slots[i * STRIDE + NEEDED] = drain;
        return frames[i];
    }

    /** What the kernel's known set should lose and gain after a drain. */
    record Changes(long[] withdraw, long[] publish) {}

    /**
     * After drain {@code drain}, in one pass: published entries last needed before {@code staleBefore}
     * are unpublished and kept as needed now (withdraw them); unpublished entries last needed before
     * drain-1 are forgotten; unpublished entries read in this drain and an earlier one (they recur)
     * are returned to publish, at most {@code maxPublish} of them (the rest are read once more and
     * offered again next drain, so one drain never pays for publishing a whole working set). A stack
     * seen once is not worth the two syscalls.
     */
    Changes settle(long drain, long staleBefore, int maxPublish) {
        Longs withdraw = new Longs();
        Longs publish = new Longs();
        Longs forget = new Longs();
        for (int i = 0; i < known.length; i++) {
            int b = i * STRIDE;
            long h = slots[b + HASH];
            if (h == 0) {
                continue;
            }
            if (known[i]) {
                if (slots[b + NEEDED] < staleBefore) {
                    known[i] = false;
                    slots[b + NEEDED] = drain;
                    withdraw.add(h);
                }
            } else if (slots[b + READ] == drain && slots[b + READ_BEFORE] != 0) {
                if (publish.size < maxPublish) {
                    publish.add(h);
                }
            } else if (slots[b + NEEDED] < drain - 1) {
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
        return (int) ((hash * 0x9e3779b97f4a7c15L) >>> (64 - Integer.numberOfTrailingZeros(known.length)));
    }

    /** the slot holding {@code hash} (not 0), or -1 */
    private int find(long hash) {
        int mask = known.length - 1;
        for (int i = home(hash); ; i = (i + 1) & mask) {
            long h = slots[i * STRIDE + HASH];
            if (h == hash) {
                return i;
            }
            if (h == 0) {
                return -1;
            }
        }
    }

    private void insert(long hash, long[] stack, long drain) {
        if (2 * (size + 1) > known.length) {
            resize(2 * known.length); // at most half full: probe runs stay short
        }
        int i = freeSlot(hash);
        int b = i * STRIDE;
        slots[b + HASH] = hash;
        slots[b + NEEDED] = drain;
        slots[b + READ] = drain;
        slots[b + READ_BEFORE] = 0;
        frames[i] = stack;
        known[i] = false;
        size++;
    }

    /** the first free slot of {@code hash}'s probe run */
    private int freeSlot(long hash) {
        int mask = known.length - 1;
        int i = home(hash);
        while (slots[i * STRIDE + HASH] != 0) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void resize(int capacity) {
        long[] oldSlots = slots;
        long[][] oldFrames = frames;
        boolean[] oldKnown = known;
        slots = new long[capacity * STRIDE];
        frames = new long[capacity][];
        known = new boolean[capacity];
        for (int j = 0; j < oldKnown.length; j++) {
            long h = oldSlots[j * STRIDE + HASH];
            if (h != 0) {
                int i = freeSlot(h);
                System.arraycopy(oldSlots, j * STRIDE, slots, i * STRIDE, STRIDE);
                frames[i] = oldFrames[j];
                known[i] = oldKnown[j];
            }
        }
    }

    /** empties slot {@code i}, moving back later entries of its probe run that could no longer be found */
    private void removeAt(int i) {
        int mask = known.length - 1;
        int free = i;
        for (int j = (i + 1) & mask; slots[j * STRIDE + HASH] != 0; j = (j + 1) & mask) {
            int home = home(slots[j * STRIDE + HASH]);
            // the entry at j may move to free unless its home lies cyclically in (free, j]
            boolean stays = free <= j ? free < home && home <= j : free < home || home <= j;
            if (!stays) {
                System.arraycopy(slots, j * STRIDE, slots, free * STRIDE, STRIDE);
                frames[free] = frames[j];
                known[free] = known[j];
                free = j;
            }
        }
        slots[free * STRIDE + HASH] = 0;
        frames[free] = null;
        size--;
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
