package dev.hearth.collector.storage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The rows of one INSERT in ClickHouse's RowBinary format, which every version reads: each column
 * as ClickHouse holds it (Int64 and Date little-endian, String and Array a LEB128 length and then
 * their bytes or elements), so the server parses no text and the collector formats no numbers.
 */
final class RowBinary {
    private byte[] buf = new byte[1 << 12];
    private int len;

    RowBinary int64(long v) {
        room(8);
        for (int i = 0; i < 8; i++) buf[len++] = (byte) (v >>> (8 * i));
        return this;
    }

    /** A Date: days since 1970-01-01 as UInt16 (ClickHouse's range, 1970 to 2149, is where the days are held). */
    RowBinary date(long epochDay) {
        int d = (int) Math.max(0, Math.min(0xffff, epochDay));
        room(2);
        buf[len++] = (byte) d;
        buf[len++] = (byte) (d >>> 8);
        return this;
    }

    RowBinary string(String s) {
        int n = s.length();
        boolean ascii = true;
        for (int i = 0; i < n && ascii; i++) ascii = s.charAt(i) < 0x80;
        if (!ascii) return bytes(s.getBytes(StandardCharsets.UTF_8));
        length(n);
        room(n);
        for (int i = 0; i < n; i++) buf[len++] = (byte) s.charAt(i);
        return this;
    }

    /** An Array(Int64) of {@code n} elements; the elements follow through {@link #int64}. */
    RowBinary arrayOf(int n) {
        return length(n);
    }

    private RowBinary bytes(byte[] b) {
        length(b.length);
        room(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    private RowBinary length(long n) {
        room(10);
        while (n >= 0x80) {
            buf[len++] = (byte) (n | 0x80);
            n >>>= 7;
        }
        buf[len++] = (byte) n;
        return this;
    }

    private void room(int n) {
        if (buf.length - len < n) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }

    boolean isEmpty() {
        return len == 0;
    }

    /** The buffer holding the rows: its first {@link #size()} bytes. */
    byte[] buffer() {
        return buf;
    }

    int size() {
        return len;
    }
}
