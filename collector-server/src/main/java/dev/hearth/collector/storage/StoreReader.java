package dev.hearth.collector.storage;

import dev.hearth.collector.labels.Labels;
import dev.hearth.collector.storage.ProfileStore.Service;
import dev.hearth.pprof.ResolvedSample;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Queries, from any number of threads (each with its own connection). Label matchers are applied
 * in Java to the few distinct label sets (series) of a service, so the SQL stays plain: the heavy
 * part is one {@code GROUP BY stack} over the samples of the selected profiles. Every query names
 * a tenant and sees only that tenant's series (and, through them, profiles).
 */
public final class StoreReader {
    private final Database db;
    private final FrameCache frames = new FrameCache();

    public StoreReader(Database db) {
        this.db = db;
    }

    /** The tenant's services. */
    public List<Service> services(String tenant) throws SQLException {
        Map<String, Service> out = new TreeMap<>();
        try (PreparedStatement s = db.connection()
                .prepareStatement("SELECT DISTINCT service, type, labels FROM series WHERE tenant = ?")) {
            s.setString(1, tenant);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Service sv =
                            out.computeIfAbsent(r.getString(1), n -> new Service(n, new TreeSet<>(), new TreeSet<>()));
                    sv.types().add(r.getString(2));
                    sv.labelKeys().addAll(Labels.parse(r.getString(3)).keySet());
                }
            }
        }
        return List.copyOf(out.values());
    }

    /** Values of one label key among the tenant's service's series. */
    public SortedSet<String> labelValues(String tenant, String service, String key) throws SQLException {
        SortedSet<String> out = new TreeSet<>();
        try (PreparedStatement s = db.connection()
                .prepareStatement("SELECT DISTINCT labels FROM series WHERE tenant = ? AND service = ?")) {
            s.setString(1, tenant);
            s.setString(2, service);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String v = Labels.parse(r.getString(1)).get(key);
                    if (v != null) out.add(v);
                }
            }
        }
        return out;
    }

    /**
     * Sums the selected profiles per stack. One sample per distinct stack, with the values of
     * {@code valueIndexes} (indexes into the type's value types) in that order.
     */
    public List<ResolvedSample> merge(Selection sel, int[] valueIndexes) throws SQLException {
        return merge(sel, valueIndexes, QueryDeadline.NONE);
    }

    /** As above, cancelled when the deadline passes. Sums stop at Long.MAX_VALUE rather than wrap. */
    public List<ResolvedSample> merge(Selection sel, int[] valueIndexes, QueryDeadline deadline) throws SQLException {
        Connection c = db.connection();
        Database.exec(c, "BEGIN TRANSACTION"); // one snapshot for the sums and the frames they name
        try {
            String profiles = profileFilter(c, sel, deadline);
            if (profiles == null) return List.of();
            StringBuilder sql = new StringBuilder("SELECT stack");
            for (int i : valueIndexes) sql.append(", ").append(saturatingSum(Schema.valueColumn(i)));
            sql.append(" FROM samples WHERE profile IN (SELECT pkey FROM profiles WHERE ")
                    .append(profiles)
                    .append(") GROUP BY stack");
            Map<Long, long[]> sums = new HashMap<>();
            Database.query(c, sql.toString(), deadline, r -> {
                long[] v = new long[valueIndexes.length];
                for (int i = 0; i < v.length; i++) v[i] = r.getLong(i + 2);
                sums.put(r.getLong(1), v);
            });
            Map<Long, FrameCache.Stack> stacks = frames.stacks(c, sums.keySet(), deadline);
            List<ResolvedSample> out = new ArrayList<>(sums.size());
            sums.forEach((id, v) -> {
                FrameCache.Stack s = stacks.get(id);
                if (s != null) out.add(new ResolvedSample(s.frames(), v, s.labels()));
            });
            return out;
        } finally {
            Database.exec(c, "COMMIT");
        }
    }

    /** Sum of one value per profile start time and downsampling step, for timelines. */
    public List<StartTotal> totalsByStart(Selection sel, int valueIndex, QueryDeadline deadline) throws SQLException {
        Connection c = db.connection();
        List<StartTotal> out = new ArrayList<>();
        String profiles = profileFilter(c, sel, deadline);
        if (profiles == null) return out;
        Database.query(
                c,
                "SELECT start_ms, step_ms, " + saturatingSum(Schema.totalColumn(valueIndex)) + " FROM profiles WHERE "
                        + profiles + " GROUP BY start_ms, step_ms ORDER BY start_ms",
                deadline,
                r -> out.add(new StartTotal(r.getLong(1), r.getLong(2), r.getLong(3))));
        return out;
    }

    /**
     * sum() of a BIGINT column is a HUGEINT in DuckDB: exact, but past Long.MAX_VALUE it no longer
     * reads as a long. Values are never negative, so capping the sum is the saturation Sums does.
     */
    static String saturatingSum(String column) {
        return "CAST(least(sum(" + column + "), " + Long.MAX_VALUE + ") AS BIGINT)";
    }

    /** A WHERE condition on profiles for the selection, or null when no series matches. */
    private static String profileFilter(Connection c, Selection sel, QueryDeadline deadline) throws SQLException {
        List<Long> series = new ArrayList<>();
        try (PreparedStatement s =
                c.prepareStatement("SELECT id, labels FROM series WHERE tenant = ? AND service = ? AND type = ?")) {
            s.setString(1, sel.tenant());
            s.setString(2, sel.service());
            s.setString(3, sel.type().id());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    deadline.check();
                    if (sel.labels().matches(Labels.parse(r.getString(2)))) series.add(r.getLong(1));
                }
            }
        }
        if (series.isEmpty()) return null;
        return "series IN (" + FrameCache.inList(series) + ") AND start_ms < " + sel.untilMs() + " AND end_ms > "
                + sel.fromMs();
    }
}
