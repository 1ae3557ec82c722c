package dev.hearth.collector.query;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.ResolvedSample;
import dev.hearth.pprof.StackFrame;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Self and total per function over a full merge, never over a pruned tree: a flame graph may fold
 * small frames into {@code other}, this table never does. One row per name whatever kind its
 * frames were (a method seen interpreted, C1 and JIT is one function); its kind is the one that
 * carried most of its time. A function's total counts each stack once, so recursion is not
 * counted twice.
 */
public final class FunctionTable {
    private FunctionTable() {}

    public static final class Row {
        public final String name;
        public long self, total, baseSelf, baseTotal;
        private final long[] byKind = new long[FrameKind.values().length];

        Row(String name) {
            this.name = name;
        }

        /** The kind that carried most of this function's time (both sides). */
        public FrameKind kind() {
            int best = 0;
            for (int k = 1; k < byKind.length; k++) if (byKind[k] > byKind[best]) best = k;
            return FrameKind.values()[best];
        }

        /** Every kind its frames had, the heaviest first. */
        public List<FrameKind> kinds() {
            List<FrameKind> out = new ArrayList<>();
            for (FrameKind k : FrameKind.values()) if (byKind[k.ordinal()] > 0) out.add(k);
            out.sort(Comparator.comparingLong((FrameKind k) -> byKind[k.ordinal()])
                    .reversed());
            return out;
        }
    }

    /** Totals of both sides and the rows; {@code base} may be empty. */
    public record Table(long total, long baseTotal, Map<String, Row> rows) {}

    public static Table of(List<ResolvedSample> compared, List<ResolvedSample> base) {
        Map<String, Row> rows = new HashMap<>();
        long total = add(rows, compared, false);
        long baseTotal = add(rows, base, true);
        return new Table(total, baseTotal, rows);
    }

    private static long add(Map<String, Row> rows, List<ResolvedSample> samples, boolean base) {
        long sum = 0;
        Set<String> seen = new HashSet<>();
        for (ResolvedSample s : samples) {
            long v = s.values()[0];
            sum = Sums.add(sum, v);
            List<StackFrame> stack = s.stack();
            seen.clear();
            for (int i = 0; i < stack.size(); i++) {
                StackFrame f = stack.get(i);
                Row row = rows.computeIfAbsent(f.name(), Row::new);
                if (i == 0) {
                    if (base) row.baseSelf = Sums.add(row.baseSelf, v);
                    else row.self = Sums.add(row.self, v);
                }
                row.byKind[f.kind().ordinal()] = Sums.add(row.byKind[f.kind().ordinal()], v);
                if (!seen.add(f.name())) continue; // recursion: once per stack
                if (base) row.baseTotal = Sums.add(row.baseTotal, v);
                else row.total = Sums.add(row.total, v);
            }
        }
        return sum;
    }

    /**
     * The heaviest rows by self and by total (in a diff also by either side's share), at most
     * {@code limit} of each: the long tail stays reachable through search.
     */
    public static List<Row> heaviest(Table t, int limit) {
        Set<Row> out = new LinkedHashSet<>();
        List<Row> all = new ArrayList<>(t.rows().values());
        List<Comparator<Row>> orders = new ArrayList<>(
                List.of(Comparator.comparingLong((Row r) -> r.self), Comparator.comparingLong((Row r) -> r.total)));
        if (t.baseTotal() > 0) {
            orders.add(Comparator.comparingLong((Row r) -> r.baseSelf));
            orders.add(Comparator.comparingLong((Row r) -> r.baseTotal));
        }
        for (Comparator<Row> order : orders) {
            all.sort(order.reversed().thenComparing(r -> r.name));
            out.addAll(all.subList(0, Math.min(limit, all.size())));
        }
        return new ArrayList<>(out);
    }

    /** Sum of the samples whose stack has a frame the predicate accepts: a search's share, nested matches counted once. */
    public static long matched(List<ResolvedSample> samples, Predicate<String> matches) {
        Map<String, Boolean> tested = new HashMap<>();
        long sum = 0;
        for (ResolvedSample s : samples) {
            for (StackFrame f : s.stack()) {
                if (tested.computeIfAbsent(f.name(), matches::test)) {
                    sum = Sums.add(sum, s.values()[0]);
                    break;
                }
            }
        }
        return sum;
    }
}
