package dev.hearth.collector.query;

import dev.hearth.pprof.ResolvedSample;
import dev.hearth.pprof.StackFrame;
import java.util.List;

/** Builds flame graph trees from merged samples (stacks leaf first, one value each). */
public final class FlameTree {
    public static final String ROOT_KIND = "root";

    private FlameTree() {}

    public static FlameNode build(String rootName, List<ResolvedSample> samples) {
        FlameNode root = new FlameNode(rootName, ROOT_KIND);
        add(root, samples, false);
        return root;
    }

    /** One tree holding both sides of a diff: compared values in self/total, baseline in base fields. */
    public static FlameNode diff(String rootName, List<ResolvedSample> compared, List<ResolvedSample> base) {
        FlameNode root = new FlameNode(rootName, ROOT_KIND);
        add(root, compared, false);
        add(root, base, true);
        return root;
    }

    private static void add(FlameNode root, List<ResolvedSample> samples, boolean base) {
        for (ResolvedSample s : samples) {
            long v = s.values()[0];
            FlameNode node = root;
            bump(node, v, base);
            List<StackFrame> stack = s.stack();
            for (int i = stack.size() - 1; i >= 0; i--) {
                StackFrame f = stack.get(i);
                node = node.child(f.name(), f.kind().id());
                bump(node, v, base);
            }
            if (base) node.baseSelf = Sums.add(node.baseSelf, v);
            else node.self = Sums.add(node.self, v);
        }
    }

    private static void bump(FlameNode n, long v, boolean base) {
        if (base) n.baseTotal = Sums.add(n.baseTotal, v);
        else n.total = Sums.add(n.total, v);
    }
}
