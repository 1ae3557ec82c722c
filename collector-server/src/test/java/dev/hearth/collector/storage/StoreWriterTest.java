package dev.hearth.collector.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.ProfileBuilder;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.StackFrame;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches are all or nothing; ids stored once per tenant and service, also after a restart; an id
 * reused with other content is a conflict; the writer goes on after a failed batch; a data
 * directory from before tenants is migrated with its profiles in the anonymous tenant.
 */
class StoreWriterTest {
    static final long T0 = 1_700_000_000_000L;
    static final List<String> TABLES =
            List.of("strings", "functions", "locations", "stacks", "stack_frames", "series", "profiles", "samples");

    @TempDir
    Path dir;

    static final WriteOutcome NEW = WriteOutcome.STORED,
            SAME = WriteOutcome.ALREADY_STORED,
            CONFLICT = WriteOutcome.CONFLICT;

    static ProfileRows rows(String uid, String salt) throws Exception {
        return rows("t1", "shop", uid, salt);
    }

    /** Two stacks of a service; {@code salt} gives each call a function of its own. */
    static ProfileRows rows(String tenant, String service, String uid, String salt) throws Exception {
        StackFrame main = new StackFrame("Shop.main", FrameKind.JIT, "Shop.java", 1, "", "");
        StackFrame work = new StackFrame("Shop.work" + salt, FrameKind.JIT, "Shop.java", 2, "", "");
        var p = new ProfileBuilder(ProfileType.CPU)
                .period(10)
                .add(List.of(work, main), new long[] {3, 30}, Map.of("thread", "w-1"))
                .add(List.of(main), new long[] {1, 10}, Map.of())
                .build();
        return ProfileConverter.convert(
                p,
                new ProfileConverter.Meta(
                        tenant, uid, service, ProfileType.CPU, T0, T0 + 10_000, new TreeMap<>(Map.of("host", "a"))),
                dev.hearth.collector.CollectorLimits.DEFAULT_MAX_STACK_DEPTH);
    }

    /** Rows the database refuses at the append (a NULL type), after dictionary rows of its own. */
    static ProfileRows broken(String uid) throws Exception {
        ProfileRows r = rows(uid, "-broken");
        return new ProfileRows(
                r.uid(),
                new ProfileRows.Series(42, "t1", "shop", null, ""),
                r.startMs(),
                r.endMs(),
                r.sampleStacks(),
                r.sampleValues(),
                r.totals(),
                r.digest(),
                r.truncatedStacks());
    }

    static Map<String, Long> counts(Database db) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        for (String t : TABLES) out.put(t, db.count(t));
        return out;
    }

    @Test
    void aFailedBatchLeavesNothingAndTheNextBatchIsStored() throws Exception {
        try (Database db = Database.open(dir)) {
            StoreWriter w = new StoreWriter(db);
            assertThrows(SQLException.class, () -> w.write(List.of(rows("a", ""), broken("b"))));
            for (var e : counts(db).entrySet())
                assertEquals(0L, e.getValue(), e.getKey() + " holds rows of a failed batch");

            // the same profiles again: nothing of the failed batch is remembered as stored
            assertArrayEquals(new WriteOutcome[] {NEW}, w.write(List.of(rows("a", ""))));
            assertArrayEquals(new WriteOutcome[] {NEW}, w.write(List.of(rows("b", "-fixed"))));
            Map<String, Long> c = counts(db);
            assertEquals(2, c.get("profiles"));
            assertEquals(4, c.get("samples"));
            assertEquals(3, c.get("stacks"), "main, work and work-fixed stacks, each once");
            assertEquals(1, c.get("series"));
        }
    }

    @Test
    void anIdIsStoredOnceWithinABatchAcrossBatchesAndAfterARestart() throws Exception {
        try (Database db = Database.open(dir)) {
            StoreWriter w = new StoreWriter(db);
            assertArrayEquals(new WriteOutcome[] {NEW, SAME}, w.write(List.of(rows("x", ""), rows("x", ""))));
            assertArrayEquals(new WriteOutcome[] {SAME, NEW}, w.write(List.of(rows("x", ""), rows("y", ""))));
        }
        try (Database db = Database.open(dir)) {
            StoreWriter w = new StoreWriter(db);
            assertArrayEquals(
                    new WriteOutcome[] {SAME, SAME, NEW},
                    w.write(List.of(rows("x", ""), rows("y", ""), rows("z", ""))));
            assertEquals(3, db.count("profiles"));
            assertEquals(6, db.count("samples"));
        }
    }

    @Test
    void idsAreUniquePerTenantAndServiceAndAReusedIdWithOtherContentIsAConflict() throws Exception {
        try (Database db = Database.open(dir)) {
            StoreWriter w = new StoreWriter(db);
            assertArrayEquals(
                    new WriteOutcome[] {NEW, NEW, NEW},
                    w.write(List.of(
                            rows("t1", "shop", "x", ""), rows("t2", "shop", "x", ""), rows("t1", "cart", "x", ""))));
            // other content under a stored id, in a later batch and within one batch
            assertArrayEquals(
                    new WriteOutcome[] {CONFLICT, SAME},
                    w.write(List.of(rows("t1", "shop", "x", "-other"), rows("t2", "shop", "x", ""))));
            assertArrayEquals(
                    new WriteOutcome[] {NEW, CONFLICT},
                    w.write(List.of(rows("t1", "shop", "y", ""), rows("t1", "shop", "y", "-other"))));
        }
        try (Database db = Database.open(dir)) {
            StoreWriter w = new StoreWriter(db);
            assertArrayEquals(
                    new WriteOutcome[] {CONFLICT, SAME},
                    w.write(List.of(rows("t2", "shop", "x", "-other"), rows("t1", "cart", "x", ""))));
            assertEquals(4, db.count("profiles"));
        }
    }

    @Test
    void aDataDirectoryFromBeforeTenantsKeepsItsProfilesInTheAnonymousTenant() throws Exception {
        try (Database db = Database.open(dir)) {
            new StoreWriter(db).write(List.of(rows("t1", "shop", "old", "")));
        }
        // the tables as they were before tenants: no tenant, no digest
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + dir.resolve(Database.FILE));
                var s = c.createStatement()) {
            s.execute("ALTER TABLE series DROP COLUMN tenant");
            s.execute("ALTER TABLE profiles DROP COLUMN digest");
        }
        try (Database db = Database.open(dir)) {
            StoreReader r = new StoreReader(db);
            assertEquals(
                    List.of("shop"),
                    r.services(dev.hearth.collector.auth.Tenant.ANONYMOUS).stream()
                            .map(ProfileStore.Service::name)
                            .toList());
            assertEquals(List.of(), r.services("t1"));
            StoreWriter w = new StoreWriter(db);
            // its id resent by the anonymous tenant is the same profile (its content was never hashed); new ones are
            // stored
            assertArrayEquals(
                    new WriteOutcome[] {SAME, NEW},
                    w.write(List.of(
                            rows(dev.hearth.collector.auth.Tenant.ANONYMOUS, "shop", "old", "-x"),
                            rows(dev.hearth.collector.auth.Tenant.ANONYMOUS, "shop", "new", ""))));
            var sel = new Selection(
                    dev.hearth.collector.auth.Tenant.ANONYMOUS,
                    "shop",
                    ProfileType.CPU,
                    T0,
                    T0 + 10_000,
                    dev.hearth.collector.labels.LabelSelector.ALL);
            long total = r.merge(sel, new int[] {1}).stream()
                    .mapToLong(x -> x.values()[0])
                    .sum();
            assertEquals(80, total, "both profiles, old and new, in one merge");
        }
    }
}
