package dev.hearth.collector.query;

import dev.hearth.pprof.flame.FlameFrame;
import dev.hearth.pprof.flame.FlameGraphHtml;
import java.util.ArrayList;
import java.util.List;

/** A flame graph tree as the self-contained HTML page of the pprof module's renderer. */
public final class FlameHtml {
    private FlameHtml() {}

    public static String render(String title, String unit, FlameNode root) {
        return FlameGraphHtml.render(title, unit, frames(root));
    }

    /** Nodes in breadth-first order, then frames built from the last back, so children exist before their parent: no recursion. */
    static FlameFrame frames(FlameNode root) {
        List<FlameNode> order = new ArrayList<>();
        List<Integer> parent = new ArrayList<>();
        order.add(root);
        parent.add(-1);
        for (int i = 0; i < order.size(); i++) {
            for (FlameNode c : order.get(i).sortedChildren()) {
                order.add(c);
                parent.add(i);
            }
        }
        List<List<FlameFrame>> kids = new ArrayList<>(order.size());
        for (int i = 0; i < order.size(); i++) kids.add(new ArrayList<>());
        FlameFrame built = null;
        for (int i = order.size() - 1; i >= 0; i--) {
            FlameNode n = order.get(i);
            List<FlameFrame> k = kids.get(i);
            java.util.Collections.reverse(k); // added last child first
            built = new FlameFrame(n.name, n.kind, n.self, n.total, k);
            if (parent.get(i) >= 0) kids.get(parent.get(i)).add(built);
        }
        return built;
    }
}
