package dev.hearth.collector.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.ResolvedSample;
import dev.hearth.pprof.StackFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TreePrunerTest {
    static ResolvedSample sample(long value, String... rootFirst) {
        List<StackFrame> leafFirst = new ArrayList<>();
        for (int i = rootFirst.length - 1; i >= 0; i--) leafFirst.add(StackFrame.of(rootFirst[i], FrameKind.JIT));
        return new ResolvedSample(leafFirst, new long[] {value}, Map.of());
    }

    /** Every node's total is its self plus its children's totals. */
    static void assertConsistent(FlameNode n) {
        long children = 0;
        for (FlameNode c : n.children()) {
            assertConsistent(c);
            children += c.total;
        }
        assertEquals(n.total, n.self + children, n.name);
    }

    @Test
    void smallSubtreesFoldIntoOneOtherPerParentAndTotalsStayExact() {
        List<ResolvedSample> samples = new ArrayList<>();
        samples.add(sample(1000, "main", "hot"));
        for (int i = 0; i < 50; i++) samples.add(sample(1, "main", "cold" + i, "deeper"));
        FlameNode root = FlameTree.build("svc", samples);
        assertEquals(1 + 1 + 1 + 50 * 2, root.size());
        TreePruner.prune(root, 10, n -> n.total);
        assertTrue(root.size() <= 10, "size " + root.size());
        assertEquals(1050, root.total);
        FlameNode main = root.find("main");
        assertEquals(1050, main.total);
        assertNotNull(main.find("hot"));
        FlameNode other = main.find(FlameNode.OTHER);
        assertEquals(FlameNode.OTHER, other.kind);
        assertEquals(other.total, other.self);
        assertTrue(other.total > 0 && other.total <= 50);
        assertConsistent(root);
    }

    @Test
    void randomTreesStayWithinTheBudgetAndExact() {
        Random r = new Random(42);
        for (int round = 0; round < 20; round++) {
            List<ResolvedSample> samples = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String[] path = new String[1 + r.nextInt(8)];
                for (int d = 0; d < path.length; d++) path[d] = "f" + r.nextInt(6);
                samples.add(sample(1 + r.nextInt(100), path));
            }
            FlameNode root = FlameTree.build("svc", samples);
            long total = root.total;
            int max = 2 + r.nextInt(200);
            TreePruner.prune(root, max, n -> n.total);
            assertTrue(root.size() <= max, "size " + root.size() + " > " + max);
            assertEquals(total, root.total);
            assertConsistent(root);
        }
    }

    @Test
    void aTreeWithinTheBudgetIsLeftAlone() {
        FlameNode root = FlameTree.build("svc", List.of(sample(3, "a", "b"), sample(2, "a", "c")));
        TreePruner.prune(root, 4, n -> n.total);
        assertEquals(4, root.size());
        assertNull(root.find("a").find(FlameNode.OTHER));
    }
}
