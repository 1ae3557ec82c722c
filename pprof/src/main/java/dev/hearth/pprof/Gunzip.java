package dev.hearth.pprof;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Gzip bodies inflated in one pass over the whole array (RFC 1952: the header's optional fields,
 * several members, each member's CRC-32 and length checked), with a bound on the output against
 * gzip bombs. A profile is inflated straight into one array sized by the trailer's length field, so
 * an ingest pays for inflate alone: {@code GZIPInputStream} reads 512 bytes at a time and copies
 * the output twice more. Bytes after the last member that do not start another one are ignored, as
 * {@code GZIPInputStream} ignores them.
 */
public final class Gunzip {
    private static final int FHCRC = 2, FEXTRA = 4, FNAME = 8, FCOMMENT = 16, RESERVED = 0xe0;
    /**
     * The first array is at most this many times the body: the trailer's length is the sender's word,
     * and must not make a small body allocate much more than its inflation could fill.
     */
    private static final int MAX_FIRST_RATIO = 32;

    private Gunzip() {}

    /** Whether a body starts like a gzip member. */
    public static boolean isGzip(byte[] body) {
        return startsMember(body, 0);
    }

    private static boolean startsMember(byte[] body, int pos) {
        return body.length - pos >= 2 && (body[pos] & 0xff) == 0x1f && (body[pos + 1] & 0xff) == 0x8b;
    }

    /** The body inflated when it is gzip ({@link #toBytes}), else the body itself. */
    public static byte[] ifGzipped(byte[] body, long max) throws InvalidProfileException {
        return isGzip(body) ? toBytes(body, max) : body;
    }

    /** The body inflated, refusing to expand past {@code max} bytes. */
    public static byte[] toBytes(byte[] body, long max) throws InvalidProfileException {
        long claimed = body.length >= 4 ? readIntLe(body, body.length - 4) & 0xffffffffL : 0;
        long first = Math.min(Math.min(claimed, max), (long) body.length * MAX_FIRST_RATIO);
        Output out = new Output(new byte[(int) Math.min(Math.max(first, 64), Integer.MAX_VALUE - 8)], null);
        inflate(body, max, out);
        return out.len == out.buf.length ? out.buf : Arrays.copyOf(out.buf, out.len);
    }

    /** The body inflated into {@code sink} in chunks, refusing to expand past {@code max} bytes. */
    public static void toStream(byte[] body, long max, OutputStream sink) throws InvalidProfileException {
        Output out = new Output(new byte[64 << 10], sink);
        inflate(body, max, out);
        out.flush();
    }

    /** Inflated bytes: a growing array, or a chunk that is written to a sink when full. */
    private static final class Output {
        byte[] buf;
        int len;
        final OutputStream sink;

        Output(byte[] buf, OutputStream sink) {
            this.buf = buf;
            this.sink = sink;
        }

        /** Makes room for more output. */
        void makeRoom(long max) throws InvalidProfileException {
            if (sink != null) {
                flush();
                return;
            }
            // one byte past the bound, so that output of exactly max bytes is told from more
            long grown = Math.min(Math.max((long) buf.length * 2, 64), max + 1);
            if (grown > Integer.MAX_VALUE - 8 || grown <= buf.length) throw tooBig(max);
            buf = Arrays.copyOf(buf, (int) grown);
        }

        void flush() throws InvalidProfileException {
            if (sink == null || len == 0) return;
            try {
                sink.write(buf, 0, len);
            } catch (IOException e) {
                throw new InvalidProfileException("cannot write the inflated body: " + e.getMessage(), e);
            }
            len = 0;
        }
    }

    private static void inflate(byte[] body, long max, Output out) throws InvalidProfileException {
        Inflater inflater = new Inflater(true);
        try {
            int pos = 0;
            long total = 0;
            do {
                pos = header(body, pos);
                inflater.reset();
                inflater.setInput(body, pos, body.length - pos);
                CRC32 crc = new CRC32();
                long memberStart = total;
                while (!inflater.finished()) {
                    // with no room left, inflate still reads the end of a member that has no more output
                    int room = out.buf.length - out.len;
                    int n = inflater.inflate(out.buf, out.len, room);
                    crc.update(out.buf, out.len, n);
                    out.len += n;
                    total += n;
                    if (total > max) throw tooBig(max);
                    if (n > 0 || inflater.finished()) continue;
                    if (inflater.needsDictionary()) throw corrupt("a member needs a preset dictionary");
                    if (inflater.needsInput()) throw corrupt("the body ends inside a member");
                    if (room > 0) throw corrupt("inflate made no progress");
                    out.makeRoom(max);
                }
                pos = body.length - inflater.getRemaining();
                if (body.length - pos < 8) throw corrupt("the body ends inside a member's trailer");
                if ((int) crc.getValue() != readIntLe(body, pos)) throw corrupt("a member's CRC-32 does not match");
                if ((int) (total - memberStart) != readIntLe(body, pos + 4))
                    throw corrupt("a member's length does not match its trailer");
                pos += 8;
            } while (startsMember(body, pos));
        } catch (DataFormatException e) {
            throw corrupt(e.getMessage());
        } finally {
            inflater.end();
        }
    }

    /** Checks a member header at {@code pos}; returns where its deflate data starts. */
    private static int header(byte[] body, int pos) throws InvalidProfileException {
        if (body.length - pos < 10 || !startsMember(body, pos)) throw corrupt("not in GZIP format");
        if (body[pos + 2] != 8) throw corrupt("unsupported compression method " + (body[pos + 2] & 0xff));
        int flags = body[pos + 3] & 0xff;
        if ((flags & RESERVED) != 0) throw corrupt("reserved header flags are set");
        int p = pos + 10;
        if ((flags & FEXTRA) != 0) {
            if (body.length - p < 2) throw corrupt("the header ends early");
            p += 2 + ((body[p] & 0xff) | (body[p + 1] & 0xff) << 8);
        }
        if ((flags & FNAME) != 0) p = afterZero(body, p);
        if ((flags & FCOMMENT) != 0) p = afterZero(body, p);
        if ((flags & FHCRC) != 0) p += 2;
        if (p > body.length) throw corrupt("the header ends early");
        return p;
    }

    private static int afterZero(byte[] body, int p) throws InvalidProfileException {
        while (p < body.length && body[p] != 0) p++;
        if (p == body.length) throw corrupt("the header ends early");
        return p + 1;
    }

    private static int readIntLe(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
    }

    private static InvalidProfileException corrupt(String why) {
        return new InvalidProfileException("corrupt gzip body: " + why);
    }

    private static InvalidProfileException tooBig(long max) {
        return new InvalidProfileException("decompressed body exceeds the limit of " + max + " bytes");
    }
}
