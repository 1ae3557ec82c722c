package dev.hearth.symbolizer;

import java.util.ArrayList;
import java.util.List;

/** Parses /proc/PID/maps text into mappings sorted by start address. */
final class MapsParser {
    private static final String DELETED = " (deleted)";
    /** A line: addresses, fields and a path of at most PATH_MAX (4096) bytes, with its " (deleted)". */
    static final int MAX_LINE = 4096 + 256;

    private final Mapping[] mappings;
    private final long[] starts;
    private final int skipped;

    private MapsParser(Mapping[] mappings, int skipped) {
        this.mappings = mappings;
        this.skipped = skipped;
        this.starts = new long[mappings.length];
        for (int i = 0; i < mappings.length; i++) starts[i] = mappings[i].start();
    }

    static MapsParser parse(String text) {
        List<Mapping> out = new ArrayList<>();
        int skipped = 0;
        for (int at = 0, end; at < text.length(); at = end + 1) {
            end = text.indexOf('\n', at);
            if (end < 0) end = text.length();
            if (end - at > MAX_LINE) {
                skipped++;
                continue;
            }
            String line = text.substring(at, end);
            if (line.isBlank()) continue;
            try {
                out.add(parseLine(line));
            } catch (RuntimeException e) {
                skipped++; // a line we cannot read costs only its own addresses
            }
        }
        out.sort((a, b) -> Long.compareUnsigned(a.start(), b.start()));
        return new MapsParser(out.toArray(Mapping[]::new), skipped);
    }

    // 7f12a000-7f12b000 r-xp 00002000 fe:00 260131    /usr/lib/x.so (deleted)
    static Mapping parseLine(String line) {
        int dash = line.indexOf('-');
        int sp = line.indexOf(' ', dash);
        if (dash <= 0 || sp < 0 || sp + 5 > line.length()) throw new IllegalArgumentException("bad maps line: " + line);
        long start = Long.parseUnsignedLong(line, 0, dash, 16);
        long end = Long.parseUnsignedLong(line, dash + 1, sp, 16);
        boolean r = line.charAt(sp + 1) == 'r';
        boolean x = line.charAt(sp + 3) == 'x';
        int p = sp + 6;
        int sp2 = line.indexOf(' ', p);
        long off = Long.parseUnsignedLong(line, p, sp2, 16);
        int colon = line.indexOf(':', sp2);
        int sp3 = line.indexOf(' ', colon);
        int major = Integer.parseInt(line, sp2 + 1, colon, 16);
        int minor = Integer.parseInt(line, colon + 1, sp3, 16);
        int sp4 = line.indexOf(' ', sp3 + 1);
        if (sp4 < 0) sp4 = line.length();
        long inode = Long.parseLong(line, sp3 + 1, sp4, 10);
        String path = sp4 < line.length() ? line.substring(sp4).strip() : "";
        boolean deleted = path.endsWith(DELETED);
        if (deleted) path = path.substring(0, path.length() - DELETED.length());
        return new Mapping(start, end, r, x, off, major, minor, inode, path, deleted);
    }

    /** Lines that could not be read, or were too long to. */
    int skipped() {
        return skipped;
    }

    /** The mapping containing {@code addr}, or null. */
    Mapping find(long addr) {
        int found = SymbolTable.floor(starts, addr);
        return found >= 0 && mappings[found].contains(addr) ? mappings[found] : null;
    }

    List<Mapping> all() {
        return List.of(mappings);
    }

    /** A HotSpot JVM maps libjvm.so. */
    boolean isHotSpot() {
        for (Mapping m : mappings) if (m.path().endsWith("/libjvm.so")) return true;
        return false;
    }
}
