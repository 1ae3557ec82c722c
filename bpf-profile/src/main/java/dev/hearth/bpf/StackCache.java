package dev.hearth.bpf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The frames of drained stacks by their 64-bit content hash (computed in the kernel). Each entry
 * carries the last drain that needed it (read it from a stacks map, or found it named by a count
 * or a start entry) and whether it is published in the kernel's known set; {@link Drainer} says
 * how long an entry must stay.
 */
final class StackCache {
    static final int MAX_DEPTH = 127;
    static final long[] NONE = new long[0];

    private static final class Entry {
        final long[] frames;
        long lastNeeded;
        long lastRead;
        long readBefore; // the drain that read it before lastRead, 0 if none
        boolean known;

        Entry(long[] frames, long drain) {
            this.frames = frames;
            this.lastNeeded = drain;
            this.lastRead = drain;
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
        if (e.lastRead != drain) {
            e.readBefore = e.lastRead;
            e.lastRead = drain;
        }
    }

    /** Marks a cached hash as needed in drain {@code drain}; unknown ones are ignored. */
    void keep(long hash, long drain) {
        Entry e = byHash.get(hash);
        if (e != null) {
            e.lastNeeded = drain;
        }
    }

    /** The frames of {@code hash}, marked needed: empty for 0 (no stack) and for a hash no drained stack held. */
    long[] frames(long hash, long drain) {
        if (hash == 0) {
            return NONE;
        }
        Entry e = byHash.get(hash);
        if (e == null) {
            unresolved++;
            return NONE;
        }
        e.lastNeeded = drain;
        return e.frames;
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
        List<Long> withdraw = new ArrayList<>();
        List<Long> publish = new ArrayList<>();
        Iterator<Map.Entry<Long, Entry>> it = byHash.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Entry> x = it.next();
            Entry e = x.getValue();
            if (e.known) {
                if (e.lastNeeded < staleBefore) {
                    e.known = false;
                    e.lastNeeded = drain;
                    withdraw.add(x.getKey());
                }
            } else if (e.lastRead == drain && e.readBefore != 0) {
                publish.add(x.getKey());
            } else if (e.lastNeeded < drain - 1) {
                it.remove();
            }
        }
        return new Changes(withdraw.stream().mapToLong(Long::longValue).toArray(),
                publish.stream().mapToLong(Long::longValue).toArray());
    }

    /** Records that the kernel's known set holds {@code hashes[from..to)} (or not). */
    void published(long[] hashes, int from, int to, boolean known) {
        for (int i = from; i < to; i++) {
            byHash.get(hashes[i]).known = known;
        }
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
