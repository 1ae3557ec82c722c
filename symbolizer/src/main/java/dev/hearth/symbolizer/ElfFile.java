package dev.hearth.symbolizer;

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

    record Segment(long offset, long vaddr, long fileSize, long memSize, boolean executable) {}

    record Section(String name, int type, long addr, long offset, long size, int link, long entSize) {}

    private final FileChannel channel;
    private final ByteBuffer buf;
    private final List<Segment> segments = new ArrayList<>();
    private final List<Section> sections = new ArrayList<>();

    private ElfFile(FileChannel channel, ByteBuffer buf) throws IOException {
        this.channel = channel;
        this.buf = buf;
        if (buf.limit() < 64 || buf.getInt(0) != 0x464c457f) throw new IOException("not an ELF file");
        if (buf.get(4) != 2) throw new IOException("not a 64-bit ELF file");
        if (buf.get(5) != 1) throw new IOException("not a little-endian ELF file");
        long phoff = buf.getLong(32), shoff = buf.getLong(40);
        int phentsize = u16(54), phnum = u16(56), shentsize = u16(58), shnum = u16(60), shstrndx = u16(62);
        for (int i = 0; i < phnum; i++) {
            int p = checked(phoff + (long) i * phentsize, 56);
            if (buf.getInt(p) == PT_LOAD) {
                segments.add(new Segment(buf.getLong(p + 8), buf.getLong(p + 16), buf.getLong(p + 32), buf.getLong(p + 40), (buf.getInt(p + 4) & 1) != 0));
            }
        }
        if (shoff != 0 && shnum > 0) {
            int strBase = shstrndx < shnum ? (int) buf.getLong(checked(shoff + (long) shstrndx * shentsize, 64) + 24) : -1;
            for (int i = 0; i < shnum; i++) {
                int s = checked(shoff + (long) i * shentsize, 64);
                String name = strBase < 0 ? "" : cString(strBase + buf.getInt(s));
                sections.add(new Section(name, buf.getInt(s + 4), buf.getLong(s + 16), buf.getLong(s + 24),
                        buf.getLong(s + 32), buf.getInt(s + 40), buf.getLong(s + 56)));
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

    List<Segment> segments() { return segments; }

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
        long at = off, end = off + size;
        while (at + 12 <= end && at + 12 <= buf.limit()) {
            int p = (int) at;
            int namesz = buf.getInt(p), descsz = buf.getInt(p + 4), ntype = buf.getInt(p + 8);
            long name = at + 12, desc = name + align4(namesz);
            if (namesz < 0 || descsz < 0 || desc + descsz > buf.limit()) return null;
            if (ntype == NT_GNU_BUILD_ID && namesz == 4 && cString((int) name).equals("GNU")) {
                byte[] id = new byte[descsz];
                buf.get((int) desc, id);
                return HexFormat.of().formatHex(id);
            }
            at = desc + align4(descsz);
        }
        return null;
    }

    /** Name of the separate debug file from .gnu_debuglink, or null. */
    String debugLink() {
        for (Section s : sections) {
            if (s.name().equals(".gnu_debuglink") && s.size() > 4) return cString(checked(s.offset(), s.size()));
        }
        return null;
    }

    /** CRC-32 stored in .gnu_debuglink (after the NUL-padded name), or -1. */
    long debugLinkCrc() {
        for (Section s : sections) {
            if (s.name().equals(".gnu_debuglink") && s.size() > 4) {
                int p = checked(s.offset(), s.size());
                int nameEnd = p + cString(p).getBytes(StandardCharsets.UTF_8).length + 1;
                return Integer.toUnsignedLong(buf.getInt(p + align4(nameEnd - p)));
            }
        }
        return -1;
    }

    /**
     * Adds the defined function symbols of every section of {@code sectionType} to {@code out}.
     * Where names share an address, fewer leading underscores win (glibc's public {@code getpid} over
     * its {@code __getpid}), then global over weak over local.
     */
    int addFunctions(int sectionType, SymbolTable.Builder out, int rankBase) {
        int added = 0;
        for (Section s : sections) {
            if (s.type() != sectionType || s.link() >= sections.size()) continue;
            Section strtab = sections.get(s.link());
            int strOff = checked(strtab.offset(), strtab.size());
            int strEnd = (int) (strOff + strtab.size());
            int base = checked(s.offset(), s.size());
            long count = s.size() / 24;
            for (long i = 0; i < count; i++) {
                int e = base + (int) (i * 24);
                int info = buf.get(e + 4) & 0xff;
                int symType = info & 0xf, bind = info >>> 4;
                int shndx = Short.toUnsignedInt(buf.getShort(e + 6));
                long value = buf.getLong(e + 8), size = buf.getLong(e + 16);
                if ((symType != STT_FUNC && symType != STT_GNU_IFUNC) || shndx == 0 || value == 0) continue;
                int nameAt = strOff + buf.getInt(e);
                int nameEnd = nameAt;
                while (nameEnd < strEnd && buf.get(nameEnd) != 0) nameEnd++;
                if (nameEnd == nameAt) continue;
                int underscores = 0;
                while (underscores < 3 && buf.get(nameAt + underscores) == '_') underscores++;
                int bindRank = bind == 1 ? 0 : bind == 2 ? 1 : 2; // GLOBAL, WEAK, LOCAL
                out.add(value, size, buf, nameAt, nameEnd - nameAt, rankBase + underscores * 4 + bindRank, 0);
                added++;
            }
        }
        return added;
    }

    private String cString(int at) {
        int end = at;
        while (end < buf.limit() && buf.get(end) != 0) end++;
        byte[] b = new byte[end - at];
        buf.get(at, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private int checked(long off, long len) {
        if (off < 0 || len < 0 || off + len > buf.limit()) throw new IllegalArgumentException("ELF structure out of bounds at " + off);
        return (int) off;
    }

    private int u16(int off) { return Short.toUnsignedInt(buf.getShort(off)); }

    private static long align4(long v) { return (v + 3) & ~3L; }

    private static int align4(int v) { return (v + 3) & ~3; }

    @Override
    public void close() throws IOException {
        if (channel != null) channel.close();
    }
}
