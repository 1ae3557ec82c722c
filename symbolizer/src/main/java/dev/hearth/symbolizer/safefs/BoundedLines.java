package dev.hearth.symbolizer.safefs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;

/**
 * Lines of an untrusted file with bounds on memory: a line longer than the line bound is skipped
 * (read past, never held) and counted, and reading stops once the byte bound is reached, which is
 * counted too. A last line cut by the byte bound is dropped, not returned half.
 */
public final class BoundedLines {
    private final InputStream in;
    private final int maxLineBytes;
    private final long maxBytes;
    private final Charset charset;
    private final byte[] buf = new byte[64 * 1024];
    private int pos, limit;
    private long consumed;
    private long skippedLines;
    private boolean truncated, eof;
    private byte[] line = new byte[256];

    public BoundedLines(InputStream in, int maxLineBytes, long maxBytes, Charset charset) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.maxBytes = maxBytes;
        this.charset = charset;
    }

    /** The next line without its line end, or null at the end of the input or at the byte bound. */
    public String next() throws IOException {
        int len = nextLine();
        return len < 0 ? null : new String(line, 0, len, charset);
    }

    /**
     * The length of the next line, held in {@link #lineBytes()} until the next call, or -1 at the end
     * of the input or at the byte bound: for readers that parse bytes without a String per line.
     */
    public int nextLine() throws IOException {
        while (true) {
            int len = 0;
            boolean tooLong = false;
            while (true) {
                int b = nextByte();
                if (b < 0) {
                    if (truncated || (len == 0 && !tooLong)) return -1;
                    if (tooLong) {
                        skippedLines++;
                        return -1;
                    }
                    return len;
                }
                if (b == '\n') break;
                if (tooLong) continue;
                if (len == maxLineBytes) {
                    tooLong = true;
                    continue;
                }
                if (len == line.length) line = java.util.Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
                line[len++] = (byte) b;
            }
            if (!tooLong) return len > 0 && line[len - 1] == '\r' ? len - 1 : len;
            skippedLines++;
        }
    }

    /** The bytes of the line {@link #nextLine()} returned last, from index 0. */
    public byte[] lineBytes() {
        return line;
    }

    private int nextByte() throws IOException {
        if (pos == limit) {
            if (eof || truncated) return -1;
            if (consumed >= maxBytes) {
                // at the bound: is there more?
                int n = in.read(buf, 0, 1);
                if (n > 0) truncated = true;
                else eof = true;
                return -1;
            }
            int n = in.read(buf, 0, (int) Math.min(buf.length, maxBytes - consumed));
            if (n <= 0) {
                eof = true;
                return -1;
            }
            consumed += n;
            pos = 0;
            limit = n;
        }
        return buf[pos++] & 0xff;
    }

    /** The longest line returned. */
    public int maxLineBytes() {
        return maxLineBytes;
    }

    /** Lines skipped for being longer than the line bound. */
    public long skippedLines() {
        return skippedLines;
    }

    /** Whether reading stopped at the byte bound with more input left. */
    public boolean truncated() {
        return truncated;
    }

    /** Bytes taken from the input. */
    public long bytesRead() {
        return consumed;
    }
}
