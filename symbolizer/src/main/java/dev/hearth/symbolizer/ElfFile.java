package dev.hearth.symbolizer;

import dev.hearth.symbolizer.unwind.FrameSections;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The parts of a 64-bit little-endian ELF file a symbolizer needs: loadable segments, sections,
 * function symbols, the GNU build-id and the .gnu_debuglink. The file is memory-mapped while open.
 */
final class ElfFile implements AutoCloseable {
    static final int SHT_SYMTAB = 2, SHT_NOTE = 7, SHT_NOBITS = 8, SHT_DYNSYM = 11;
    private static final int PT_LOAD = 1, PT_NOTE = 4;
    private static final int STT_FUNC = 2, STT_GNU_IFUNC = 10;
    private static final int NT_GNU_BUILD_ID = 3;
    private static final int GNU = 0x00554e47; // "GNU\0", little-endian
    // Bounds on what a file can make us do: any process can map a file built to exhaust its reader.
    /** Symbol table entries looked at per file, in every table together (48 MB of entries; libjvm.so has 65,000). */
    static final long MAX_SYMBOL_ENTRIES = 2_000_000;
    /** Longest symbol name kept (LLVM's longest is 613 bytes); longer ones are cut. */
    static final int MAX_SYMBOL_NAME = 4096;

    private static final int MAX_DEBUGLINK = 256;
    private static final byte[] DEBUGLINK = ".gnu_debuglink".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_SEGMENTS = 64; // loadable ones; linkers write 2 to 4
    private static final int MAX_NOTES = 64; // notes read per note section or segment
    private static final int MAX_BUILD_ID = 64; // bytes; GNU ld writes 20 (SHA-1) or 16 (MD5)

    record Segment(long offset, long vaddr, long fileSize, long memSize, boolean executable) {}

    /** @param nameAt where the name starts in the file, or -1 (names are compared in place: a file may have 65,535 sections) */
    record Section(long nameAt, int type, long addr, long offset, long size, int link, long entSize) {}

    private final FileChannel channel;
    private final ByteBuffer buf;
    private final List<Segment> segments = new ArrayList<>();
    private final List<Section> sections = new ArrayList<>();
    private long entriesLeft = MAX_SYMBOL_ENTRIES;
    private long namesEnd = -1; // end of the section names' string table
    private int problems;

    private ElfFile(FileChannel channel, ByteBuffer buf) throws IOException {
        this.channel = channel;
        this.buf = buf;
        if (buf.limit() < 64 || buf.getInt(0) != 0x464c457f) throw new IOException("not an ELF file");
        if (buf.get(4) != 2) throw new IOException("not a 64-bit ELF file");
        if (buf.get(5) != 1) throw new IOException("not a little-endian ELF file");
        long phoff = buf.getLong(32), shoff = buf.getLong(40);
        int phentsize = u16(54), phnum = u16(56), shentsize = u16(58), shnum = u16(60), shstrndx = u16(62);
        if (phnum > 0 && phentsize < 56) throw new IOException("bad program header size " + phentsize);
        for (int i = 0; i < phnum; i++) {
            int p = checked(phoff + (long) i * phentsize, 56);
            if (buf.getInt(p) == PT_LOAD && segments.size() == MAX_SEGMENTS) {
                problems++; // every lookup walks them
            } else if (buf.getInt(p) == PT_LOAD) {
                segments.add(new Segment(
                        buf.getLong(p + 8),
                        buf.getLong(p + 16),
                        buf.getLong(p + 32),
                        buf.getLong(p + 40),
                        (buf.getInt(p + 4) & 1) != 0));
            }
        }
        if (shoff != 0 && shnum > 0) {
            if (shentsize < 64) throw new IOException("bad section header size " + shentsize);
            long names = -1;
            if (shstrndx < shnum) {
                int h = checked(shoff + (long) shstrndx * shentsize, 64);
                long off = buf.getLong(h + 24), size = buf.getLong(h + 32);
                if (inFile(off, size)) {
                    names = (int) off;
                    namesEnd = off + size;
                } else {
                    problems++;
                }
            }
            for (int i = 0; i < shnum; i++) {
                int s = checked(shoff + (long) i * shentsize, 64);
                long nameAt = names + Integer.toUnsignedLong(buf.getInt(s));
                sections.add(new Section(
                        names >= 0 && nameAt < namesEnd ? nameAt : -1,
                        buf.getInt(s + 4),
                        buf.getLong(s + 16),
                        buf.getLong(s + 24),
                        buf.getLong(s + 32),
                        buf.getInt(s + 40),
                        buf.getLong(s + 56)));
            }
        }
    }

    /** An ELF image already in memory (the vDSO); nothing to close. */
    static ElfFile of(ByteBuffer image) throws IOException {
        try {
            return new ElfFile(null, image.order(ByteOrder.LITTLE_ENDIAN));
        } catch (RuntimeException e) {
            throw new IOException("bad ELF image: " + e, e);
        }
    }

    static ElfFile open(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) throw new IOException("ELF file too large: " + path);
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return new ElfFile(ch, m.order(ByteOrder.LITTLE_ENDIAN));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e instanceof IOException io ? io : new IOException("bad ELF file " + path + ": " + e, e);
        }
    }

    List<Segment> segments() {
        return segments;
    }

    boolean has(int sectionType) {
        for (Section s : sections) if (s.type() == sectionType && s.type() != SHT_NOBITS && s.size() > 0) return true;
        return false;
    }

    /** Hex build-id from the GNU build-id note, or null. */
    String buildId() {
        for (Section s : sections) {
            if (s.type() == SHT_NOTE) {
                String id = buildIdIn(s.offset(), s.size());
                if (id != null) return id;
            }
        }
        int phnum = u16(56), phentsize = u16(54);
        long phoff = buf.getLong(32);
        for (int i = 0; i < phnum; i++) {
            int p = checked(phoff + (long) i * phentsize, 56);
            if (buf.getInt(p) == PT_NOTE) {
                String id = buildIdIn(buf.getLong(p + 8), buf.getLong(p + 32));
                if (id != null) return id;
            }
        }
        return null;
    }

    private String buildIdIn(long off, long size) {
        if (!inFile(off, size)) {
            problems++;
            return null;
        }
        long at = off, end = off + size;
        for (int n = 0; n < MAX_NOTES && at + 12 <= end; n++) {
            int p = (int) at;
            long namesz = Integer.toUnsignedLong(buf.getInt(p)), descsz = Integer.toUnsignedLong(buf.getInt(p + 4));
            int ntype = buf.getInt(p + 8);
            long name = at + 12, desc = name + align4(namesz);
            if (desc + descsz > end) {
                problems++;
                return null;
            }
            if (ntype == NT_GNU_BUILD_ID && namesz == 4 && buf.getInt((int) name) == GNU) {
                if (descsz == 0 || descsz > MAX_BUILD_ID) {
                    problems++;
                    return null;
                }
                byte[] id = new byte[(int) descsz];
                buf.get((int) desc, id);
                return HexFormat.of().formatHex(id);
            }
            at = desc + align4(descsz);
        }
        return null;
    }

    /** Name of the separate debug file from .gnu_debuglink, or null. */
    String debugLink() {
        Section s = debugLinkSection();
        return s == null ? null : cString(s.offset(), s.offset() + s.size(), MAX_DEBUGLINK);
    }

    /** CRC-32 stored in .gnu_debuglink (after the NUL-padded name), or -1. */
    long debugLinkCrc() {
        Section s = debugLinkSection();
        if (s == null) return -1;
        long nameEnd = s.offset(), stop = Math.min(s.offset() + s.size(), s.offset() + MAX_DEBUGLINK);
        while (nameEnd < stop && buf.get((int) nameEnd) != 0) nameEnd++;
        long crcAt = s.offset() + align4(nameEnd - s.offset() + 1);
        if (crcAt + 4 > s.offset() + s.size()) return -1;
        return Integer.toUnsignedLong(buf.getInt((int) crcAt));
    }

    private Section debugLinkSection() {
        for (Section s : sections) {
            if (nameIs(s, DEBUGLINK) && s.size() > 4) {
                if (inFile(s.offset(), s.size())) return s;
                problems++;
                return null;
            }
        }
        return null;
    }

    /**
     * Adds the defined function symbols of every section of {@code sectionType} to {@code out}.
     * Where names share an address, fewer leading underscores win (glibc's public {@code getpid} over
     * its {@code __getpid}), then global over weak over local.
     */
    int addFunctions(int sectionType, SymbolTable.Builder out, int rankBase) {
        int added = 0;
        for (Section s : sections) {
            if (s.type() != sectionType || s.link() < 0 || s.link() >= sections.size()) continue;
            Section strtab = sections.get(s.link());
            if (!inFile(s.offset(), s.size()) || !inFile(strtab.offset(), strtab.size())) {
                problems++;
                continue;
            }
            long strOff = strtab.offset(), strEnd = strOff + strtab.size();
            int base = (int) s.offset();
            long count = s.size() / 24;
            if (count > entriesLeft) {
                problems++;
                count = entriesLeft;
            }
            entriesLeft -= count;
            for (long i = 0; i < count; i++) {
                int e = base + (int) (i * 24);
                int info = buf.get(e + 4) & 0xff;
                int symType = info & 0xf, bind = info >>> 4;
                int shndx = Short.toUnsignedInt(buf.getShort(e + 6));
                long value = buf.getLong(e + 8), size = buf.getLong(e + 16);
                if ((symType != STT_FUNC && symType != STT_GNU_IFUNC) || shndx == 0 || value == 0) continue;
                long nameAt = strOff + Integer.toUnsignedLong(buf.getInt(e));
                if (nameAt >= strEnd) {
                    problems++;
                    continue;
                }
                long stop = Math.min(strEnd, nameAt + MAX_SYMBOL_NAME);
                long nameEnd = nameAt;
                while (nameEnd < stop && buf.get((int) nameEnd) != 0) nameEnd++;
                if (nameEnd == nameAt) continue;
                if (nameEnd == stop && (stop == strEnd || buf.get((int) stop) != 0)) problems++; // cut, or no end
                if (!out.hasRoom((int) (nameEnd - nameAt))) {
                    problems++;
                    return added;
                }
                int underscores = 0;
                while (underscores < 3 && nameAt + underscores < nameEnd && buf.get((int) nameAt + underscores) == '_')
                    underscores++;
                int bindRank = bind == 1 ? 0 : bind == 2 ? 1 : 2; // GLOBAL, WEAK, LOCAL
                out.add(
                        value,
                        size,
                        buf,
                        (int) nameAt,
                        (int) (nameEnd - nameAt),
                        rankBase + underscores * 4 + bindRank,
                        0);
                added++;
            }
        }
        return added;
    }

    /** e_machine: 62 for x86-64. */
    int machine() {
        return u16(18);
    }

    /**
     * The bytes of the section named {@code name} as a little-endian buffer over the file, and its
     * address; null when there is none, it has no bytes in the file, or it lies outside the file.
     */
    FrameSections.Section section(String name) {
        byte[] wanted = name.getBytes(StandardCharsets.US_ASCII);
        for (Section s : sections) {
            if (!nameIs(s, wanted) || s.type() == SHT_NOBITS || s.size() == 0) continue;
            if (!inFile(s.offset(), s.size())) {
                problems++;
                return null;
            }
            ByteBuffer data = buf.slice((int) s.offset(), (int) s.size()).order(ByteOrder.LITTLE_ENDIAN);
            return new FrameSections.Section(s.addr(), data);
        }
        return null;
    }

    /** Structures skipped as malformed or past a bound: the file was read only in part. */
    int problems() {
        return problems;
    }

    private boolean nameIs(Section s, byte[] name) {
        long at = s.nameAt();
        if (at < 0 || at + name.length >= namesEnd) return false;
        for (int k = 0; k < name.length; k++) if (buf.get((int) at + k) != name[k]) return false;
        return buf.get((int) at + name.length) == 0;
    }

    /** A NUL-terminated string at {@code at}, read no further than {@code end} nor {@code max} bytes. */
    private String cString(long at, long end, int max) {
        long stop = Math.min(Math.min(end, buf.limit()), at + max);
        long e = at;
        while (e < stop && buf.get((int) e) != 0) e++;
        byte[] b = new byte[(int) (e - at)];
        buf.get((int) at, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private boolean inFile(long off, long len) {
        return off >= 0 && len >= 0 && off <= buf.limit() && len <= buf.limit() - off;
    }

    private int checked(long off, long len) {
        if (!inFile(off, len)) throw new IllegalArgumentException("ELF structure out of bounds at " + off);
        return (int) off;
    }

    private int u16(int off) {
        return Short.toUnsignedInt(buf.getShort(off));
    }

    private static long align4(long v) {
        return (v + 3) & ~3L;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) channel.close();
    }
}
