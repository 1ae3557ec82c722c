package dev.hearth.collector.storage;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.StackFrame;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stacks and locations read back from the dictionary tables. Rows are keyed by content hash and
 * never change, so what was read once is kept (up to a bound) and shared by every query thread.
 */
final class FrameCache {
    private static final int CHUNK = 1000;
    private static final int MAX_ENTRIES = 1 << 20;

    /** Frames leaf first and the sample labels of one stack. */
    record Stack(List<StackFrame> frames, Map<String, String> labels) {}

    private final Map<Long, Stack> stacks = new ConcurrentHashMap<>();
    private final Map<Long, StackFrame> locations = new ConcurrentHashMap<>();

    /** The stacks of these ids; ids no longer in the database are left out. */
    Map<Long, Stack> stacks(Connection c, Collection<Long> ids, QueryDeadline deadline) throws SQLException {
        Map<Long, Stack> out = new HashMap<>(ids.size() * 2);
        List<Long> missing = new ArrayList<>();
        for (Long id : ids) {
            Stack s = stacks.get(id);
            if (s != null) out.put(id, s);
            else missing.add(id);
        }
        for (int i = 0; i < missing.size(); i += CHUNK)
            load(c, missing.subList(i, Math.min(missing.size(), i + CHUNK)), out, deadline);
        return out;
    }

    private void load(Connection c, List<Long> ids, Map<Long, Stack> out, QueryDeadline deadline) throws SQLException {
        String in = inList(ids);
        Map<Long, String> labels = new HashMap<>();
        Database.query(
                c,
                "SELECT id, labels FROM stacks WHERE id IN (" + in + ")",
                deadline,
                r -> labels.put(r.getLong(1), r.getString(2)));
        Map<Long, List<long[]>> frames = new HashMap<>();
        Database.query(
                c,
                "SELECT stack, depth, location FROM stack_frames WHERE stack IN (" + in + ")",
                deadline,
                r -> frames.computeIfAbsent(r.getLong(1), k -> new ArrayList<>())
                        .add(new long[] {r.getInt(2), r.getLong(3)}));
        List<Long> unknown = new ArrayList<>();
        for (List<long[]> fs : frames.values()) {
            for (long[] f : fs) {
                if (!locations.containsKey(f[1])) unknown.add(f[1]);
            }
        }
        for (int i = 0; i < unknown.size(); i += CHUNK) {
            loadLocations(c, unknown.subList(i, Math.min(unknown.size(), i + CHUNK)), deadline);
        }
        if (stacks.size() > MAX_ENTRIES) stacks.clear();
        for (var e : labels.entrySet()) {
            List<long[]> fs = frames.getOrDefault(e.getKey(), List.of());
            StackFrame[] ordered = new StackFrame[fs.size()];
            boolean complete = true;
            for (long[] f : fs) {
                StackFrame frame = locations.get(f[1]);
                if (frame == null) complete = false;
                ordered[(int) f[0]] = frame;
            }
            if (!complete) continue;
            Stack s = new Stack(List.of(ordered), SampleLabels.decode(e.getValue()));
            stacks.put(e.getKey(), s);
            out.put(e.getKey(), s);
        }
    }

    private void loadLocations(Connection c, List<Long> ids, QueryDeadline deadline) throws SQLException {
        if (locations.size() > MAX_ENTRIES) locations.clear();
        Database.query(
                c,
                "SELECT l.id, n.str, f.kind, fi.str, l.line, b.str, bi.str FROM locations l"
                        + " JOIN functions f ON f.id = l.function_id JOIN strings n ON n.id = f.name_id"
                        + " JOIN strings fi ON fi.id = f.file_id JOIN strings b ON b.id = l.binary_id"
                        + " JOIN strings bi ON bi.id = l.build_id WHERE l.id IN (" + inList(ids) + ")",
                deadline,
                r -> locations.put(
                        r.getLong(1),
                        new StackFrame(
                                r.getString(2),
                                FrameKind.ofId(r.getString(3)),
                                r.getString(4),
                                r.getLong(5),
                                r.getString(6),
                                r.getString(7))));
    }

    static String inList(Collection<Long> ids) {
        StringBuilder sb = new StringBuilder(ids.size() * 20);
        for (Long id : ids) {
            if (sb.length() > 0) sb.append(',');
            sb.append(id.longValue());
        }
        return sb.toString();
    }
}
