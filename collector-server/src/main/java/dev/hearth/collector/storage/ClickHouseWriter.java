package dev.hearth.collector.storage;

import dev.hearth.collector.storage.ClickHouseSchema.Table;
import dev.hearth.collector.storage.ProfileRows.FunctionRow;
import dev.hearth.collector.storage.ProfileRows.LocationRow;
import dev.hearth.collector.storage.ProfileRows.StackRow;
import dev.hearth.collector.storage.ProfileRows.StringRow;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes batches of profiles to ClickHouse, one INSERT per table per batch (ClickHouse wants few
 * large inserts). Dictionary rows go first and profiles last, so a profile row that a query sees
 * has its samples and frames stored; a batch that fails half-way leaves only rows nothing refers
 * to. The writer remembers (up to a bound) the dictionary hashes it wrote, to skip them next time;
 * what another collector wrote it may write again, which the tables absorb.
 */
final class ClickHouseWriter implements BatchWriter {
    private static final int MAX_REMEMBERED = 4 << 20;
    private static final long DAY_MS = 86_400_000L;

    /**
     * Every INSERT is a part on disk, a directory of two files per column merged later, so the writer
     * waits a little for more profiles: see {@link WriteQueue.Gather}.
     */
    static final WriteQueue.Gather GATHER =
            new WriteQueue.Gather(java.time.Duration.ofMillis(20), java.time.Duration.ofMillis(3));

    private final ClickHouseHttp http;
    private final List<URI> shards;
    private final boolean cluster;
    private final String database;
    /** Where inserts go: on a cluster, the Distributed tables of the first shard spread them. */
    private final URI server;

    private final Map<Table, LongSet> stored = new HashMap<>();
    private final SecureRandom random = new SecureRandom();

    ClickHouseWriter(ClickHouseHttp http, List<URI> shards, boolean cluster, String database) {
        this.http = http;
        this.shards = shards;
        this.cluster = cluster;
        this.database = database;
        this.server = shards.get(0);
        for (Table t : List.of(
                ClickHouseSchema.STRINGS,
                ClickHouseSchema.FUNCTIONS,
                ClickHouseSchema.LOCATIONS,
                ClickHouseSchema.STACKS,
                ClickHouseSchema.SERIES)) {
            stored.put(t, new LongSet());
        }
    }

    /** The profile's identity in every table: one hash of tenant, service and id. */
    static long pkey(String tenant, String service, String uid) {
        return new Hasher(1).putString(tenant).putString(service).putString(uid).hash();
    }

    /** The day of a time, the partition of the profile that starts then. */
    static long epochDay(long ms) {
        return Math.floorDiv(ms, DAY_MS);
    }

    /** {@link #epochDay} as a Date literal. */
    static String day(long ms) {
        return LocalDate.ofEpochDay(epochDay(ms)).toString();
    }

    @Override
    public WriteOutcome[] write(List<ProfileRows> batch) throws SQLException {
        WriteOutcome[] outcomes = WriteOutcome.decide(batch, storedDigests(batch));
        insert(batch, outcomes);
        return outcomes;
    }

    /**
     * Inserts the profiles whose outcome is STORED, as one new batch. Two collectors given the same
     * id at once may both get here; the reads count it once.
     */
    void insert(List<ProfileRows> batch, WriteOutcome[] outcomes) throws SQLException {
        long batchId = random.nextLong();
        Rows rows = new Rows();
        for (int i = 0; i < batch.size(); i++) {
            if (outcomes[i] == WriteOutcome.STORED) rows.add(batch.get(i), batchId);
        }
        for (Table t : ClickHouseSchema.TABLES) {
            RowBinary r = rows.rows.get(t);
            if (r != null && !r.isEmpty()) http.insert(server, ClickHouseSchema.name(t), r);
        }
        rows.pending.forEach((table, ids) -> {
            LongSet known = stored.get(table);
            if (known.size() > MAX_REMEMBERED) known.clear();
            ids.forEach(known::add);
        });
    }

    /** The digests already stored under the batch's ids (as profiles, or merged into downsampled ones), by {@link WriteOutcome#uidKey}. */
    private Map<String, Long> storedDigests(List<ProfileRows> batch) throws SQLException {
        Set<String> tenants = new LinkedHashSet<>(), services = new LinkedHashSet<>(), uids = new LinkedHashSet<>();
        for (ProfileRows p : batch) {
            tenants.add(p.series().tenant());
            services.add(p.series().service());
            uids.add(p.uid());
        }
        // the columns of the primary key (merged_uids has the same): a lookup, however many profiles are stored
        String where = " WHERE tenant IN (" + literals(tenants) + ") AND service IN (" + literals(services)
                + ") AND uid IN (" + literals(uids) + ") GROUP BY tenant, service, uid";
        String sql = "SELECT tenant, service, uid, any(digest) FROM " + ClickHouseSchema.name(ClickHouseSchema.PROFILES)
                + where
                + " UNION ALL SELECT tenant, service, uid, any(digest) FROM "
                + ClickHouseSchema.name(ClickHouseSchema.MERGED_UIDS) + where
                + " FORMAT TabSeparated";
        Map<String, Long> out = new HashMap<>();
        for (String[] r : http.query(server, sql, QueryDeadline.NONE)) {
            out.put(
                    WriteOutcome.uidKey(Tsv.unescape(r[0]), Tsv.unescape(r[1]), Tsv.unescape(r[2])),
                    Long.parseLong(r[3]));
        }
        return out;
    }

    static String literals(Set<String> values) {
        StringBuilder sb = new StringBuilder();
        for (String v : values) {
            if (sb.length() > 0) sb.append(',');
            sb.append(Tsv.literal(v));
        }
        return sb.toString();
    }

    /** The RowBinary rows of one batch, per table, and the dictionary hashes among them. */
    private final class Rows {
        final Map<Table, RowBinary> rows = new HashMap<>();
        final Map<Table, LongSet> pending = new HashMap<>();

        RowBinary of(Table t) {
            return rows.computeIfAbsent(t, k -> new RowBinary());
        }

        /** True when the dictionary row is neither stored before nor already in this batch. */
        boolean isNew(Table t, long id) {
            return !stored.get(t).contains(id)
                    && pending.computeIfAbsent(t, k -> new LongSet()).add(id);
        }

        /** A profile's rows, in the columns of {@link ClickHouseSchema}'s tables, in their order. */
        void add(ProfileRows p, long batchId) {
            var series = p.series();
            long day = epochDay(p.startMs());
            long pkey = pkey(series.tenant(), series.service(), p.uid());
            StackRow[] stacks = p.sampleStacks();
            for (StackRow s : stacks) {
                if (isNew(ClickHouseSchema.STACKS, s.id())) stack(s);
            }
            if (isNew(ClickHouseSchema.SERIES, series.id())) {
                of(ClickHouseSchema.SERIES)
                        .int64(series.id())
                        .string(series.tenant())
                        .string(series.service())
                        .string(series.type())
                        .string(series.labels());
            }
            long[][] values = p.sampleValues();
            RowBinary samples = of(ClickHouseSchema.SAMPLES);
            for (int i = 0; i < stacks.length; i++) {
                samples.date(day)
                        .int64(series.id())
                        .int64(pkey)
                        .int64(batchId)
                        .int64(stacks[i].id())
                        .int64(values[0][i])
                        .int64(values.length > 1 ? values[1][i] : 0L);
            }
            long[] totals = p.totals();
            of(ClickHouseSchema.PROFILES)
                    .date(day)
                    .int64(pkey)
                    .int64(batchId)
                    .string(series.tenant())
                    .string(series.service())
                    .string(p.uid())
                    .int64(series.id())
                    .int64(p.startMs())
                    .int64(p.endMs())
                    .int64(totals[0])
                    .int64(totals.length > 1 ? totals[1] : 0L)
                    .int64(p.digest())
                    .int64(0) // step_ms: as ingested
                    .arrayOf(0); // members: none
        }

        private void stack(StackRow s) {
            LocationRow[] locations = s.locations();
            RowBinary row =
                    of(ClickHouseSchema.STACKS).int64(s.id()).string(s.labels()).arrayOf(locations.length);
            for (LocationRow l : locations) row.int64(l.id());
            for (LocationRow l : locations) {
                if (!isNew(ClickHouseSchema.LOCATIONS, l.id())) continue;
                of(ClickHouseSchema.LOCATIONS)
                        .int64(l.id())
                        .int64(l.function().id())
                        .int64(l.line())
                        .int64(l.binary().id())
                        .int64(l.buildId().id());
                string(l.binary());
                string(l.buildId());
                FunctionRow f = l.function();
                if (!isNew(ClickHouseSchema.FUNCTIONS, f.id())) continue;
                of(ClickHouseSchema.FUNCTIONS)
                        .int64(f.id())
                        .int64(f.name().id())
                        .string(f.kind())
                        .int64(f.file().id());
                string(f.name());
                string(f.file());
            }
        }

        private void string(StringRow s) {
            if (isNew(ClickHouseSchema.STRINGS, s.id()))
                of(ClickHouseSchema.STRINGS).int64(s.id()).string(s.value());
        }
    }

    /**
     * Drops, on every shard, the day partitions of profiles and samples whose every profile ended at
     * or before the cutoff: old data goes without rewriting what stays, and a day whose last profile
     * is younger stays whole until it ages out. Dictionary rows stay: they are shared, and small.
     * The ids downsampling kept go the same way, by the ends of the profiles they name.
     * Returns the profiles dropped (as stored, a resent one counted twice).
     */
    @Override
    public long deleteBefore(long cutoffMs) throws SQLException {
        long dropped = 0;
        for (URI shard : shards) {
            String profiles = database + "." + ClickHouseSchema.local(ClickHouseSchema.PROFILES, cluster);
            List<String[]> days = http.query(
                    shard,
                    "SELECT toYYYYMMDD(day), max(end_ms), count() FROM " + profiles + " WHERE day <= '" + day(cutoffMs)
                            + "' GROUP BY day FORMAT TabSeparated",
                    QueryDeadline.NONE);
            for (String[] d : days) {
                if (Long.parseLong(d[1]) > cutoffMs || !d[0].matches("[0-9]{8}")) continue;
                for (Table t : ClickHouseSchema.BY_DAY) {
                    http.execute(
                            shard,
                            "ALTER TABLE " + database + "." + ClickHouseSchema.local(t, cluster)
                                    + " DROP PARTITION ID '" + d[0] + "'");
                }
                dropped += Long.parseLong(d[2]);
            }
        }
        for (URI shard : shards) {
            String merged = database + "." + ClickHouseSchema.local(ClickHouseSchema.MERGED_UIDS, cluster);
            for (String[] d : http.query(
                    shard,
                    "SELECT toYYYYMMDD(day), max(end_ms) FROM " + merged + " WHERE day <= '" + day(cutoffMs)
                            + "' GROUP BY day FORMAT TabSeparated",
                    QueryDeadline.NONE)) {
                if (Long.parseLong(d[1]) > cutoffMs || !d[0].matches("[0-9]{8}")) continue;
                http.execute(shard, "ALTER TABLE " + merged + " DROP PARTITION ID '" + d[0] + "'");
            }
        }
        return dropped;
    }
}
