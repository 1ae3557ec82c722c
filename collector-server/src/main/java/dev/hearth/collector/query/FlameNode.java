package dev.hearth.collector.query;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A node of a flame graph: a frame (name and kind) under its caller path, with its own value and
 * the value of everything under it. Diffs use the base fields for the baseline side.
 */
public final class FlameNode {
    public static final String OTHER = "other";

    public final String name;
    public final String kind;
    public long self, total;
    public long baseSelf, baseTotal;
    private final Map<Key, FlameNode> children = new HashMap<>();

    /** A child's identity under its parent; a record, so no key string is built per visit. */
    private record Key(String name, String kind) {}

    public FlameNode(String name, String kind) {
        this.name = name;
        this.kind = kind;
    }

    FlameNode child(String name, String kind) {
        return children.computeIfAbsent(new Key(name, kind), k -> new FlameNode(name, kind));
    }

    public Collection<FlameNode> children() {
        return children.values();
    }

    /** Children by name, with the folded {@code other} node last: a stable order for JSON and tests. */
    public List<FlameNode> sortedChildren() {
        List<FlameNode> out = new ArrayList<>(children.values());
        out.sort((a, b) -> {
            boolean ao = a.kind.equals(OTHER), bo = b.kind.equals(OTHER);
            if (ao != bo) return ao ? 1 : -1;
            int c = a.name.compareTo(b.name);
            return c != 0 ? c : a.kind.compareTo(b.kind);
        });
        return out;
    }

    void replaceChildren(List<FlameNode> kept) {
        children.clear();
        for (FlameNode n : kept) children.put(new Key(n.name, n.kind), n);
    }

    /** Number of nodes in this subtree, this one included. A loop, not recursion: stored stacks may be any depth. */
    public int size() {
        int n = 0;
        ArrayDeque<FlameNode> todo = new ArrayDeque<>();
        todo.push(this);
        while (!todo.isEmpty()) {
            n++;
            for (FlameNode c : todo.pop().children.values()) todo.push(c);
        }
        return n;
    }

    /** The direct child with this name, or null. */
    public FlameNode find(String name) {
        for (FlameNode c : children.values()) {
            if (c.name.equals(name)) return c;
        }
        return null;
    }
}
