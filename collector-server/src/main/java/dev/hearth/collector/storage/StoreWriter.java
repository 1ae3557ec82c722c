package dev.hearth.collector.storage;

import dev.hearth.collector.storage.ProfileRows.FunctionRow;
import dev.hearth.collector.storage.ProfileRows.LocationRow;
import dev.hearth.collector.storage.ProfileRows.StackRow;
import dev.hearth.collector.storage.ProfileRows.StringRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * All writes, from one thread: batches of profiles in one transaction each, and retention. It
 * remembers which dictionary hashes are stored, so each dictionary row is appended once; the memory
 * is updated only after a commit, so a rolled-back batch leaves no trace there either.
 *
 * <p>A batch's fixed cost is what limits ingest (a commit serves as many profiles as are waiting),
 * so the per-batch work is kept to appends and the commit: appenders and the transaction
 * statements are made once and reused, and profile ids are checked against hashes in memory,
 * asking the database only when a hash is already known.
 */
public final class StoreWriter implements BatchWriter {
    private final DuckDBConnection c;
    private final PreparedStatement begin, commit, rollback;
    private final Map<String, LongSet> stored = new HashMap<>();
    /** Hashes of every stored (tenant, service, uid): a miss means new, a hit is confirmed by the database. */
    private final LongSet uids = new LongSet();

    private Appenders appenders;
    private long nextKey;

    public StoreWriter(Database db) throws SQLException {
        this.c = (DuckDBConnection) db.newConnection();
        begin = c.prepareStatement("BEGIN TRANSACTION");
        commit = c.prepareStatement("COMMIT");
        rollback = c.prepareStatement("ROLLBACK");
        load();
        // every appender flush is planned as an INSERT; there is nothing to optimize in it
        Database.exec(c, "PRAGMA disable_optimizer");
    }

    private void load() throws SQLException {
        stored.clear();
        for (String table : Schema.DICTIONARIES) {
            LongSet ids = new LongSet();
            Database.query(c, "SELECT id FROM " + table, r -> ids.add(r.getLong(1)));
            stored.put(table, ids);
        }
        uids.clear();
        Database.query(
                c,
                "SELECT s.tenant, s.service, p.uid FROM profiles p JOIN series s ON s.id = p.series"
                        + " UNION ALL SELECT s.tenant, s.service, m.uid FROM merged_uids m JOIN series s ON s.id = m.series",
                r -> uids.add(uidHash(r.getString(1), r.getString(2), r.getString(3))));
        long[] max = {0};
        Database.query(c, "SELECT max(pkey) FROM profiles", r -> max[0] = r.getLong(1));
        nextKey = max[0] + 1;
    }

    /**
     * Stores every profile of the batch whose id is not stored yet for its tenant and service, in
     * one transaction: when this returns, they are durable; when it throws, nothing of the batch
     * is stored.
     *
     * @return for each profile, what became of it
     */
    @Override
    public WriteOutcome[] write(List<ProfileRows> batch) throws SQLException {
        WriteOutcome[] outcomes = outcomes(batch);
        Pending pending = new Pending();
        long firstKey = nextKey;
        begin.execute();
        try {
            if (appenders == null) appenders = new Appenders(c);
            NewRows rows = new NewRows(pending);
            for (int i = 0; i < batch.size(); i++) {
                if (outcomes[i] == WriteOutcome.STORED) append(batch.get(i), nextKey++, appenders, rows);
            }
            appenders.flush();
            commit.execute();
        } catch (SQLException | RuntimeException e) {
            nextKey = firstKey;
            discardAppenders(e);
            try {
                rollback.execute();
            } catch (SQLException rollbackFailed) {
                e.addSuppressed(rollbackFailed);
            }
            throw e;
        }
        pending.ids.forEach((table, ids) -> ids.forEach(stored.get(table)::add));
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == WriteOutcome.STORED) uids.add(uidHash(batch.get(i)));
        }
        return outcomes;
    }

    /** Drops the appenders of a failed batch; what they still buffer goes into the transaction being rolled back. */
    private void discardAppenders(Exception cause) {
        if (appenders == null) return;
        try {
            appenders.close();
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e);
        }
        appenders = null;
    }

    private static long uidHash(String tenant, String service, String uid) {
        return new Hasher(1).putString(tenant).putString(service).putString(uid).hash();
    }

    private static long uidHash(ProfileRows p) {
        return uidHash(p.series().tenant(), p.series().service(), p.uid());
    }

    private static String uidKey(String tenant, String service, String uid) {
        return WriteOutcome.uidKey(tenant, service, uid);
    }

    /**
     * Which profiles are new: their id not stored for their tenant and service, in the database
     * (as a profile, or as one downsampling merged into another) or earlier in the batch. A known
     * id with the same content (or stored before contents were hashed) is a retry; with other
     * content, a conflict.
     */
    private WriteOutcome[] outcomes(List<ProfileRows> batch) throws SQLException {
        List<String> known = new ArrayList<>();
        for (ProfileRows p : batch) {
            if (uids.contains(uidHash(p))) known.add(p.uid());
        }
        Map<String, Long> digests = new HashMap<>();
        if (!known.isEmpty()) {
            StringBuilder in = new StringBuilder("(");
            for (int i = 0; i < known.size(); i++) in.append(i == 0 ? "?" : ", ?");
            in.append(')');
            String sql =
                    "SELECT s.tenant, s.service, p.uid, p.digest FROM profiles p JOIN series s ON s.id = p.series WHERE p.uid IN "
                            + in
                            + " UNION ALL SELECT s.tenant, s.service, m.uid, m.digest FROM merged_uids m JOIN series s ON s.id = m.series"
                            + " WHERE m.uid IN " + in;
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < known.size(); i++) {
                    s.setString(i + 1, known.get(i));
                    s.setString(known.size() + i + 1, known.get(i));
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) digests.put(uidKey(r.getString(1), r.getString(2), r.getString(3)), r.getLong(4));
                }
            }
        }
        return WriteOutcome.decide(batch, digests);
    }

    /** Hashes appended in the open transaction, per dictionary table. */
    private static final class Pending {
        final Map<String, LongSet> ids = new HashMap<>();

        LongSet of(String table) {
            return ids.computeIfAbsent(table, t -> new LongSet());
        }
    }

    /** Decides, per dictionary table, whether a hash still has to be written in this transaction. */
    private final class NewIds {
        private final LongSet stored, pending;

        NewIds(String table, Pending p) {
            this.stored = StoreWriter.this.stored.get(table);
            this.pending = p.of(table);
        }

        boolean isNew(long id) {
            return !stored.contains(id) && pending.add(id);
        }
    }

    /** The dictionary tables' {@link NewIds} for one transaction. */
    private final class NewRows {
        final NewIds strings, functions, locations, stacks, series;

        NewRows(Pending p) {
            strings = new NewIds("strings", p);
            functions = new NewIds("functions", p);
            locations = new NewIds("locations", p);
            stacks = new NewIds("stacks", p);
            series = new NewIds("series", p);
        }
    }

    /**
     * Appends one profile. Dictionary rows are reached from its sample stacks: a stored stack was
     * stored with its locations, functions and strings (and retention deletes bottom-up), so only
     * a new stack's rows are looked at, and in steady state a profile costs one lookup per stack.
     */
    private void append(ProfileRows p, long key, Appenders a, NewRows rows) throws SQLException {
        StackRow[] sampleStacks = p.sampleStacks();
        for (StackRow stack : sampleStacks) {
            if (rows.stacks.isNew(stack.id())) appendStack(stack, a, rows);
        }
        var series = p.series();
        if (rows.series.isNew(series.id())) {
            a.series
                    .beginRow()
                    .append(series.id())
                    .append(series.service())
                    .append(series.type())
                    .append(series.labels())
                    .append(series.tenant())
                    .endRow();
        }
        long[] totals = p.totals();
        a.profiles
                .beginRow()
                .append(key)
                .append(p.uid())
                .append(series.id())
                .append(p.startMs())
                .append(p.endMs())
                .append(totals[0])
                .append(totals.length > 1 ? totals[1] : 0L)
                .append(p.digest())
                .append(0L)
                .endRow();
        long[][] values = p.sampleValues();
        for (int i = 0; i < sampleStacks.length; i++) {
            a.samples
                    .beginRow()
                    .append(key)
                    .append(sampleStacks[i].id())
                    .append(values[0][i])
                    .append(values.length > 1 ? values[1][i] : 0L)
                    .endRow();
        }
    }

    private void appendStack(StackRow s, Appenders a, NewRows rows) throws SQLException {
        a.stacks.beginRow().append(s.id()).append(s.labels()).endRow();
        LocationRow[] locations = s.locations();
        for (int d = 0; d < locations.length; d++) {
            LocationRow l = locations[d];
            a.stackFrames.beginRow().append(s.id()).append(d).append(l.id()).endRow();
            if (!rows.locations.isNew(l.id())) continue;
            a.locations
                    .beginRow()
                    .append(l.id())
                    .append(l.function().id())
                    .append(l.line())
                    .append(l.binary().id())
                    .append(l.buildId().id())
                    .endRow();
            appendString(l.binary(), a, rows);
            appendString(l.buildId(), a, rows);
            FunctionRow f = l.function();
            if (!rows.functions.isNew(f.id())) continue;
            a.functions
                    .beginRow()
                    .append(f.id())
                    .append(f.name().id())
                    .append(f.kind())
                    .append(f.file().id())
                    .endRow();
            appendString(f.name(), a, rows);
            appendString(f.file(), a, rows);
        }
    }

    private static void appendString(StringRow s, Appenders a, NewRows rows) throws SQLException {
        if (rows.strings.isNew(s.id()))
            a.strings.beginRow().append(s.id()).append(s.value()).endRow();
    }

    /**
     * One appender per table, kept across transactions: flushing puts what they hold into the open
     * transaction; closing flushes too, so a failed batch closes them before its rollback.
     */
    private static final class Appenders implements AutoCloseable {
        final DuckDBAppender strings, functions, locations, stacks, stackFrames, series, profiles, samples;
        final List<DuckDBAppender> all;

        Appenders(DuckDBConnection c) throws SQLException {
            strings = c.createAppender("main", "strings");
            functions = c.createAppender("main", "functions");
            locations = c.createAppender("main", "locations");
            stacks = c.createAppender("main", "stacks");
            stackFrames = c.createAppender("main", "stack_frames");
            series = c.createAppender("main", "series");
            profiles = c.createAppender("main", "profiles");
            samples = c.createAppender("main", "samples");
            all = List.of(strings, functions, locations, stacks, stackFrames, series, profiles, samples);
        }

        void flush() throws SQLException {
            for (DuckDBAppender a : all) a.flush();
        }

        @Override
        public void close() throws SQLException {
            SQLException first = null;
            for (DuckDBAppender a : all) {
                try {
                    a.close();
                } catch (SQLException e) {
                    if (first == null) first = e;
                    else first.addSuppressed(e);
                }
            }
            if (first != null) throw first;
        }
    }

    /**
     * Deletes profiles that ended at or before {@code cutoffMs}, their samples, and every dictionary
     * row nothing refers to any more, in one transaction. A downsampled profile ends when the last
     * profile it merged ended, so it goes with the ids it keeps in {@code merged_uids}.
     *
     * @return the number of profiles deleted
     */
    @Override
    public long deleteBefore(long cutoffMs) throws SQLException {
        long[] doomed = {0};
        Database.query(c, "SELECT count(*) FROM profiles WHERE end_ms <= " + cutoffMs, r -> doomed[0] = r.getLong(1));
        if (doomed[0] == 0) return 0;
        transaction(() -> {
            for (String sql : List.of(
                    "DELETE FROM samples WHERE profile IN (SELECT pkey FROM profiles WHERE end_ms <= " + cutoffMs + ")",
                    "DELETE FROM profiles WHERE end_ms <= " + cutoffMs,
                    "DELETE FROM merged_uids WHERE end_ms <= " + cutoffMs,
                    "DELETE FROM series WHERE id NOT IN (SELECT series FROM profiles UNION ALL SELECT series FROM merged_uids)",
                    "DELETE FROM stacks WHERE id NOT IN (SELECT stack FROM samples)",
                    "DELETE FROM stack_frames WHERE stack NOT IN (SELECT id FROM stacks)",
                    "DELETE FROM locations WHERE id NOT IN (SELECT location FROM stack_frames)",
                    "DELETE FROM functions WHERE id NOT IN (SELECT function_id FROM locations)",
                    "DELETE FROM strings WHERE id NOT IN (SELECT name_id FROM functions UNION ALL SELECT file_id FROM functions"
                            + " UNION ALL SELECT binary_id FROM locations UNION ALL SELECT build_id FROM locations)")) {
                Database.exec(c, sql);
            }
            return null;
        });
        load();
        return doomed[0];
    }

    interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * Runs maintenance statements (retention, downsampling) in one transaction on the writer's
     * connection, with the optimizer on: their joins and {@code GROUP BY}s need it, unlike appends.
     */
    <T> T transaction(Work<T> work) throws SQLException {
        Database.exec(c, "PRAGMA enable_optimizer");
        begin.execute();
        try {
            T out = work.run();
            commit.execute();
            return out;
        } catch (SQLException | RuntimeException e) {
            try {
                rollback.execute();
            } catch (SQLException rollbackFailed) {
                e.addSuppressed(rollbackFailed);
            }
            throw e;
        } finally {
            Database.exec(c, "PRAGMA disable_optimizer");
        }
    }

    /** The writer's connection, for maintenance inside {@link #transaction}. */
    Connection connection() {
        return c;
    }

    /** {@code n} profile keys no profile has, the first returned; unused ones are harmless gaps. */
    long takeKeys(int n) {
        long first = nextKey;
        nextKey += n;
        return first;
    }
}
