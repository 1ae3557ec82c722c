package dev.hearth.collector.storage;

import dev.hearth.collector.storage.ClickHouseSchema.Table;
import dev.hearth.collector.storage.DownsamplePlan.Candidate;
import dev.hearth.collector.storage.DownsamplePlan.Candidates;
import dev.hearth.collector.storage.DownsamplePlan.Merge;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Downsampling in ClickHouse, one shard at a time on its local tables: a shard merges its own
 * profiles, so a merged profile sits with its members and every step of the work stays local.
 * ClickHouse has no transactions; what makes the change appear at once is that one row: the merged
 * profile's row lists its {@code members}, and every read leaves out the profiles a downsampled
 * profile of its window lists. So, in order: the merged samples (unread until a profile row names
 * their batch), the members' ids in {@code merged_uids}, the merged profile row (from here on reads
 * see it instead of its members), then {@code ALTER TABLE … DELETE} of the members, waited for. A
 * crash before the profile row leaves rows nothing reads; after it, members that reads already
 * leave out, and which the next pass deletes. The merged id is made from the members, so two
 * collectors that plan the same merge write one profile twice, which reads count once.
 */
final class ClickHouseDownsampling implements DownsampleStore {
    /** Ids per ALTER … DELETE and per IN list: ClickHouse parses at most 256 KiB of query. */
    private static final int IDS_PER_STATEMENT = 5000;

    private static final long MUTATION_WAIT_MS = 120_000;

    private final ClickHouseHttp http;
    private final URI shard;
    private final String database;
    private final String profiles, samples, mergedUids;
    private final SecureRandom random = new SecureRandom();

    ClickHouseDownsampling(ClickHouseHttp http, URI shard, boolean cluster, String database) {
        this.http = http;
        this.shard = shard;
        this.database = database;
        this.profiles = database + "." + ClickHouseSchema.local(ClickHouseSchema.PROFILES, cluster);
        this.samples = database + "." + ClickHouseSchema.local(ClickHouseSchema.SAMPLES, cluster);
        this.mergedUids = database + "." + ClickHouseSchema.local(ClickHouseSchema.MERGED_UIDS, cluster);
    }

    /** The members reads leave out, as a condition on {@code pkey} of the profiles table {@code local} (one shard's). */
    static String notMerged(String local, String series, long fromMs, long untilMs) {
        return "pkey NOT IN (SELECT arrayJoin(members) FROM " + local + " WHERE step_ms > 0 AND series IN (" + series
                + ") AND start_ms < " + untilMs + " AND end_ms > " + fromMs + ")";
    }

    private List<String[]> query(String sql) throws SQLException {
        return http.query(shard, sql + " FORMAT TabSeparated", QueryDeadline.NONE);
    }

    @Override
    public Candidates candidates(long dueMs, long stepMs, int limit) throws SQLException {
        List<Candidate> raw = new ArrayList<>();
        for (String[] r : query("SELECT pkey, any(series), any(start_ms) AS s, any(end_ms) FROM " + profiles
                + " WHERE step_ms = 0 AND start_ms < " + dueMs + " GROUP BY pkey ORDER BY s, pkey LIMIT "
                + (limit + 1L))) {
            raw.add(new Candidate(
                    Long.parseLong(r[0]), Long.parseLong(r[1]), Long.parseLong(r[2]), Long.parseLong(r[3]), 0));
        }
        boolean truncated = raw.size() > limit;
        if (truncated) raw.remove(raw.size() - 1);
        if (raw.isEmpty()) return new Candidates(raw, false);
        TreeSet<Long> series = new TreeSet<>();
        for (Candidate c : raw) series.add(c.series());
        long from = DownsamplePlan.alignedCutoff(raw.get(0).startMs(), stepMs);
        String inSeries = FrameCache.inList(series);
        // members of a merge whose deletion has not happened (a crash between the two): read as merged already
        Set<Long> merged = new HashSet<>();
        for (String[] r : query("SELECT arrayJoin(members) FROM " + profiles + " WHERE step_ms > 0 AND series IN ("
                + inSeries + ") AND end_ms > " + from)) {
            merged.add(Long.parseLong(r[0]));
        }
        List<Candidate> out = new ArrayList<>();
        List<Long> leftovers = new ArrayList<>();
        for (Candidate c : raw) {
            if (merged.contains(c.key())) leftovers.add(c.key());
            else out.add(c);
        }
        delete(leftovers);
        for (String[] r : query("SELECT pkey, any(series), any(start_ms), any(end_ms), any(step_ms) FROM " + profiles
                + " WHERE step_ms > 0"
                + " AND start_ms >= " + from + " AND start_ms < " + dueMs + " AND series IN (" + inSeries
                + ") AND pkey NOT IN ("
                + (merged.isEmpty() ? "0" : FrameCache.inList(merged)) + ") GROUP BY pkey")) {
            out.add(new Candidate(
                    Long.parseLong(r[0]),
                    Long.parseLong(r[1]),
                    Long.parseLong(r[2]),
                    Long.parseLong(r[3]),
                    Long.parseLong(r[4])));
        }
        return new Candidates(out, truncated);
    }

    @Override
    public DownsampleResult apply(List<Merge> merges) throws SQLException {
        if (merges.isEmpty()) return DownsampleResult.NOTHING;
        Map<Long, String[]> owners = owners(merges);
        List<Long> members = new ArrayList<>(), targets = new ArrayList<>();
        long raw = 0;
        for (Merge m : merges) {
            String[] owner = owners.get(m.series());
            if (owner == null) continue; // a series row not readable: leave its profiles for a later pass
            String in = inList(m.members());
            List<String[]> agg = query("SELECT count(), countIf(d = 0), min(s), max(e), "
                    + ClickHouseReader.saturatingSum("t0") + ", " + ClickHouseReader.saturatingSum("t1")
                    + " FROM (SELECT pkey,"
                    + " any(step_ms) AS d, any(start_ms) AS s, any(end_ms) AS e, any(total0) AS t0, any(total1) AS t1 FROM "
                    + profiles
                    + " WHERE pkey IN (" + in + ") GROUP BY pkey)");
            if (agg.isEmpty() || Long.parseLong(agg.get(0)[0]) == 0) continue;
            String[] a = agg.get(0);
            String uid =
                    m.uid() + "/" + Long.toHexString(new Hasher(2).putString(in).hash());
            long target = ClickHouseWriter.pkey(owner[0], owner[1], uid);
            long batch = random.nextLong();
            String day = ClickHouseWriter.day(Long.parseLong(a[2]));
            http.execute(
                    shard,
                    "INSERT INTO " + samples + " (day, series, pkey, batch, stack, v0, v1) SELECT toDate('" + day
                            + "'), series, "
                            + target + ", " + batch + ", stack, toInt64(" + ClickHouseReader.saturatingSum("v0")
                            + "), toInt64(" + ClickHouseReader.saturatingSum("v1")
                            + ") FROM " + samples
                            + " WHERE (pkey, batch) IN (SELECT pkey, any(batch) FROM " + profiles + " WHERE pkey IN ("
                            + in + ") GROUP BY pkey)"
                            + " GROUP BY series, stack");
            http.execute(
                    shard,
                    "INSERT INTO " + mergedUids
                            + " (day, tenant, service, uid, pkey, digest, end_ms) SELECT any(day), tenant, service,"
                            + " uid, pkey, any(digest), any(end_ms) FROM " + profiles + " WHERE pkey IN (" + in
                            + ") AND step_ms = 0 GROUP BY tenant, service, uid, pkey");
            http.execute(
                    shard,
                    "INSERT INTO " + profiles
                            + " (day, pkey, batch, tenant, service, uid, series, start_ms, end_ms, total0, total1,"
                            + " digest, step_ms, members) VALUES ('" + day + "', " + target + ", " + batch + ", "
                            + Tsv.literal(owner[0]) + ", "
                            + Tsv.literal(owner[1]) + ", " + Tsv.literal(uid) + ", " + m.series() + ", " + a[2] + ", "
                            + a[3] + ", " + a[4] + ", " + a[5]
                            + ", " + Schema.UNKNOWN_DIGEST + ", " + m.stepMs() + ", [" + in + "])");
            for (long k : m.members()) members.add(k);
            targets.add(target);
            raw += Long.parseLong(a[1]);
        }
        if (targets.isEmpty()) return DownsampleResult.NOTHING;
        long samplesBefore = countSamples(members), samplesAfter = countSamples(targets);
        delete(members);
        return new DownsampleResult(raw, members.size(), targets.size(), samplesBefore, samplesAfter);
    }

    /** Tenant and service of each series of the plan. */
    private Map<Long, String[]> owners(List<Merge> merges) throws SQLException {
        TreeSet<Long> ids = new TreeSet<>();
        for (Merge m : merges) ids.add(m.series());
        Map<Long, String[]> out = new HashMap<>();
        for (String[] r : query("SELECT id, any(tenant), any(service) FROM " + database + "."
                + ClickHouseSchema.name(ClickHouseSchema.SERIES) + " WHERE id IN (" + FrameCache.inList(ids)
                + ") GROUP BY id")) {
            out.put(Long.parseLong(r[0]), new String[] {Tsv.unescape(r[1]), Tsv.unescape(r[2])});
        }
        return out;
    }

    private long countSamples(List<Long> keys) throws SQLException {
        long n = 0;
        for (int i = 0; i < keys.size(); i += IDS_PER_STATEMENT) {
            String in = FrameCache.inList(keys.subList(i, Math.min(keys.size(), i + IDS_PER_STATEMENT)));
            n += Long.parseLong(
                    query("SELECT count() FROM " + samples + " WHERE (pkey, batch) IN (SELECT pkey, any(batch) FROM "
                                    + profiles + " WHERE pkey IN (" + in + ") GROUP BY pkey)")
                            .get(0)[0]);
        }
        return n;
    }

    /** Deletes these profiles and their samples from the shard, and waits until ClickHouse has done it. */
    private void delete(List<Long> keys) throws SQLException {
        if (keys.isEmpty()) return;
        for (Table t : List.of(
                ClickHouseSchema.SAMPLES, ClickHouseSchema.PROFILES)) { // samples first: a profile row never names none
            String table = t == ClickHouseSchema.SAMPLES ? samples : profiles;
            for (int i = 0; i < keys.size(); i += IDS_PER_STATEMENT) {
                http.execute(
                        shard,
                        "ALTER TABLE " + table + " DELETE WHERE pkey IN ("
                                + FrameCache.inList(keys.subList(i, Math.min(keys.size(), i + IDS_PER_STATEMENT)))
                                + ")");
            }
        }
        long until = System.currentTimeMillis() + MUTATION_WAIT_MS;
        while (Long.parseLong(query("SELECT count() FROM system.mutations WHERE database = " + Tsv.literal(database)
                                + " AND is_done = 0")
                        .get(0)[0])
                > 0) {
            if (System.currentTimeMillis() > until) {
                throw new SQLException("ClickHouse at " + shard + " has not finished deleting merged profiles after "
                        + MUTATION_WAIT_MS / 1000 + " s; reads leave them out meanwhile");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for ClickHouse's deletes", e);
            }
        }
    }

    private static String inList(long[] keys) {
        return FrameCache.inList(Arrays.stream(keys).boxed().toList());
    }
}
