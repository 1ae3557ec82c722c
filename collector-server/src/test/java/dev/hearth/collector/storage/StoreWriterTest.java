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

/** Batches are all or nothing; ids stored once, also after a restart; the writer goes on after a failed batch. */
class StoreWriterTest {
    static final long T0 = 1_700_000_000_000L;
    static final List<String> TABLES = List.of("strings", "functions", "locations", "stacks", "stack_frames", "series", "profiles", "samples");

    @TempDir
    Path dir;

    /** Two stacks of a shop; {@code salt} gives each call a function of its own. */
    static ProfileRows rows(String uid, String salt) throws Exception {
        StackFrame main = new StackFrame("Shop.main", FrameKind.JIT, "Shop.java", 1, "", "");
        StackFrame work = new StackFrame("Shop.work" + salt, FrameKind.JIT, "Shop.java", 2, "", "");
        var p = new ProfileBuilder(ProfileType.CPU).period(10)
                .add(List.of(work, main), new long[] {3, 30}, Map.of("thread", "w-1"))
                .add(List.of(main), new long[] {1, 10}, Map.of())
                .build();
        return ProfileConverter.convert(p, new ProfileConverter.Meta(uid, "shop", ProfileType.CPU, T0, T0 + 10_000,
                new TreeMap<>(Map.of("host", "a"))), dev.hearth.collector.CollectorLimits.DEFAULT_MAX_STACK_DEPTH);
    }

    /** Rows the database refuses at the append (a NULL service), after dictionary rows of its own. */
    static ProfileRows broken(String uid) throws Exception {
        ProfileRows r = rows(uid, "-broken");
        return new ProfileRows(r.uid(), new ProfileRows.Series(42, null, "cpu", ""), r.startMs(), r.endMs(), r.sampleStacks(),
                r.sampleValues(), r.totals(), r.truncatedStacks());
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
            for (var e : counts(db).entrySet()) assertEquals(0L, e.getValue(), e.getKey() + " holds rows of a failed batch");

            // the same profiles again: nothing of the failed batch is remembered as stored
            assertArrayEquals(new boolean[] {true}, w.write(List.of(rows("a", ""))));
            assertArrayEquals(new boolean[] {true}, w.write(List.of(rows("b", "-fixed"))));
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
            assertArrayEquals(new boolean[] {true, false}, w.write(List.of(rows("x", ""), rows("x", ""))));
            assertArrayEquals(new boolean[] {false, true}, w.write(List.of(rows("x", ""), rows("y", ""))));
        }
        try (Database db = Database.open(dir)) {
            StoreWriter w = new StoreWriter(db);
            assertArrayEquals(new boolean[] {false, false, true}, w.write(List.of(rows("x", ""), rows("y", ""), rows("z", ""))));
            assertEquals(3, db.count("profiles"));
            assertEquals(6, db.count("samples"));
        }
    }
}
