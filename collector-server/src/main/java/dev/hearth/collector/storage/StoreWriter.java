package dev.hearth.collector.storage;

import dev.hearth.collector.storage.ProfileRows.FunctionRow;
import dev.hearth.collector.storage.ProfileRows.LocationRow;
import dev.hearth.collector.storage.ProfileRows.StackRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * All writes, from one thread: batches of profiles in one transaction each, and retention. It
 * remembers which dictionary hashes are stored, so each dictionary row is appended once; the memory
 * is updated only after a commit, so a rolled-back batch leaves no trace there either.
 */
public final class StoreWriter {
    private final DuckDBConnection c;
    private final Map<String, LongSet> stored = new HashMap<>();
    private long nextKey;

    public StoreWriter(Database db) throws SQLException {
        this.c = (DuckDBConnection) db.newConnection();
        load();
    }

    private void load() throws SQLException {
        stored.clear();
        for (String table : Schema.DICTIONARIES) {
            LongSet ids = new LongSet();
            Database.query(c, "SELECT id FROM " + table, r -> ids.add(r.getLong(1)));
            stored.put(table, ids);
        }
        long[] max = {0};
        Database.query(c, "SELECT max(pkey) FROM profiles", r -> max[0] = r.getLong(1));
        nextKey = max[0] + 1;
    }

    /**
     * Stores every profile of the batch whose uid is not stored yet, in one transaction: when this
     * returns, they are durable; when it throws, nothing of the batch is stored.
     *
     * @return for each profile, true if stored now, false if its uid was already stored
     */
    public boolean[] write(List<ProfileRows> batch) throws SQLException {
        boolean[] store = newUids(batch);
        Pending pending = new Pending();
        long firstKey = nextKey;
        Database.exec(c, "BEGIN TRANSACTION");
        try {
            try (Appenders a = new Appenders(c)) {
                for (int i = 0; i < batch.size(); i++) {
                    if (store[i]) append(batch.get(i), nextKey++, a, pending);
                }
            }
            Database.exec(c, "COMMIT");
        } catch (SQLException | RuntimeException e) {
            nextKey = firstKey;
            try {
                Database.exec(c, "ROLLBACK");
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
        pending.ids.forEach((table, ids) -> ids.forEach(stored.get(table)::add));
        return store;
    }

    /** Which uids are new: not in the database and not earlier in the same batch. */
    private boolean[] newUids(List<ProfileRows> batch) throws SQLException {
        Set<String> existing = new HashSet<>();
        StringBuilder sql = new StringBuilder("SELECT uid FROM profiles WHERE uid IN (");
        for (int i = 0; i < batch.size(); i++) sql.append(i == 0 ? "?" : ", ?");
        try (PreparedStatement s = c.prepareStatement(sql.append(')').toString())) {
            for (int i = 0; i < batch.size(); i++) s.setString(i + 1, batch.get(i).uid());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) existing.add(r.getString(1));
            }
        }
        boolean[] out = new boolean[batch.size()];
        for (int i = 0; i < out.length; i++) out[i] = existing.add(batch.get(i).uid());
        return out;
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

    private void append(ProfileRows p, long key, Appenders a, Pending pending) throws SQLException {
        NewIds strings = new NewIds("strings", pending);
        for (var e : p.strings().entrySet()) {
            if (strings.isNew(e.getKey())) a.strings.beginRow().append(e.getKey()).append(e.getValue()).endRow();
        }
        NewIds functions = new NewIds("functions", pending);
        for (var e : p.functions().entrySet()) {
            FunctionRow f = e.getValue();
            if (functions.isNew(e.getKey())) {
                a.functions.beginRow().append(e.getKey()).append(f.name()).append(f.kind()).append(f.file()).endRow();
            }
        }
        NewIds locations = new NewIds("locations", pending);
        for (var e : p.locations().entrySet()) {
            LocationRow l = e.getValue();
            if (locations.isNew(e.getKey())) {
                a.locations.beginRow().append(e.getKey()).append(l.function()).append(l.line()).append(l.binary())
                        .append(l.buildId()).endRow();
            }
        }
        NewIds stacks = new NewIds("stacks", pending);
        for (var e : p.stacks().entrySet()) {
            StackRow s = e.getValue();
            if (stacks.isNew(e.getKey())) {
                a.stacks.beginRow().append(e.getKey()).append(s.labels()).endRow();
                for (int d = 0; d < s.locations().length; d++) {
                    a.stackFrames.beginRow().append(e.getKey()).append(d).append(s.locations()[d]).endRow();
                }
            }
        }
        var series = p.series();
        if (new NewIds("series", pending).isNew(series.id())) {
            a.series.beginRow().append(series.id()).append(series.service()).append(series.type()).append(series.labels()).endRow();
        }
        long[] totals = p.totals();
        a.profiles.beginRow().append(key).append(p.uid()).append(series.id()).append(p.startMs()).append(p.endMs())
                .append(totals[0]).append(totals.length > 1 ? totals[1] : 0L).endRow();
        long[][] values = p.sampleValues();
        for (int i = 0; i < p.sampleCount(); i++) {
            a.samples.beginRow().append(key).append(p.sampleStacks()[i]).append(values[0][i])
                    .append(values.length > 1 ? values[1][i] : 0L).endRow();
        }
    }

    /** One appender per table for the open transaction; closing flushes them into it. */
    private static final class Appenders implements AutoCloseable {
        final DuckDBAppender strings, functions, locations, stacks, stackFrames, series, profiles, samples;

        Appenders(DuckDBConnection c) throws SQLException {
            strings = c.createAppender("main", "strings");
            functions = c.createAppender("main", "functions");
            locations = c.createAppender("main", "locations");
            stacks = c.createAppender("main", "stacks");
            stackFrames = c.createAppender("main", "stack_frames");
            series = c.createAppender("main", "series");
            profiles = c.createAppender("main", "profiles");
            samples = c.createAppender("main", "samples");
        }

        @Override
        public void close() throws SQLException {
            SQLException first = null;
            for (DuckDBAppender a : List.of(strings, functions, locations, stacks, stackFrames, series, profiles, samples)) {
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
     * row nothing refers to any more, in one transaction.
     *
     * @return the number of profiles deleted
     */
    public long deleteBefore(long cutoffMs) throws SQLException {
        long[] doomed = {0};
        Database.query(c, "SELECT count(*) FROM profiles WHERE end_ms <= " + cutoffMs, r -> doomed[0] = r.getLong(1));
        if (doomed[0] == 0) return 0;
        Database.exec(c, "BEGIN TRANSACTION");
        try {
            for (String sql : List.of(
                    "DELETE FROM samples WHERE profile IN (SELECT pkey FROM profiles WHERE end_ms <= " + cutoffMs + ")",
                    "DELETE FROM profiles WHERE end_ms <= " + cutoffMs,
                    "DELETE FROM series WHERE id NOT IN (SELECT series FROM profiles)",
                    "DELETE FROM stacks WHERE id NOT IN (SELECT stack FROM samples)",
                    "DELETE FROM stack_frames WHERE stack NOT IN (SELECT id FROM stacks)",
                    "DELETE FROM locations WHERE id NOT IN (SELECT location FROM stack_frames)",
                    "DELETE FROM functions WHERE id NOT IN (SELECT function_id FROM locations)",
                    "DELETE FROM strings WHERE id NOT IN (SELECT name_id FROM functions UNION ALL SELECT file_id FROM functions"
                            + " UNION ALL SELECT binary_id FROM locations UNION ALL SELECT build_id FROM locations)")) {
                Database.exec(c, sql);
            }
            Database.exec(c, "COMMIT");
        } catch (SQLException | RuntimeException e) {
            Database.exec(c, "ROLLBACK");
            throw e;
        }
        load();
        return doomed[0];
    }
}
