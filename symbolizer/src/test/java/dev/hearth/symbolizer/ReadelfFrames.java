package dev.hearth.symbolizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rows {@code readelf --debug-dump=frames-interp} prints for one frame section, per FDE. */
record ReadelfFrames(List<Fde> fdes, Map<Long, String> cieAugmentations) {
    /** One printed row: the CFA rule and the rbp and return address columns ("" when the column is absent). */
    record Row(long loc, String cfa, String rbp, String ra) {}

    record Fde(long cie, long begin, long end, List<Row> rows) {}

    private static final Pattern CIE = Pattern.compile("^([0-9a-f]+) [0-9a-f]+ [0-9a-f]+ CIE \"([^\"]*)\".*");
    private static final Pattern FDE =
            Pattern.compile("^[0-9a-f]+ [0-9a-f]+ [0-9a-f]+ FDE cie=([0-9a-f]+) pc=([0-9a-f]+)\\.\\.([0-9a-f]+).*");
    private static final Pattern ROW =
            Pattern.compile("^([0-9a-f]{16}) (\\S+)(.*)$"); // a 64-bit LOC: not the 8-digit "ZERO terminator" line
    /** A cell: a rule, or "rN (name)" for a value in another register (which has a space in it). */
    private static final Pattern CELL = Pattern.compile("r\\d+ \\([^)]*\\)|\\S+");

    /**
     * Parses the part of readelf's output about {@code section} (".eh_frame" or ".debug_frame").
     * An FDE without instructions prints no rows: it gets its CIE's initial rows, at its start.
     */
    static ReadelfFrames parse(String output, String section) {
        List<Fde> fdes = new ArrayList<>();
        Map<Long, String> augmentations = new HashMap<>();
        Map<Long, List<Row>> cieRows = new HashMap<>();
        boolean inSection = false;
        List<Row> rows = null;
        String[] columns = new String[0];
        long cie = -1, begin = 0, end = 0;
        boolean isFde = false;
        for (String line : output.split("\n")) {
            if (line.startsWith("Contents of the ")) {
                if (rows != null) flush(fdes, cieRows, isFde, cie, begin, end, rows);
                rows = null;
                inSection = line.startsWith("Contents of the " + section + " section");
                continue;
            }
            if (!inSection) continue;
            Matcher c = CIE.matcher(line), f = FDE.matcher(line);
            if (c.matches() || f.matches()) {
                if (rows != null) flush(fdes, cieRows, isFde, cie, begin, end, rows);
                rows = new ArrayList<>();
                isFde = f.matches();
                if (isFde) {
                    cie = Long.parseLong(f.group(1), 16);
                    begin = Long.parseUnsignedLong(f.group(2), 16);
                    end = Long.parseUnsignedLong(f.group(3), 16);
                } else {
                    cie = Long.parseLong(c.group(1), 16);
                    augmentations.put(cie, c.group(2));
                }
                continue;
            }
            if (rows == null) continue;
            String t = line.trim();
            if (t.startsWith("LOC")) {
                columns = t.split("\\s+");
                continue;
            }
            Matcher r = ROW.matcher(line);
            if (r.matches()) {
                List<String> cells = new ArrayList<>();
                for (Matcher m = CELL.matcher(line); m.find(); ) cells.add(m.group());
                String rbp = "", ra = "";
                for (int i = 2; i < columns.length && i < cells.size(); i++) {
                    if (columns[i].equals("rbp")) rbp = cells.get(i);
                    if (columns[i].equals("ra")) ra = cells.get(i);
                }
                rows.add(new Row(Long.parseUnsignedLong(r.group(1), 16), cells.get(1), rbp, ra));
            }
        }
        if (rows != null && inSection) flush(fdes, cieRows, isFde, cie, begin, end, rows);
        return new ReadelfFrames(fdes, augmentations);
    }

    private static void flush(
            List<Fde> fdes,
            Map<Long, List<Row>> cieRows,
            boolean isFde,
            long cie,
            long begin,
            long end,
            List<Row> rows) {
        if (!isFde) {
            cieRows.put(cie, rows);
            return;
        }
        if (rows.isEmpty()) {
            for (Row r : cieRows.getOrDefault(cie, List.of())) rows.add(new Row(begin, r.cfa(), r.rbp(), r.ra()));
        }
        fdes.add(new Fde(cie, begin, end, rows));
    }
}
