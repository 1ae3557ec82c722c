package dev.hearth.collector.query;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.ToDoubleFunction;

/**
 * Cuts a tree down to at most maxNodes nodes, keeping the heaviest. Children that do not fit are
 * folded into one {@code other} node per parent carrying their summed values, so every parent's
 * total still equals its self plus its children's totals: nothing is silently dropped.
 */
public final class TreePruner {
    private TreePruner() {}

    public static void prune(FlameNode root, int maxNodes, ToDoubleFunction<FlameNode> weight) {
        if (maxNodes < 1) throw new IllegalArgumentException("maxNodes must be at least 1");
        if (root.size() <= maxNodes) return;
        // Best-first from the root: a node is kept only after its parent, heaviest first. A kept node
        // with children not (yet) kept will need an "other" node; count it against the budget.
        Map<FlameNode, Boolean> kept = new IdentityHashMap<>();
        Map<FlameNode, Integer> unkeptChildren = new IdentityHashMap<>();
        Map<FlameNode, FlameNode> parents = new IdentityHashMap<>();
        PriorityQueue<FlameNode> frontier =
                new PriorityQueue<>((a, b) -> Double.compare(weight.applyAsDouble(b), weight.applyAsDouble(a)));
        int others = 0;
        kept.put(root, true);
        if (!root.children().isEmpty()) {
            others++;
            unkeptChildren.put(root, root.children().size());
            for (FlameNode c : root.children()) {
                parents.put(c, root);
                frontier.add(c);
            }
        }
        while (!frontier.isEmpty()) {
            FlameNode n = frontier.poll();
            FlameNode parent = parents.get(n);
            int parentLeft = unkeptChildren.get(parent) - 1;
            int othersAfter = others - (parentLeft == 0 ? 1 : 0) + (n.children().isEmpty() ? 0 : 1);
            if (kept.size() + 1 + othersAfter > maxNodes) continue; // a lighter leaf may still fit
            kept.put(n, true);
            unkeptChildren.put(parent, parentLeft);
            others = othersAfter;
            if (!n.children().isEmpty()) {
                unkeptChildren.put(n, n.children().size());
                for (FlameNode c : n.children()) {
                    parents.put(c, n);
                    frontier.add(c);
                }
            }
        }
        fold(root, kept);
    }

    /** Folds the unkept children of every kept node; a loop over kept nodes, not recursion. */
    private static void fold(FlameNode root, Map<FlameNode, Boolean> kept) {
        ArrayDeque<FlameNode> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            FlameNode node = todo.pop();
            List<FlameNode> keep = new ArrayList<>();
            FlameNode other = null;
            for (FlameNode c : node.children()) {
                if (kept.containsKey(c)) {
                    keep.add(c);
                    todo.push(c);
                } else {
                    if (other == null) other = new FlameNode(FlameNode.OTHER, FlameNode.OTHER);
                    other.total = Sums.add(other.total, c.total);
                    other.self = Sums.add(other.self, c.total);
                    other.baseTotal = Sums.add(other.baseTotal, c.baseTotal);
                    other.baseSelf = Sums.add(other.baseSelf, c.baseTotal);
                }
            }
            if (other != null) {
                keep.add(other);
                node.replaceChildren(keep);
            }
        }
    }
}
