package dev.hearth.pprof.flame;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The table of {@code go tool pprof -top}: per function name, its self value and its total (each
 * stack counted once even when the name recurs in it), largest self first.
 */
public final class FlameTop {
    public record Row(String name, long self, long total) {}

    private FlameTop() {}

    public static List<Row> rows(FlameFrame root, int limit) {
        Map<String, long[]> byName = new HashMap<>();
        // walk with the names already on the path, so a recursive frame adds its total once
        record Visit(FlameFrame frame, Set<String> onPath) {}
        ArrayDeque<Visit> todo = new ArrayDeque<>();
        for (FlameFrame c : root.children()) todo.push(new Visit(c, Set.of()));
        while (!todo.isEmpty()) {
            Visit v = todo.pop();
            FlameFrame f = v.frame();
            long[] st = byName.computeIfAbsent(f.name(), k -> new long[2]);
            st[0] += f.self();
            Set<String> path = v.onPath();
            if (!path.contains(f.name())) {
                st[1] += f.total();
                path = new HashSet<>(path);
                path.add(f.name());
            }
            for (FlameFrame c : f.children()) todo.push(new Visit(c, path));
        }
        List<Row> rows = new ArrayList<>(byName.size());
        byName.forEach((name, st) -> rows.add(new Row(name, st[0], st[1])));
        rows.sort(Comparator.comparingLong(Row::self)
                .reversed()
                .thenComparing(Comparator.comparingLong(Row::total).reversed())
                .thenComparing(Row::name));
        return rows.subList(0, Math.min(limit, rows.size()));
    }

    /** The rows as a terminal table: self and total with their share of {@code grandTotal}, then the name. */
    public static String table(List<Row> rows, long grandTotal, String unit) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT, "%14s %7s %14s %7s  %s%n", "self", "self%", "total", "total%", "name (" + unit + ")"));
        for (Row r : rows) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%14d %6.2f%% %14d %6.2f%%  %s%n",
                    r.self(),
                    pct(r.self(), grandTotal),
                    r.total(),
                    pct(r.total(), grandTotal),
                    r.name()));
        }
        return sb.toString();
    }

    private static double pct(long v, long of) {
        return of == 0 ? 0 : 100.0 * v / of;
    }
}
