package dev.hearth.symbolizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A perf map (/tmp/perf-PID.map: "START SIZE name" per line, hex with or without 0x), as JVMs and
 * other JITs write it. Code is recompiled and its space reused, so a later line wins over an earlier
 * one where they overlap: the table holds, for every address, the newest entry covering it.
 */
final class PerfMap {
    static final PerfMap EMPTY = new PerfMap(SymbolTable.EMPTY);

    private final SymbolTable table;

    private PerfMap(SymbolTable table) { this.table = table; }

    static PerfMap read(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r);
        }
    }

    static PerfMap parse(BufferedReader r) throws IOException {
        List<Object[]> entries = new ArrayList<>();
        for (String line; (line = r.readLine()) != null; ) {
            int sp1 = line.indexOf(' ');
            int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
            if (sp2 < 0) continue;
            try {
                long start = hex(line, 0, sp1), size = hex(line, sp1 + 1, sp2);
                if (size > 0) entries.add(new Object[] {start, size, line.substring(sp2 + 1).strip()});
            } catch (NumberFormatException e) {
                // a torn last line while the JVM writes, or junk: skip it
            }
        }
        // Newest first: each entry only fills the gaps that newer ones left.
        TreeMap<Long, long[]> taken = new TreeMap<>(Long::compareUnsigned); // start -> {end}
        SymbolTable.Builder b = new SymbolTable.Builder();
        for (int i = entries.size() - 1; i >= 0; i--) {
            Object[] e = entries.get(i);
            long start = (Long) e[0], end = start + (Long) e[1];
            String name = (String) e[2];
            FrameKind kind = JavaNames.kind(name);
            long at = start;
            Map.Entry<Long, long[]> before = taken.floorEntry(at);
            if (before != null && Long.compareUnsigned(before.getValue()[0], at) > 0) at = before.getValue()[0];
            while (Long.compareUnsigned(at, end) < 0) {
                Map.Entry<Long, long[]> next = taken.ceilingEntry(at);
                long gapEnd = next == null || Long.compareUnsigned(next.getKey(), end) >= 0 ? end : next.getKey();
                if (Long.compareUnsigned(at, gapEnd) < 0) {
                    taken.put(at, new long[] {gapEnd});
                    b.add(at, gapEnd - at, name, 0, kind.ordinal());
                }
                if (next == null || Long.compareUnsigned(next.getKey(), end) >= 0) break;
                at = next.getValue()[0];
            }
        }
        return new PerfMap(b.build());
    }

    private static long hex(String s, int from, int to) {
        if (s.startsWith("0x", from)) from += 2;
        return Long.parseUnsignedLong(s, from, to, 16);
    }

    int size() { return table.size(); }

    /** Index of the entry covering {@code addr}; -1 when none does. */
    int find(long addr) { return table.find(addr); }

    String displayName(int i) { return table.displayName(i, JavaNames::readable); }

    String rawName(int i) { return table.rawName(i); }

    /** The kind a JVM's entry names: JIT-compiled method, interpreter or stub; computed once per entry. */
    FrameKind kind(int i) { return KINDS[table.group(i)]; }

    private static final FrameKind[] KINDS = FrameKind.values();
}
