package dev.hearth.bpf;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The frames of drained stacks by their 64-bit content hash (computed in the kernel), each with
 * the last drain that needed it; {@link Drainer} says how long an entry must stay.
 */
final class StackCache {
    static final int MAX_DEPTH = 127;
    static final long[] NONE = new long[0];

    private static final class Entry {
        final long[] frames;
        long lastNeeded;

        Entry(long[] frames, long lastNeeded) {
            this.frames = frames;
            this.lastNeeded = lastNeeded;
        }
    }

    private final Map<Long, Entry> byHash = new HashMap<>();
    private long collisions;
    private long unresolved;

    /** A stack read from a stacks map in drain {@code drain}; a known hash with other frames is a collision. */
    void put(long hash, long[] frames, long drain) {
        Entry e = byHash.get(hash);
        if (e == null) {
            byHash.put(hash, new Entry(frames, drain));
            return;
        }
        if (!Arrays.equals(e.frames, frames)) {
            collisions++; // the first frames stay: counts drained earlier already named them
        }
        e.lastNeeded = drain;
    }

    /** Marks a known hash as still needed in drain {@code drain}; unknown ones are ignored. */
    void keep(long hash, long drain) {
        Entry e = byHash.get(hash);
        if (e != null) {
            e.lastNeeded = drain;
        }
    }

    /** The frames of {@code hash}: empty for 0 (no stack) and for a hash no drained stack held. */
    long[] frames(long hash) {
        if (hash == 0) {
            return NONE;
        }
        Entry e = byHash.get(hash);
        if (e == null) {
            unresolved++;
            return NONE;
        }
        return e.frames;
    }

    /** Drops every stack last needed before drain {@code drain}. */
    void forgetBefore(long drain) {
        byHash.values().removeIf(e -> e.lastNeeded < drain);
    }

    int size() {
        return byHash.size();
    }

    /** different frames seen under one hash (expected never: 64-bit hashes) */
    long collisions() {
        return collisions;
    }

    /** hashes a count named that no drained stack held (its stack map was full) */
    long unresolved() {
        return unresolved;
    }
}
