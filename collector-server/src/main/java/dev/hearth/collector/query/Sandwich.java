package dev.hearth.collector.query;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.ResolvedSample;
import dev.hearth.pprof.StackFrame;
import java.util.List;

/**
 * One function merged over all its call sites, from a full merge: a tree of its callers (the
 * function at the root, each caller below the one it called) and a tree of its callees. The
 * outermost occurrence on each stack is taken, so recursion is counted once and both trees
 * share one total.
 */
public final class Sandwich {
    private Sandwich() {}

    public record Trees(FlameNode callers, FlameNode callees) {}

    public static Trees of(List<ResolvedSample> samples, String function) {
        FlameNode callers = null, callees = null;
        for (ResolvedSample s : samples) {
            List<StackFrame> stack = s.stack(); // leaf first
            int at = -1;
            for (int i = stack.size() - 1; i >= 0 && at < 0; i--)
                if (stack.get(i).name().equals(function)) at = i;
            if (at < 0) continue;
            long v = s.values()[0];
            if (callers == null) {
                String kind = stack.get(at).kind().id();
                callers = new FlameNode(function, kind);
                callees = new FlameNode(function, kind);
            }
            FlameNode node = callers;
            node.total = Sums.add(node.total, v);
            for (int i = at + 1; i < stack.size(); i++) {
                node = node.child(stack.get(i).name(), stack.get(i).kind().id());
                node.total = Sums.add(node.total, v);
            }
            node.self = Sums.add(node.self, v); // the outermost caller: nothing above it
            node = callees;
            node.total = Sums.add(node.total, v);
            for (int i = at - 1; i >= 0; i--) {
                node = node.child(stack.get(i).name(), stack.get(i).kind().id());
                node.total = Sums.add(node.total, v);
            }
            node.self = Sums.add(node.self, v);
        }
        if (callers == null)
            return new Trees(
                    new FlameNode(function, FrameKind.UNKNOWN.id()), new FlameNode(function, FrameKind.UNKNOWN.id()));
        return new Trees(callers, callees);
    }
}
