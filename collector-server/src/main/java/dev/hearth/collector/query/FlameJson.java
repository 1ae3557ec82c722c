package dev.hearth.collector.query;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Flame graph JSON: {@code {"unit","total","root":{"name","kind","self","total","children":[…]}}}.
 * Diff trees add {@code baseSelf, baseTotal} per node, scaled by {@code baseScale} (the ratio of
 * the two sides' totals when normalized, 1 for absolute diffs). {@code saturated} is true when a
 * sum reached Long.MAX_VALUE and stopped there (see {@link Sums}). Written with Jackson's streaming
 * generator: a tree of 100,000 nodes goes straight to bytes, with no object per node.
 */
public final class FlameJson {
    private FlameJson() {}

    public static byte[] flamegraph(FlameNode root, String unit, String value) {
        return Json.stream(256 + root.size() * 64, g -> flamegraph(g, root, unit, value));
    }

    /** The flame graph object, written where a larger answer holds it. */
    public static void flamegraph(JsonGenerator g, FlameNode root, String unit, String value) throws IOException {
        head(g, unit, value, root.total);
        g.writeBooleanField("saturated", Sums.saturated(root.total));
        g.writeFieldName("root");
        tree(g, root, false, 1);
        g.writeEndObject();
    }

    public static byte[] diff(FlameNode root, String unit, String value, double baseScale) {
        return Json.stream(256 + root.size() * 96, g -> {
            head(g, unit, value, root.total);
            g.writeFieldName("baseTotal");
            Json.number(g, round(root.baseTotal * baseScale));
            g.writeBooleanField("saturated", Sums.saturated(root.total) || Sums.saturated(root.baseTotal));
            g.writeFieldName("root");
            tree(g, root, true, baseScale);
            g.writeEndObject();
        });
    }

    private static void head(JsonGenerator g, String unit, String value, long total) throws IOException {
        g.writeStartObject();
        g.writeStringField("unit", unit);
        g.writeStringField("value", value);
        g.writeNumberField("total", total);
    }

    /**
     * Writes the tree depth first with an explicit stack of open child lists, not recursion: a
     * stored stack may be deeper than the Java stack allows.
     */
    private static void tree(JsonGenerator g, FlameNode root, boolean diff, double baseScale) throws IOException {
        ArrayDeque<Iterator<FlameNode>> open = new ArrayDeque<>();
        open(g, root, diff, baseScale);
        open.push(root.sortedChildren().iterator());
        while (!open.isEmpty()) {
            Iterator<FlameNode> children = open.peek();
            if (!children.hasNext()) {
                g.writeEndArray();
                g.writeEndObject();
                open.pop();
                continue;
            }
            FlameNode c = children.next();
            open(g, c, diff, baseScale);
            open.push(c.sortedChildren().iterator());
        }
    }

    /** A node up to and including the opening of its children list. */
    private static void open(JsonGenerator g, FlameNode n, boolean diff, double baseScale) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", n.name);
        g.writeStringField("kind", n.kind);
        g.writeNumberField("self", n.self);
        g.writeNumberField("total", n.total);
        if (diff) {
            g.writeFieldName("baseSelf");
            Json.number(g, round(n.baseSelf * baseScale));
            g.writeFieldName("baseTotal");
            Json.number(g, round(n.baseTotal * baseScale));
        }
        g.writeArrayFieldStart("children");
    }

    /** Three decimals are plenty for scaled values and keep the JSON short. */
    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
