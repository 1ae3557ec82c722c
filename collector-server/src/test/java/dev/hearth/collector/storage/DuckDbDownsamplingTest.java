package dev.hearth.collector.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.collector.CollectorLimits;
import dev.hearth.collector.labels.LabelSelector;
import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.ProfileBuilder;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.ResolvedSample;
import dev.hearth.pprof.StackFrame;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A downsampling pass that fails part way (here: DuckDB refuses to delete a member another
 * transaction holds) leaves the store as it was, neither counting a profile twice nor losing one;
 * the next pass does the work.
 */
class DuckDbDownsamplingTest {
    static final long H = 3_600_000L;
    static final long T = 1_700_000_000_000L / H * H;

    @TempDir
    Path dir;

    static ProfileRows minute(String uid, int k) throws Exception {
        StackFrame main = new StackFrame("Shop.main", FrameKind.JIT, "Shop.java", 1, "", "");
        StackFrame work = new StackFrame("Shop.work" + (k % 2), FrameKind.JIT, "Shop.java", 2, "", "");
        var p = new ProfileBuilder(ProfileType.CPU)
                .period(10)
                .add(List.of(work, main), new long[] {k + 1, 10L * (k + 1)}, Map.of())
                .add(List.of(main), new long[] {1, 10}, Map.of())
                .build();
        long from = T + k * 60_000L;
        return ProfileConverter.convert(
                p,
                new ProfileConverter.Meta(
                        "t1", uid, "shop", ProfileType.CPU, from, from + 60_000, new TreeMap<>(Map.of("host", "a"))),
                CollectorLimits.DEFAULT_MAX_STACK_DEPTH);
    }

    interface Merge {
        List<ResolvedSample> merge(Selection sel, int[] valueIndexes, QueryDeadline deadline) throws SQLException;
    }

    /** Leaf → samples and value of a merge of the hour. */
    static Map<String, Long> merged(Merge store, Selection sel) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        for (ResolvedSample s : store.merge(sel, new int[] {0, 1}, QueryDeadline.NONE)) {
            out.put(s.stack().get(0).name(), s.values()[0] * 1_000_000 + s.values()[1]);
        }
        return out;
    }

    static Map<String, Long> merged(StoreReader reader) throws SQLException {
        return merged(reader::merge, new Selection("t1", "shop", ProfileType.CPU, T, T + H, LabelSelector.ALL));
    }

    @Test
    void aPassThatFailsPartWayLeavesEverythingAsItWas() throws Exception {
        try (Database db = Database.open(dir)) {
            StoreWriter w = new StoreWriter(db);
            for (int k = 0; k < 4; k++) w.write(List.of(minute("m" + k, k)));
            StoreReader reader = new StoreReader(db);
            Map<String, Long> before = merged(reader);
            Map<String, Long> counts = StoreWriterTest.counts(db);
            Downsampling after1ms = new Downsampling(Duration.ofMillis(1), Duration.ofHours(1), 100);
            DuckDbDownsampling store = new DuckDbDownsampling(w);

            Connection other = db.newConnection();
            Database.exec(other, "BEGIN TRANSACTION");
            Database.exec(
                    other, "DELETE FROM profiles WHERE uid = 'm2'"); // not committed: the pass cannot delete it too
            SQLException e = assertThrows(SQLException.class, () -> after1ms.pass(store, T + 10 * H));
            assertTrue(
                    e.getMessage().contains("onflict"),
                    e.getMessage()); // at the members' deletion, after the merged rows went in
            Database.exec(other, "ROLLBACK");

            assertEquals(counts, StoreWriterTest.counts(db));
            assertEquals(0, db.count("merged_uids"));
            assertEquals(before, merged(reader));

            DownsampleResult r = after1ms.pass(store, T + 10 * H);
            assertEquals(
                    new DownsampleResult(4, 4, 1, 8, 3), r, "4 profiles of 2 stacks each: main, work0 and work1 once");
            assertEquals(1, db.count("profiles"));
            assertEquals(4, db.count("merged_uids"));
            assertEquals(before, merged(reader));
            // the ids are still known to a writer that starts now
            assertEquals(WriteOutcome.ALREADY_STORED, new StoreWriter(db).write(List.of(minute("m2", 2)))[0]);
        }
    }
}
