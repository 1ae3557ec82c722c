package dev.hearth.collector.query;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Flame graph JSON: {@code {"unit","total","root":{"name","kind","self","total","children":[…]}}}.
 * Diff trees add {@code baseSelf, baseTotal} per node, scaled by {@code baseScale} (the ratio of
 * the two sides' totals when normalized, 1 for absolute diffs). {@code saturated} is true when a
 * sum reached Long.MAX_VALUE and stopped there (see {@link Sums}).
 */
public final class FlameJson {
    private FlameJson() {}

    public static String flamegraph(FlameNode root, String unit, String value) {
        StringBuilder sb = new StringBuilder(256 + root.size() * 64);
        head(sb, unit, value, root.total).append("\"saturated\":").append(Sums.saturated(root.total)).append(",\"root\":");
        tree(sb, root, false, 1);
        return sb.append('}').toString();
    }

    public static String diff(FlameNode root, String unit, String value, double baseScale) {
        StringBuilder sb = new StringBuilder(256 + root.size() * 96);
        head(sb, unit, value, root.total).append("\"baseTotal\":");
        Json.number(sb, round(root.baseTotal * baseScale)).append(",\"saturated\":")
                .append(Sums.saturated(root.total) || Sums.saturated(root.baseTotal)).append(",\"root\":");
        tree(sb, root, true, baseScale);
        return sb.append('}').toString();
    }

    private static StringBuilder head(StringBuilder sb, String unit, String value, long total) {
        sb.append("{\"unit\":");
        Json.string(sb, unit).append(",\"value\":");
        return Json.string(sb, value).append(",\"total\":").append(total).append(',');
    }

    /**
     * Writes the tree depth first with an explicit stack of open child lists, not recursion: a
     * stored stack may be deeper than the Java stack allows.
     */
    private static void tree(StringBuilder sb, FlameNode root, boolean diff, double baseScale) {
        ArrayDeque<Iterator<FlameNode>> open = new ArrayDeque<>();
        open(sb, root, diff, baseScale);
        open.push(root.sortedChildren().iterator());
        while (!open.isEmpty()) {
            Iterator<FlameNode> children = open.peek();
            if (!children.hasNext()) {
                sb.append("]}");
                open.pop();
                continue;
            }
            if (sb.charAt(sb.length() - 1) != '[') sb.append(',');
            FlameNode c = children.next();
            open(sb, c, diff, baseScale);
            open.push(c.sortedChildren().iterator());
        }
    }

    /** A node up to and including the opening of its children list. */
    private static void open(StringBuilder sb, FlameNode n, boolean diff, double baseScale) {
        sb.append("{\"name\":");
        Json.string(sb, n.name).append(",\"kind\":");
        Json.string(sb, n.kind).append(",\"self\":").append(n.self).append(",\"total\":").append(n.total);
        if (diff) {
            sb.append(",\"baseSelf\":");
            Json.number(sb, round(n.baseSelf * baseScale)).append(",\"baseTotal\":");
            Json.number(sb, round(n.baseTotal * baseScale));
        }
        sb.append(",\"children\":[");
    }

    /** Three decimals are plenty for scaled values and keep the JSON short. */
    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
