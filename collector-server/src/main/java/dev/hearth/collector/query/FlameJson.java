package dev.hearth.collector.query;

/**
 * Flame graph JSON: {@code {"unit","total","root":{"name","kind","self","total","children":[…]}}}.
 * Diff trees add {@code baseSelf, baseTotal} per node, scaled by {@code baseScale} (the ratio of
 * the two sides' totals when normalized, 1 for absolute diffs).
 */
public final class FlameJson {
    private FlameJson() {}

    public static String flamegraph(FlameNode root, String unit, String value) {
        StringBuilder sb = new StringBuilder(256 + root.size() * 64);
        head(sb, unit, value, root.total).append("\"root\":");
        node(sb, root, false, 1).append('}');
        return sb.toString();
    }

    public static String diff(FlameNode root, String unit, String value, double baseScale) {
        StringBuilder sb = new StringBuilder(256 + root.size() * 96);
        head(sb, unit, value, root.total).append("\"baseTotal\":");
        Json.number(sb, round(root.baseTotal * baseScale)).append(",\"root\":");
        node(sb, root, true, baseScale).append('}');
        return sb.toString();
    }

    private static StringBuilder head(StringBuilder sb, String unit, String value, long total) {
        sb.append("{\"unit\":");
        Json.string(sb, unit).append(",\"value\":");
        return Json.string(sb, value).append(",\"total\":").append(total).append(',');
    }

    private static StringBuilder node(StringBuilder sb, FlameNode n, boolean diff, double baseScale) {
        sb.append("{\"name\":");
        Json.string(sb, n.name).append(",\"kind\":");
        Json.string(sb, n.kind).append(",\"self\":").append(n.self).append(",\"total\":").append(n.total);
        if (diff) {
            sb.append(",\"baseSelf\":");
            Json.number(sb, round(n.baseSelf * baseScale)).append(",\"baseTotal\":");
            Json.number(sb, round(n.baseTotal * baseScale));
        }
        sb.append(",\"children\":[");
        boolean first = true;
        for (FlameNode c : n.sortedChildren()) {
            if (!first) sb.append(',');
            first = false;
            node(sb, c, diff, baseScale);
        }
        return sb.append("]}");
    }

    /** Three decimals are plenty for scaled values and keep the JSON short. */
    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
