package dev.hearth.bpf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Thread names (a kernel comm: 16 bytes, NUL-padded) decoded once and reused: a drain names the
 * same few threads in thousands of counts. A small direct-mapped cache keyed by the 16 bytes.
 */
final class CommNames {
    static final int SIZE = 16;
    private static final int SLOTS = 256;

    private final long[] low = new long[SLOTS];
    private final long[] high = new long[SLOTS];
    private final String[] names = new String[SLOTS];

    /** the comm at {@code offset} in {@code b} */
    String at(ByteBuffer b, int offset) {
        long lo = b.getLong(offset);
        long hi = b.getLong(offset + 8);
        int slot = (int) (((lo ^ hi * 31) * 0x9e3779b97f4a7c15L) >>> 56);
        String name = names[slot];
        if (name == null || low[slot] != lo || high[slot] != hi) {
            name = decode(b, offset);
            low[slot] = lo;
            high[slot] = hi;
            names[slot] = name;
        }
        return name;
    }

    private static String decode(ByteBuffer b, int offset) {
        int end = offset;
        while (end < offset + SIZE && b.get(end) != 0) {
            end++;
        }
        byte[] s = new byte[end - offset];
        b.get(offset, s);
        return new String(s, StandardCharsets.UTF_8);
    }
}
