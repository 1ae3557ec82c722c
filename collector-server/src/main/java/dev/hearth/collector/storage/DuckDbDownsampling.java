package dev.hearth.collector.storage;

import dev.hearth.collector.storage.DownsamplePlan.Candidate;
import dev.hearth.collector.storage.DownsamplePlan.Candidates;
import dev.hearth.collector.storage.DownsamplePlan.Merge;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Downsampling in DuckDB, on the writer thread (its connection and profile keys). A plan is carried
 * out in one transaction: the merged profiles and their samples are computed by the database from
 * the members' rows ({@code INSERT … SELECT … GROUP BY}), the members' ids kept in
 * {@code merged_uids}, and the members deleted. DuckDB commits all of it or, after a crash or an
 * error, none of it: a query sees either the members or the merged profile, never both or neither.
 */
final class DuckDbDownsampling implements DownsampleStore {
    /** Rows per INSERT … VALUES when loading a plan. */
    private static final int VALUES_PER_STATEMENT = 1000;

    private final StoreWriter writer;

    DuckDbDownsampling(StoreWriter writer) {
        this.writer = writer;
    }

    @Override
    public Candidates candidates(long dueMs, long stepMs, int limit) throws SQLException {
        Connection c = writer.connection();
        List<Candidate> out = new ArrayList<>();
        String columns = "SELECT pkey, series, start_ms, end_ms, step_ms FROM profiles WHERE ";
        Database.Row add =
                r -> out.add(new Candidate(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5)));
        Database.query(
                c,
                columns + "step_ms = 0 AND start_ms < " + dueMs + " ORDER BY start_ms, pkey LIMIT " + (limit + 1L),
                add);
        boolean truncated = out.size() > limit;
        if (truncated) out.remove(out.size() - 1);
        if (out.isEmpty()) return new Candidates(out, false);
        TreeSet<Long> series = new TreeSet<>();
        for (Candidate p : out) series.add(p.series());
        long from = DownsamplePlan.alignedCutoff(out.get(0).startMs(), stepMs);
        Database.query(
                c,
                columns + "step_ms > 0 AND start_ms >= " + from + " AND start_ms < " + dueMs + " AND series IN ("
                        + FrameCache.inList(series) + ")",
                add);
        return new Candidates(out, truncated);
    }

    @Override
    public DownsampleResult apply(List<Merge> merges) throws SQLException {
        if (merges.isEmpty()) return DownsampleResult.NOTHING;
        Connection c = writer.connection();
        long firstKey = writer.takeKeys(merges.size());
        return writer.transaction(() -> {
            Database.exec(
                    c,
                    "CREATE TEMP TABLE IF NOT EXISTS downsample_targets (target BIGINT, uid VARCHAR, series BIGINT, step_ms BIGINT)");
            Database.exec(c, "CREATE TEMP TABLE IF NOT EXISTS downsample_members (member BIGINT, target BIGINT)");
            Database.exec(c, "DELETE FROM downsample_targets");
            Database.exec(c, "DELETE FROM downsample_members");
            List<String> targets = new ArrayList<>(), members = new ArrayList<>();
            for (int i = 0; i < merges.size(); i++) {
                Merge m = merges.get(i);
                long target = firstKey + i;
                targets.add("(" + target + ", '" + m.uid() + "', " + m.series() + ", " + m.stepMs()
                        + ")"); // digits and '/' only
                for (long member : m.members()) members.add("(" + member + ", " + target + ")");
            }
            insertValues(c, "downsample_targets", targets);
            insertValues(c, "downsample_members", members);
            long written = update(
                    c,
                    "INSERT INTO profiles (pkey, uid, series, start_ms, end_ms, total0, total1, digest, step_ms)"
                            + " SELECT t.target, t.uid, t.series, min(p.start_ms), max(p.end_ms), "
                            + StoreReader.saturatingSum("p.total0") + ", "
                            + StoreReader.saturatingSum("p.total1") + ", " + Schema.UNKNOWN_DIGEST + ", t.step_ms"
                            + " FROM downsample_targets t JOIN downsample_members m ON m.target = t.target JOIN profiles p ON p.pkey = m.member"
                            + " GROUP BY t.target, t.uid, t.series, t.step_ms");
            long samplesAfter = update(
                    c,
                    "INSERT INTO samples (profile, stack, v0, v1) SELECT m.target, s.stack, "
                            + StoreReader.saturatingSum("s.v0") + ", " + StoreReader.saturatingSum("s.v1")
                            + " FROM samples s JOIN downsample_members m ON s.profile = m.member GROUP BY m.target, s.stack");
            long merged = update(
                    c,
                    "INSERT INTO merged_uids (series, uid, digest, end_ms) SELECT p.series, p.uid, p.digest, p.end_ms"
                            + " FROM profiles p JOIN downsample_members m ON p.pkey = m.member WHERE p.step_ms = 0");
            long samplesBefore =
                    update(c, "DELETE FROM samples WHERE profile IN (SELECT member FROM downsample_members)");
            long removed = update(c, "DELETE FROM profiles WHERE pkey IN (SELECT member FROM downsample_members)");
            return new DownsampleResult(merged, removed, written, samplesBefore, samplesAfter);
        });
    }

    private static void insertValues(Connection c, String table, List<String> rows) throws SQLException {
        for (int i = 0; i < rows.size(); i += VALUES_PER_STATEMENT) {
            Database.exec(
                    c,
                    "INSERT INTO " + table + " VALUES "
                            + String.join(", ", rows.subList(i, Math.min(rows.size(), i + VALUES_PER_STATEMENT))));
        }
    }

    private static long update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
        }
    }
}
