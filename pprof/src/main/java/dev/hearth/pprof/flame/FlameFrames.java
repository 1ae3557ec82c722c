package dev.hearth.pprof.flame;

import dev.hearth.pprof.ResolvedSample;
import dev.hearth.pprof.StackFrame;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Builds a flame graph tree from samples: one path per stack, root first, values summed (saturating). */
public final class FlameFrames {
    public static final String ROOT_KIND = "root";

    private FlameFrames() {}

    private static final class Node {
        final String name, kind;
        long self, total;
        final Map<String, Node> children = new LinkedHashMap<>();

        Node(String name, String kind) {
            this.name = name;
            this.kind = kind;
        }
    }

    /** The tree of value {@code valueIndex}, under a root named {@code rootName}; zero-valued samples are left out. */
    public static FlameFrame of(String rootName, List<ResolvedSample> samples, int valueIndex) {
        Node root = new Node(rootName, ROOT_KIND);
        for (ResolvedSample s : samples) {
            long v = s.values()[valueIndex];
            if (v == 0) continue;
            Node n = root;
            n.total = add(n.total, v);
            List<StackFrame> stack = s.stack();
            for (int i = stack.size() - 1; i >= 0; i--) {
                StackFrame f = stack.get(i);
                String kind = f.kind().id();
                n = n.children.computeIfAbsent(kind + '\0' + f.name(), k -> new Node(f.name(), kind));
                n.total = add(n.total, v);
            }
            n.self = add(n.self, v);
        }
        return freeze(root);
    }

    private static long add(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private static FlameFrame freeze(Node root) {
        return freeze(
                root,
                n -> {
                    List<Node> kids = new ArrayList<>(n.children.values());
                    kids.sort((a, b) -> b.total != a.total ? Long.compare(b.total, a.total) : a.name.compareTo(b.name));
                    return kids;
                },
                (n, kids) -> new FlameFrame(n.name, n.kind, n.self, n.total, kids));
    }

    /**
     * An immutable tree from a mutable one, without recursion (a stack may be thousands of frames
     * deep): nodes in breadth-first order, then frames built from the last back, so children exist
     * before their parent. Children keep the order {@code children} gives them.
     */
    public static <N> FlameFrame freeze(
            N root, Function<N, List<N>> children, BiFunction<N, List<FlameFrame>, FlameFrame> frame) {
        List<N> order = new ArrayList<>();
        List<Integer> parent = new ArrayList<>();
        order.add(root);
        parent.add(-1);
        for (int i = 0; i < order.size(); i++) {
            for (N c : children.apply(order.get(i))) {
                order.add(c);
                parent.add(i);
            }
        }
        List<List<FlameFrame>> kids = new ArrayList<>(order.size());
        for (int i = 0; i < order.size(); i++) kids.add(new ArrayList<>());
        FlameFrame built = null;
        for (int i = order.size() - 1; i >= 0; i--) {
            List<FlameFrame> k = kids.get(i);
            Collections.reverse(k); // built last child first
            built = frame.apply(order.get(i), k);
            if (parent.get(i) >= 0) kids.get(parent.get(i)).add(built);
        }
        return built;
    }
}
