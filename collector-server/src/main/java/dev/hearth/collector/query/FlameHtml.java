package dev.hearth.collector.query;

import dev.hearth.pprof.flame.FlameFrame;
import dev.hearth.pprof.flame.FlameFrames;
import dev.hearth.pprof.flame.FlameGraphHtml;

/** A flame graph tree as the self-contained HTML page of the pprof module's renderer. */
public final class FlameHtml {
    private FlameHtml() {}

    public static String render(String title, String unit, FlameNode root) {
        return FlameGraphHtml.render(title, unit, frames(root));
    }

    static FlameFrame frames(FlameNode root) {
        return FlameFrames.freeze(
                root, FlameNode::sortedChildren, (n, kids) -> new FlameFrame(n.name, n.kind, n.self, n.total, kids));
    }
}
