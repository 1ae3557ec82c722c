package dev.hearth.pprof;

import java.util.Arrays;

/**
 * The ids of a profile's mappings, functions or locations, for the validator's many membership
 * checks: a flag array when the ids are dense (as writers make them), else a sorted array.
 */
final class IdSet {
    private final boolean[] dense;
    private final long[] sorted;

    private IdSet(boolean[] dense, long[] sorted) {
        this.dense = dense;
        this.sorted = sorted;
    }

    /** The set of {@code ids}; 0 and repeated ids are errors naming {@code what}. */
    static IdSet of(long[] ids, String what) throws InvalidProfileException {
        long max = 0;
        for (long id : ids) {
            if (id == 0) throw new InvalidProfileException(what + " id 0 is reserved");
            max = Math.max(max, id);
        }
        if (max <= 2L * ids.length + 64 && Arrays.stream(ids).allMatch(id -> id > 0)) {
            boolean[] seen = new boolean[(int) max + 1];
            for (long id : ids) {
                if (seen[(int) id]) throw new InvalidProfileException(what + " id " + id + " appears twice");
                seen[(int) id] = true;
            }
            return new IdSet(seen, null);
        }
        long[] s = ids.clone();
        Arrays.sort(s);
        for (int i = 1; i < s.length; i++) {
            if (s[i] == s[i - 1]) throw new InvalidProfileException(what + " id " + s[i] + " appears twice");
        }
        return new IdSet(null, s);
    }

    boolean contains(long id) {
        if (dense != null) return id > 0 && id < dense.length && dense[(int) id];
        return Arrays.binarySearch(sorted, id) >= 0;
    }
}
