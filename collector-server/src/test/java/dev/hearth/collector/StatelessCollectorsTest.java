package dev.hearth.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.collector.storage.ClickHouseStore;
import dev.hearth.collector.storage.StoreLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two collector processes on one two-shard ClickHouse cluster: what one stores the other serves,
 * the rows spread over both shards, and a profile id sent to both at once counts once.
 */
class StatelessCollectorsTest {
    static final long T0 = 1_700_000_000_000L;
    static final long NS = 10_000_000L;
    /** Fixtures.shop(30, 10, 5): 45 samples of 10 ms. */
    static final long PER_PROFILE = 45 * NS;

    @TempDir
    Path dir;

    @Test
    void ingestThroughOneQueryThroughTheOtherAndCountAResentIdOnce() throws Exception {
        StoreLocation store = TestStore.CLICKHOUSE_CLUSTER.fresh(dir);
        String[] args = TestStore.args(store).toArray(String[]::new);
        byte[] body = Fixtures.gz(Fixtures.shop(30, 10, 5));
        try (CollectorProcess a = CollectorProcess.start(dir.resolve("a"), args);
                CollectorProcess b = CollectorProcess.start(dir.resolve("b"), args)) {
            int hosts = 8;
            for (int h = 0; h < hosts; h++) {
                Http.Reply r = a.http.post(
                        Fixtures.ingest("shop", "cpu", T0 + h * 10_000L, T0 + (h + 1) * 10_000L, "host=h" + h, "p" + h),
                        body);
                assertEquals(200, r.status(), r.text());
            }
            assertEquals(hosts * PER_PROFILE, total(b, ""));
            assertEquals(PER_PROFILE, total(b, "host=h3"));

            // the same ids to both collectors at the same moment: each may store it before seeing the other's
            int resent = 12;
            CyclicBarrier together = new CyclicBarrier(2);
            List<CompletableFuture<List<Integer>>> senders = new ArrayList<>();
            for (CollectorProcess c : List.of(a, b)) {
                senders.add(CompletableFuture.supplyAsync(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    try {
                        for (int i = 0; i < resent; i++) {
                            together.await();
                            statuses.add(c.http.post(
                                            Fixtures.ingest("shop", "cpu", T0, T0 + 10_000, "host=twice", "twice-" + i),
                                            body)
                                    .status());
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return statuses;
                }));
            }
            for (CompletableFuture<List<Integer>> s : senders)
                assertEquals(List.of(200), s.get().stream().distinct().toList());

            for (CollectorProcess c : List.of(a, b)) {
                assertEquals((hosts + resent) * PER_PROFILE, total(c, ""));
                assertEquals(resent * PER_PROFILE, total(c, "host=twice"));
                Map<String, Object> timeline = c.http.get(Http.query(
                                "/api/v1/timeline",
                                "service",
                                "shop",
                                "type",
                                "cpu",
                                "from",
                                T0,
                                "until",
                                T0 + 10_000,
                                "step",
                                10_000))
                        .json();
                assertEquals(List.of(List.of(T0, (resent + 1) * PER_PROFILE)), normalized(timeline.get("points")));
            }
            try (ClickHouseStore direct = (ClickHouseStore) store.open(16)) {
                assertEquals(hosts + resent, direct.count("profiles"));
                long[] profiles = direct.rowsPerShard("profiles"), samples = direct.rowsPerShard("samples");
                assertTrue(
                        Arrays.stream(profiles).allMatch(n -> n > 0),
                        "a shard holds no profile: " + Arrays.toString(profiles));
                assertTrue(
                        Arrays.stream(samples).allMatch(n -> n > 0),
                        "a shard holds no sample: " + Arrays.toString(samples));
            }
        }
    }

    static long total(CollectorProcess c, String labels) throws Exception {
        Http.Reply r = c.http.get(Http.query(
                "/api/v1/flamegraph",
                "service",
                "shop",
                "type",
                "cpu",
                "from",
                T0,
                "until",
                T0 + 600_000,
                "labels",
                labels.isEmpty() ? null : labels));
        assertEquals(200, r.status(), r.text());
        return (long) Http.num(r.json(), "total");
    }

    /** JSON numbers as longs. */
    static List<List<Long>> normalized(Object points) {
        List<List<Long>> out = new ArrayList<>();
        for (Object p : (List<?>) points)
            out.add(((List<?>) p).stream().map(n -> ((Number) n).longValue()).toList());
        return out;
    }
}
