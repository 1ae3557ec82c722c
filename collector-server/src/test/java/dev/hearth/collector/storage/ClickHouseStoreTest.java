package dev.hearth.collector.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hearth.collector.TestStore;
import dev.hearth.collector.labels.LabelSelector;
import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.ProfileBuilder;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.ResolvedSample;
import dev.hearth.pprof.StackFrame;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What several collectors leave in a shared ClickHouse cluster: a profile id that two of them
 * stored at once (both checked before either inserted) is in the tables twice and in every read
 * once; names with the characters TabSeparated and SQL literals escape, and long and non-ASCII
 * ones, come back as written.
 */
class ClickHouseStoreTest {
    static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void anIdStoredByTwoWritersAtOnceIsReadOnce() throws Exception {
        var location = (StoreLocation.ClickHouse) TestStore.CLICKHOUSE_CLUSTER.fresh(dir);
        try (ClickHouseStore store = (ClickHouseStore) location.open(16)) {
            ProfileRows rows = StoreWriterTest.rows("t1", "shop", "twice", "");
            for (int writer = 0; writer < 2; writer++) {
                new ClickHouseWriter(
                                new ClickHouseHttp(location.credentials(), location.database()),
                                location.shards(),
                                true,
                                location.database())
                        .insert(List.of(rows), new WriteOutcome[] {WriteOutcome.STORED});
            }
            assertEquals(
                    2,
                    Arrays.stream(store.rowsPerShard("profiles")).sum(),
                    "stored twice, as two racing collectors would");
            assertEquals(1, store.count("profiles"));
            assertEquals(rows.sampleCount(), store.count("samples"));
            Selection all = new Selection("t1", "shop", ProfileType.CPU, T0, T0 + 60_000, LabelSelector.ALL);
            long total = store.merge(all, new int[] {1}, QueryDeadline.NONE).stream()
                    .mapToLong(s -> s.values()[0])
                    .sum();
            assertEquals(40, total);
            assertEquals(List.of(new StartTotal(T0, 0, 40)), store.totalsByStart(all, 1, QueryDeadline.NONE));
            assertEquals(WriteOutcome.ALREADY_STORED, store.write(rows).get());
        }
    }

    /** A service name that would end a string literal and run a statement of its own, were it pasted into SQL. */
    static final String SERVICE = "svc\t1'); DROP TABLE samples; --\\";

    @Test
    void namesWithTabsNewlinesBackslashesAndManyBytesComeBackAsWritten() throws Exception {
        var location = (StoreLocation.ClickHouse) TestStore.CLICKHOUSE.fresh(dir);
        // and characters of two to four UTF-8 bytes, and over 127 bytes (a length of two bytes in RowBinary)
        String odd = "a\tb\nc\\d'e\r\0f ünï 日本 \uD83D\uDD25 " + "x".repeat(300);
        StackFrame frame = new StackFrame(odd, FrameKind.NATIVE, "x\\y.c", 3, "/bin/\ttab", "id\n");
        var p = new ProfileBuilder(ProfileType.CPU)
                .period(10)
                .add(List.of(frame), new long[] {2, 20}, Map.of("thread", odd))
                .build();
        ProfileRows rows = ProfileConverter.convert(
                p,
                new ProfileConverter.Meta(
                        "t1", "p1", SERVICE, ProfileType.CPU, T0, T0 + 10_000, new TreeMap<>(Map.of("host", "a\\b"))),
                64);
        try (ClickHouseStore store = (ClickHouseStore) location.open(16)) {
            assertEquals(WriteOutcome.STORED, store.write(rows).get());
            List<ResolvedSample> merged = store.merge(
                    new Selection("t1", SERVICE, ProfileType.CPU, T0, T0 + 10_000, LabelSelector.ALL),
                    new int[] {0, 1},
                    QueryDeadline.NONE);
            assertEquals(1, merged.size());
            assertEquals(List.of(frame), merged.get(0).stack());
            assertEquals(Map.of("thread", odd), merged.get(0).labels());
            assertArrayEquals(new long[] {2, 20}, merged.get(0).values());
            assertEquals(
                    List.of(SERVICE),
                    store.services("t1").stream()
                            .map(ProfileStore.Service::name)
                            .toList());
            assertEquals(List.of("a\\b"), List.copyOf(store.labelValues("t1", SERVICE, "host")));
        }
    }
}
