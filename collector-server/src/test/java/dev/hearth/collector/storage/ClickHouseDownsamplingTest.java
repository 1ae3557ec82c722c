package dev.hearth.collector.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hearth.collector.TestStore;
import dev.hearth.collector.labels.LabelSelector;
import dev.hearth.pprof.ProfileType;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On ClickHouse the merged profile's row is what makes a merge appear: members whose deletion has
 * not happened (ClickHouse still working on it, or a crash before the pass asked for it) are left
 * out of every read, and the next pass deletes them.
 */
class ClickHouseDownsamplingTest {
    static final long H = 3_600_000L;
    static final long T = 1_700_000_000_000L / H * H;

    @TempDir
    Path dir;

    @Test
    void membersStillThereAreReadAsMergedAndTheNextPassDeletesThem() throws Exception {
        var location = (StoreLocation.ClickHouse) TestStore.CLICKHOUSE.fresh(dir);
        ClickHouseHttp http = new ClickHouseHttp(location.credentials(), location.database());
        URI shard = location.shards().get(0);
        String db = location.database();
        try (ClickHouseStore store = (ClickHouseStore) location.open(16)) {
            for (int k = 0; k < 6; k++)
                assertEquals(
                        WriteOutcome.STORED,
                        store.write(DuckDbDownsamplingTest.minute("m" + k, k)).get());
            Selection all = new Selection("t1", "shop", ProfileType.CPU, T, T + H, LabelSelector.ALL);
            Map<String, Long> before = DuckDbDownsamplingTest.merged(store::merge, all);
            http.execute(shard, "CREATE TABLE " + db + ".kept_profiles AS " + db + ".profiles");
            http.execute(shard, "CREATE TABLE " + db + ".kept_samples AS " + db + ".samples");
            http.execute(shard, "INSERT INTO " + db + ".kept_profiles SELECT * FROM " + db + ".profiles");
            http.execute(shard, "INSERT INTO " + db + ".kept_samples SELECT * FROM " + db + ".samples");

            Downsampling after1ms = new Downsampling(Duration.ofMillis(1), Duration.ofHours(1), 100);
            DownsampleResult r = after1ms.pass(new ClickHouseDownsampling(http, shard, false, db), T + 10 * H);
            assertEquals(
                    new DownsampleResult(6, 6, 1, 12, 3), r, "6 profiles of 2 stacks each: main, work0 and work1 once");

            // the members back, as if their deletion had not happened
            http.execute(shard, "INSERT INTO " + db + ".profiles SELECT * FROM " + db + ".kept_profiles");
            http.execute(shard, "INSERT INTO " + db + ".samples SELECT * FROM " + db + ".kept_samples");
            assertEquals(7, rows(http, shard, db + ".profiles"));
            assertEquals(before, DuckDbDownsamplingTest.merged(store::merge, all));
            assertEquals(List.of(new StartTotal(T, H, 27)), store.totalsByStart(all, 0, QueryDeadline.NONE));

            assertEquals(
                    DownsampleResult.NOTHING,
                    after1ms.pass(new ClickHouseDownsampling(http, shard, false, db), T + 10 * H));
            assertEquals(1, rows(http, shard, db + ".profiles"));
            assertEquals(3, rows(http, shard, db + ".samples"));
            assertEquals(before, DuckDbDownsamplingTest.merged(store::merge, all));
            assertEquals(
                    WriteOutcome.ALREADY_STORED,
                    store.write(DuckDbDownsamplingTest.minute("m3", 3)).get());
        }
    }

    static long rows(ClickHouseHttp http, URI shard, String table) throws Exception {
        return Long.parseLong(
                http.query(shard, "SELECT count() FROM " + table + " FORMAT TabSeparated", QueryDeadline.NONE)
                        .get(0)[0]);
    }
}
