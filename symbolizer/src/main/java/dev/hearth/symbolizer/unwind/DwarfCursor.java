package dev.hearth.symbolizer.unwind;

import java.nio.ByteBuffer;

/**
 * Reads DWARF values from a section, never past {@code limit}: LEB128 numbers, fixed-size
 * integers and the pointer encodings of .eh_frame ({@code DW_EH_PE_*}). Anything out of bounds or
 * not representable throws {@link BadFrameData}.
 */
final class DwarfCursor {
    static final int PE_OMIT = 0xff;
    private static final int PE_ABSPTR = 0x00,
            PE_ULEB128 = 0x01,
            PE_UDATA2 = 0x02,
            PE_UDATA4 = 0x03,
            PE_UDATA8 = 0x04,
            PE_SLEB128 = 0x09,
            PE_SDATA2 = 0x0a,
            PE_SDATA4 = 0x0b,
            PE_SDATA8 = 0x0c;
    private static final int PE_PCREL = 0x10, PE_DATAREL = 0x30;

    private final ByteBuffer buf;
    private final long sectionAddr;
    private int pos;
    private int limit;

    DwarfCursor(ByteBuffer buf, long sectionAddr) {
        this.buf = buf;
        this.sectionAddr = sectionAddr;
        this.limit = buf.limit();
    }

    int pos() {
        return pos;
    }

    int limit() {
        return limit;
    }

    boolean more() {
        return pos < limit;
    }

    /** Moves to {@code pos}, reading no further than {@code limit} (both within the section). */
    void range(int pos, int limit) {
        if (pos < 0 || limit < pos || limit > buf.limit()) throw new BadFrameData("range out of the section");
        this.pos = pos;
        this.limit = limit;
    }

    void skip(long n) {
        if (n < 0 || n > limit - pos) throw new BadFrameData("skip past the end");
        pos += (int) n;
    }

    private void need(int n) {
        if (limit - pos < n) throw new BadFrameData("read past the end");
    }

    int u8() {
        need(1);
        return buf.get(pos++) & 0xff;
    }

    int u16() {
        need(2);
        int v = Short.toUnsignedInt(buf.getShort(pos));
        pos += 2;
        return v;
    }

    long u32() {
        need(4);
        long v = Integer.toUnsignedLong(buf.getInt(pos));
        pos += 4;
        return v;
    }

    long u64() {
        need(8);
        long v = buf.getLong(pos);
        pos += 8;
        return v;
    }

    /** Unsigned LEB128 of at most 10 bytes; bits past 64 must be zero. */
    long uleb() {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = u8();
            if (shift == 63 && (b & 0x7e) != 0) throw new BadFrameData("uleb128 overflow");
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw new BadFrameData("uleb128 too long");
    }

    /** Signed LEB128 of at most 10 bytes. */
    long sleb() {
        long v = 0;
        int shift = 0, b;
        do {
            if (shift >= 70) throw new BadFrameData("sleb128 too long");
            b = u8();
            if (shift < 64) v |= (long) (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        if (shift < 64 && (b & 0x40) != 0) v |= -1L << shift;
        return v;
    }

    /** An unsigned LEB128 that must fit in an int (lengths, register numbers, factors). */
    int ulebInt() {
        long v = uleb();
        if (v < 0 || v > Integer.MAX_VALUE) throw new BadFrameData("value too large: " + Long.toUnsignedString(v));
        return (int) v;
    }

    /** A signed LEB128 that must fit in an int. */
    int slebInt() {
        long v = sleb();
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw new BadFrameData("value too large: " + v);
        return (int) v;
    }

    /** The value part of a pointer encoding, without applying its base. */
    long encodedValue(int enc) {
        return switch (enc & 0x0f) {
            case PE_ABSPTR, PE_UDATA8, PE_SDATA8 -> u64();
            case PE_ULEB128 -> uleb();
            case PE_UDATA2 -> u16();
            case PE_UDATA4 -> u32();
            case PE_SLEB128 -> sleb();
            case PE_SDATA2 -> (short) u16();
            case PE_SDATA4 -> (int) u32();
            default -> throw new BadFrameData("pointer format " + (enc & 0x0f));
        };
    }

    /**
     * A pointer in encoding {@code enc}: absolute, or relative to its own address (pcrel), or to
     * {@code dataBase} (datarel; -1 where there is none). Indirect and other bases are unsupported.
     */
    long pointer(int enc, long dataBase) {
        if (enc == PE_OMIT) throw new BadFrameData("omitted pointer");
        long at = sectionAddr + pos;
        long v = encodedValue(enc);
        return switch (enc & 0xf0) {
            case 0 -> v;
            case PE_PCREL -> at + v;
            case PE_DATAREL -> {
                if (dataBase == -1) throw new BadFrameData("datarel pointer without a base");
                yield dataBase + v;
            }
            default -> throw new BadFrameData("pointer application 0x" + Integer.toHexString(enc & 0xf0));
        };
    }

    /** Skips a pointer in encoding {@code enc} (a personality routine's address, which is not needed). */
    void skipPointer(int enc) {
        if (enc == PE_OMIT) return;
        if ((enc & 0x70) == 0x50)
            throw new BadFrameData("aligned pointer"); // DW_EH_PE_aligned: unused by x86-64 toolchains
        encodedValue(enc);
    }
}
