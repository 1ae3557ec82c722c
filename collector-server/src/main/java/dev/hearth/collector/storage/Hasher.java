package dev.hearth.collector.storage;

/**
 * A streaming 64-bit content hash for dictionary keys (strings, functions, locations, stacks,
 * series). Not cryptographic: at 64 bits, accidental collisions are negligible for the dictionary
 * sizes of one collector (about 2^-30 at a million distinct entries).
 */
final class Hasher {
    private static final long M1 = 0x9E3779B97F4A7C15L;
    private static final long M2 = 0xC2B2AE3D27D4EB4FL;
    private long h;
    private long length;

    Hasher(long seed) {
        h = seed * M1;
    }

    private Hasher(long h, long length) {
        this.h = h;
        this.length = length;
    }

    /** A hasher that goes on from this one's state; this one is left as it is. */
    Hasher copy() {
        return new Hasher(h, length);
    }

    Hasher putLong(long x) {
        h = Long.rotateLeft(h ^ (x * M2), 31) * M1;
        length++;
        return this;
    }

    Hasher putString(String s) {
        int n = s.length(), i = 0;
        for (; i + 4 <= n; i += 4) {
            putLong(s.charAt(i)
                    | (long) s.charAt(i + 1) << 16
                    | (long) s.charAt(i + 2) << 32
                    | (long) s.charAt(i + 3) << 48);
        }
        long tail = 0;
        for (int shift = 0; i < n; i++, shift += 16) tail |= (long) s.charAt(i) << shift;
        return putLong(tail).putLong(n);
    }

    long hash() {
        long x = h ^ length;
        x ^= x >>> 33;
        x *= 0xFF51AFD7ED558CCDL;
        x ^= x >>> 33;
        x *= 0xC4CEB9FE1A85EC53L;
        x ^= x >>> 33;
        return x;
    }

    static long ofString(String s) {
        return new Hasher(1).putString(s).hash();
    }
}
