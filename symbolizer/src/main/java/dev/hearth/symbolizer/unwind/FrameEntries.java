package dev.hearth.symbolizer.unwind;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The CIEs and FDEs of one .eh_frame or .debug_frame section. The two differ in small ways: a
 * CIE's id is 0 in .eh_frame and all ones in .debug_frame; an FDE points to its CIE backwards from
 * itself in .eh_frame and from the section's start in .debug_frame; .eh_frame encodes addresses
 * as its CIE's augmentation says, .debug_frame as plain 8-byte addresses.
 */
final class FrameEntries {
    /** More FDEs than this (libjvm.so has 44,000, libLLVM-15.so 98,000) and the table is refused. */
    static final int MAX_FDES = 1 << 19;

    private static final int MAX_AUGMENTATION = 16;
    private static final int MAX_CODE_ALIGN = 1 << 16;
    private static final int EH_TABLE_ENCODING = 0x3b; // datarel | sdata4: what every linker writes
    private static final Object BAD_CIE = new Object();

    /** An FDE found: its code range, and where its instructions are. */
    record Fde(long begin, long end, Cie cie, int instructions, int instructionsEnd) {}

    private final ByteBuffer data;
    private final long addr;
    private final boolean eh;
    private final DwarfCursor cur;
    private final Map<Integer, Object> cies = new HashMap<>();

    FrameEntries(FrameSections.Section section, boolean eh) {
        this.data = section.data();
        this.addr = section.addr();
        this.eh = eh;
        this.cur = new DwarfCursor(data, addr);
    }

    DwarfCursor cursor() {
        return cur;
    }

    /** Bytes of the section. */
    int size() {
        return data.limit();
    }

    /**
     * Offsets of the FDEs from .eh_frame_hdr's sorted table, or null when the header does not
     * describe this section sanely (then the section is walked).
     */
    int[] fromHeader(FrameSections.Section hdr) {
        try {
            DwarfCursor h = new DwarfCursor(hdr.data(), hdr.addr());
            if (h.u8() != 1) return null;
            int ptrEnc = h.u8(), countEnc = h.u8(), tableEnc = h.u8();
            if (ptrEnc == DwarfCursor.PE_OMIT || countEnc == DwarfCursor.PE_OMIT || tableEnc != EH_TABLE_ENCODING)
                return null;
            if (h.pointer(ptrEnc, hdr.addr()) != addr) return null;
            long count = h.pointer(countEnc, hdr.addr());
            if (count < 0 || count > MAX_FDES || count > (h.limit() - h.pos()) / 8) return null;
            int[] offsets = new int[(int) count];
            for (int i = 0; i < count; i++) {
                h.u32(); // the FDE's initial location, which the FDE itself says again
                long fde = hdr.addr() + (int) h.u32() - addr;
                if (fde < 0 || fde >= data.limit()) return null;
                offsets[i] = (int) fde;
            }
            return offsets;
        } catch (BadFrameData e) {
            return null;
        }
    }

    /** Offsets of every FDE, walking the section entry by entry; null past {@link #MAX_FDES}. */
    int[] walk() {
        int[] out = new int[64];
        int n = 0;
        int pos = 0;
        while (pos < data.limit()) {
            cur.range(pos, data.limit());
            long length;
            try {
                length = cur.u32();
                if (length == 0xffffffffL) length = cur.u64();
            } catch (BadFrameData e) {
                break;
            }
            if (length == 0) {
                if (eh) break; // the terminator
                pos = cur.pos();
                continue;
            }
            int idAt = cur.pos();
            if (length < 0 || length > data.limit() - idAt)
                break; // runs past the section: nothing after it can be trusted
            if (!isCie(pos)) {
                if (n == MAX_FDES) return null;
                if (n == out.length) out = Arrays.copyOf(out, Math.min(n * 2, MAX_FDES));
                out[n++] = pos;
            }
            pos = idAt + (int) length;
        }
        return Arrays.copyOf(out, n);
    }

    private boolean isCie(int entry) {
        try {
            cur.range(entry, data.limit());
            boolean dwarf64 = cur.u32() == 0xffffffffL;
            if (dwarf64) cur.u64();
            long id = dwarf64 ? cur.u64() : cur.u32();
            return eh ? id == 0 : id == (dwarf64 ? -1L : 0xffffffffL);
        } catch (BadFrameData e) {
            return true; // not an FDE we could read
        }
    }

    /** The FDE at {@code entry}; throws {@link BadFrameData} when it (or its CIE) is malformed or unsupported. */
    Fde fde(int entry) {
        cur.range(entry, data.limit());
        long length = cur.u32();
        boolean dwarf64 = length == 0xffffffffL;
        if (dwarf64) length = cur.u64();
        int idAt = cur.pos();
        if (length <= 0 || length > data.limit() - idAt) throw new BadFrameData("entry length");
        int end = idAt + (int) length;
        cur.range(idAt, end);
        long id = dwarf64 ? cur.u64() : cur.u32();
        if (eh ? id == 0 : id == (dwarf64 ? -1L : 0xffffffffL)) throw new BadFrameData("a CIE, not an FDE");
        long cieAt = eh ? idAt - id : id;
        if (cieAt < 0 || cieAt >= data.limit()) throw new BadFrameData("CIE pointer out of the section");
        Cie cie = cie((int) cieAt);
        cur.range(idAt + (dwarf64 ? 8 : 4), end);
        long begin = eh ? cur.pointer(cie.fdeEncoding(), -1) : cur.u64();
        long range = eh ? cur.encodedValue(cie.fdeEncoding()) : cur.u64();
        if (begin <= 0 || range <= 0 || range > 0xffffffffL || begin > Long.MAX_VALUE - range)
            throw new BadFrameData("code range");
        if (cie.augmented()) cur.skip(cur.uleb());
        return new Fde(begin, begin + range, cie, cur.pos(), end);
    }

    private Cie cie(int at) {
        Object c = cies.get(at);
        if (c == null) {
            int pos = cur.pos(), limit = cur.limit();
            try {
                c = parseCie(at);
            } catch (BadFrameData e) {
                c = BAD_CIE;
            }
            cies.put(at, c);
            cur.range(pos, limit);
        }
        if (c == BAD_CIE) throw new BadFrameData("bad CIE");
        return (Cie) c;
    }

    private Cie parseCie(int at) {
        cur.range(at, data.limit());
        long length = cur.u32();
        boolean dwarf64 = length == 0xffffffffL;
        if (dwarf64) length = cur.u64();
        int idAt = cur.pos();
        if (length <= 0 || length > data.limit() - idAt) throw new BadFrameData("CIE length");
        int end = idAt + (int) length;
        cur.range(idAt, end);
        long id = dwarf64 ? cur.u64() : cur.u32();
        if (!(eh ? id == 0 : id == (dwarf64 ? -1L : 0xffffffffL))) throw new BadFrameData("not a CIE");
        int version = cur.u8();
        if (version != 1 && version != 3 && version != 4) throw new BadFrameData("CIE version " + version);
        StringBuilder aug = new StringBuilder();
        for (int b; (b = cur.u8()) != 0; ) {
            if (aug.length() == MAX_AUGMENTATION) throw new BadFrameData("augmentation too long");
            aug.append((char) b);
        }
        if (version == 4 && (cur.u8() != 8 || cur.u8() != 0)) throw new BadFrameData("address or segment size");
        int codeAlign = cur.ulebInt();
        int dataAlign = cur.slebInt();
        int ra = version == 1 ? cur.u8() : cur.ulebInt();
        if (codeAlign == 0 || codeAlign > MAX_CODE_ALIGN) throw new BadFrameData("code alignment " + codeAlign);
        if (ra != CfaState.RA) throw new BadFrameData("return address in register " + ra);
        int fdeEncoding = 0; // absolute 8-byte addresses
        boolean augmented = aug.length() > 0 && aug.charAt(0) == 'z';
        if (augmented) {
            int augLength = cur.ulebInt();
            int augEnd = cur.pos() + augLength;
            if (augLength > end - cur.pos()) throw new BadFrameData("augmentation data length");
            for (int i = 1; i < aug.length(); i++) {
                char c = aug.charAt(i);
                if (c == 'R') fdeEncoding = cur.u8();
                else if (c == 'P') cur.skipPointer(cur.u8());
                else if (c == 'L') cur.u8();
                else if (c != 'S' && c != 'B' && c != 'G') break; // unknown: the length lets us skip the rest
            }
            cur.range(augEnd, end);
        } else if (aug.length() > 0) {
            throw new BadFrameData("augmentation \"" + aug + "\"");
        }
        if (fdeEncoding == DwarfCursor.PE_OMIT) throw new BadFrameData("FDE encoding omitted");
        CfaState initial = CfaProgram.initial(cur, codeAlign, dataAlign);
        return new Cie(codeAlign, dataAlign, fdeEncoding, augmented, initial);
    }
}
