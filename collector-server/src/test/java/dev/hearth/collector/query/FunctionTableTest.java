package dev.hearth.collector.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.ResolvedSample;
import dev.hearth.pprof.StackFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionTableTest {
    /** A stack given root first, each frame "name" or "name@kind". */
    static ResolvedSample sample(long value, String... rootFirst) {
        List<StackFrame> leafFirst = new ArrayList<>();
        for (int i = rootFirst.length - 1; i >= 0; i--) {
            String[] p = rootFirst[i].split("@");
            leafFirst.add(StackFrame.of(p[0], p.length > 1 ? FrameKind.ofId(p[1]) : FrameKind.JIT));
        }
        return new ResolvedSample(leafFirst, new long[] {value}, Map.of());
    }

    @Test
    void theTableComesFromTheFullMergeWhereThePrunedTreeFoldsIntoOther() {
        List<ResolvedSample> samples = new ArrayList<>();
        samples.add(sample(100, "main", "hot"));
        for (int i = 0; i < 5000; i++) samples.add(sample(1, "main", "Small" + i + ".call", "leaf" + i));
        FlameNode tree = FlameTree.build("svc", samples);
        TreePruner.prune(tree, 100, n -> n.total);
        FlameNode other = tree.find("main").find(FlameNode.OTHER);
        assertNotNull(other, "the drawn tree folds");
        assertTrue(other.total > 4000, "most of the time is in 'other' in the pruned tree: " + other.total);

        FunctionTable.Table t = FunctionTable.of(samples, List.of());
        assertEquals(5100, t.total());
        assertEquals(1 + 1 + 2 * 5000, t.rows().size(), "every function, none folded");
        assertFalse(t.rows().containsKey(FlameNode.OTHER));
        assertEquals(1, t.rows().get("leaf4999").self);
        assertEquals(5100, t.rows().get("main").total);
        assertEquals(100, t.rows().get("hot").self);
    }

    @Test
    void oneRowPerFunctionWhateverItsTierAndTheHeaviestKindNamesIt() {
        FunctionTable.Table t = FunctionTable.of(
                List.of(
                        sample(10, "main@native", "Busy.sort@interpreted"),
                        sample(30, "main@native", "Busy.sort@c1"),
                        sample(60, "main@native", "Busy.sort@jit")),
                List.of());
        FunctionTable.Row sort = t.rows().get("Busy.sort");
        assertEquals(100, sort.self);
        assertEquals(100, sort.total);
        assertEquals(FrameKind.JIT, sort.kind());
        assertEquals(List.of(FrameKind.JIT, FrameKind.C1, FrameKind.INTERPRETED), sort.kinds());
        assertEquals(2, t.rows().size());
    }

    @Test
    void recursionCountsOncePerStackAndSelfOnlyAtTheLeaf() {
        FunctionTable.Table t = FunctionTable.of(
                List.of(sample(5, "main", "fib", "fib", "fib"), sample(3, "main", "fib", "other")), List.of());
        assertEquals(8, t.rows().get("fib").total);
        assertEquals(5, t.rows().get("fib").self);
        assertEquals(8, t.rows().get("main").total);
        assertEquals(0, t.rows().get("main").self);
    }

    @Test
    void baselineValuesGoBesideTheCompared() {
        FunctionTable.Table t = FunctionTable.of(
                List.of(sample(6, "main", "a")), List.of(sample(2, "main", "a"), sample(2, "main", "b")));
        assertEquals(6, t.total());
        assertEquals(4, t.baseTotal());
        assertEquals(2, t.rows().get("a").baseTotal);
        assertEquals(0, t.rows().get("b").total);
        assertEquals(2, t.rows().get("b").baseSelf);
    }

    @Test
    void aSearchShareCountsNestedMatchesOnce() {
        List<ResolvedSample> samples =
                List.of(sample(5, "main", "fib", "fib"), sample(3, "main", "other"), sample(2, "main", "fibber"));
        assertEquals(7, FunctionTable.matched(samples, n -> n.startsWith("fib")));
        assertEquals(0, FunctionTable.matched(samples, n -> n.equals("none")));
    }

    @Test
    void heaviestKeepsTheTopBySelfAndByTotal() {
        List<ResolvedSample> samples = new ArrayList<>();
        for (int i = 0; i < 50; i++) samples.add(sample(i + 1, "root", "f" + i));
        FunctionTable.Table t = FunctionTable.of(samples, List.of());
        List<String> names =
                FunctionTable.heaviest(t, 3).stream().map(r -> r.name).toList();
        // by self: f49, f48, f47; by total: root, f49, f48
        assertEquals(List.of("f49", "f48", "f47", "root"), names);
    }
}
