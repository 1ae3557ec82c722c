package dev.hearth.collector;

import static dev.hearth.collector.Http.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.collector.storage.DownsampleResult;
import dev.hearth.collector.storage.Downsampling;
import dev.hearth.collector.storage.StoreLocation;
import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.ProfileBuilder;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.StackFrame;
import dev.hearth.pprof.proto.Profile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Downsampling through the API, on every store: two hosts' profiles every minute for three hours,
 * ten days ago, merged into one profile per host per hour. Merges, diffs and timelines over
 * hour-aligned windows answer exactly as before; a minute timeline shows one point per hour there;
 * recent profiles stay as they are; a resent profile is still known (after a restart too); a late
 * one joins its hour; retention takes the downsampled days and the ids they kept. The tests run in
 * order on one store per class run.
 */
@ParameterizedClass
@EnumSource(TestStore.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DownsamplingTest {
    @Parameter
    TestStore store;

    static final long H = 3_600_000L, M = 60_000L, NS = 10_000_000L;
    static final int MINUTES = 180;
    static final String[] HOSTS = {"a", "b"};

    @TempDir
    static Path dir;

    static long now, base;
    static StoreLocation location;
    static CollectorConfig config;
    static TestCollector c;

    /**
     * At most 100 profiles a pass: the 360 go in several passes, and listings are cut short. After 30 days, and the
     * passes run as if three weeks had passed: the collector's own passes, on the clock, leave the profiles alone.
     */
    @BeforeParameterizedClassInvocation
    static void ingestOnce(TestStore store) throws Exception {
        now = System.currentTimeMillis();
        base = (now - Duration.ofDays(10).toMillis()) / H * H; // an hour boundary ten days ago
        config = CollectorConfig.defaults(dir.resolve(store.name()))
                .withDownsampling(new Downsampling(Duration.ofDays(30), Duration.ofHours(1), 100));
        location = store.fresh(config.dataDir());
        c = new TestCollector(config, location);
        ingest(c);
    }

    @AfterParameterizedClassInvocation
    static void stop() throws Exception {
        c.close();
    }

    /** Minute {@code k}'s profile of a host: a few of 24 stacks, with seeded counts. */
    static Profile minute(String host, int k) {
        Random r = new Random(host.hashCode() * 1000L + k);
        ProfileBuilder b = new ProfileBuilder(ProfileType.CPU).period(NS);
        for (int i = 0; i < 6; i++) {
            int s = r.nextInt(24);
            long n = 1 + r.nextInt(40);
            b.add(
                    List.of(
                            new StackFrame("Shop.leaf" + s, FrameKind.JIT, "Shop.java", s, "", ""),
                            new StackFrame("Shop.handler" + (s % 4), FrameKind.JIT, "Shop.java", 100 + s % 4, "", ""),
                            Fixtures.MAIN),
                    new long[] {n, n * NS},
                    Map.of("thread", "worker-" + (s % 3)));
        }
        return b.build();
    }

    /** Minutes 17 to 196 after {@code base} (three hours, the first and the last partial), and five recent minutes. */
    static void ingest(TestCollector c) throws Exception {
        List<java.util.concurrent.Callable<Void>> posts = new ArrayList<>();
        for (String host : HOSTS) {
            for (int k = 0; k < MINUTES; k++) {
                int m = k;
                posts.add(() -> post(c, host, base + (17 + m) * M, host + "-" + m, minute(host, m)));
            }
            for (int k = 0; k < 5; k++) {
                int m = k;
                posts.add(() -> post(c, host, now - (30 - m) * M, host + "-recent-" + m, minute(host, 1000 + m)));
            }
        }
        var pool =
                java.util.concurrent.Executors.newFixedThreadPool(8); // concurrent ingests share the writer's commits
        try {
            for (var f : pool.invokeAll(posts)) f.get();
        } finally {
            pool.shutdown();
        }
    }

    static Void post(TestCollector c, String host, long from, String id, Profile p) throws Exception {
        Http.Reply r = c.http.post(Fixtures.ingest("shop", "cpu", from, from + M, "host=" + host, id), Fixtures.gz(p));
        assertEquals(200, r.status(), r.text());
        return null;
    }

    static String get(TestCollector c, String path, Object... params) throws Exception {
        Object[] all = new Object[params.length + 4];
        all[0] = "service";
        all[1] = "shop";
        all[2] = "type";
        all[3] = "cpu";
        System.arraycopy(params, 0, all, 4, params.length);
        Http.Reply r = c.http.get(Http.query(path, all));
        assertEquals(200, r.status(), r.text());
        return r.text();
    }

    /** The answers compared before and after: every one over hour-aligned windows, or wholly recent. */
    List<String> answers(TestCollector c) throws Exception {
        long w0 = base, w1 = base + 4 * H;
        List<String> out = new ArrayList<>();
        out.add(get(c, "/api/v1/flamegraph", "from", w0, "until", w1));
        out.add(get(c, "/api/v1/flamegraph", "from", w0, "until", w1, "labels", "host=b", "value", "samples"));
        out.add(get(c, "/api/v1/flamegraph", "from", base + H, "until", base + 2 * H, "maxNodes", 20));
        out.add(get(c, "/api/v1/diff", "from", w0, "until", w1, "labels", "host=b", "baseLabels", "host=a"));
        out.add(get(
                c,
                "/api/v1/diff",
                "from",
                base + 2 * H,
                "until",
                base + 3 * H,
                "baseFrom",
                base,
                "baseUntil",
                base + H,
                "absolute",
                "true"));
        out.add(get(c, "/api/v1/timeline", "from", w0, "until", w1, "step", H));
        out.add(get(
                c, "/api/v1/timeline", "from", w0 - 24 * H, "until", w1 + 24 * H, "step", 6 * H, "labels", "host=a"));
        out.add(get(c, "/api/v1/flamegraph", "from", now - H, "until", now + 1));
        out.add(get(c, "/api/v1/timeline", "from", now - H, "until", now + 1, "step", M));
        return out;
    }

    /** Three weeks from now: the old profiles are 31 days old, the recent ones 21. */
    static long later() {
        return now + Duration.ofDays(21).toMillis();
    }

    /** A cluster's shards downsample their own profiles: a step may have a profile on each. */
    int shards() {
        return store == TestStore.CLICKHOUSE_CLUSTER ? 2 : 1;
    }

    static DownsampleResult downsampleAll(TestCollector c, long nowMs) throws Exception {
        DownsampleResult all = DownsampleResult.NOTHING;
        for (DownsampleResult r; (r = c.server.downsample(nowMs)).merged() > 0; ) all = all.plus(r);
        return all;
    }

    @Test
    @Order(1)
    @SuppressWarnings("unchecked")
    void mergesDiffsAndTimelinesAnswerAsBefore() throws Exception {
        List<String> before = answers(c);
        String minutesBefore = get(c, "/api/v1/timeline", "from", base, "until", base + 4 * H, "step", M);
        long samples = c.count("samples");

        DownsampleResult r = downsampleAll(c, later());

        assertEquals(2 * MINUTES, r.merged());
        assertEquals(
                2 * MINUTES + r.written() - shards() * 2 * 4,
                r.removed(),
                "a profile written by one pass and joined in a later one is removed again");
        if (shards() == 1)
            assertTrue(r.written() > 2 * 4, "passes of at most 100 profiles cut the 120 of hour 1: " + r);
        assertEquals(
                shards() * 2 * 4 + 2 * 5,
                c.count("profiles"),
                "one profile per host per hour (per shard: each merges its own): hours 0 (from minute 17) to 3 (to minute 16); recent ones as they were");
        assertEquals(2 * MINUTES, c.count("merged_uids"));
        assertEquals(samples - r.samplesBefore() + r.samplesAfter(), c.count("samples"));
        assertTrue(r.samplesAfter() * 4 < r.samplesBefore(), r.toString());
        assertEquals(before, answers(c));
        assertEquals(DownsampleResult.NOTHING, c.server.downsample(later()), "nothing is left to do");

        // a minute timeline over the downsampled hours: one point per hour, holding the hour's 60 minutes
        List<List<Number>> fine = (List<List<Number>>) Http.json(minutesBefore).get("points");
        List<List<Number>> coarse = (List<List<Number>>)
                Http.json(get(c, "/api/v1/timeline", "from", base, "until", base + 4 * H, "step", M))
                        .get("points");
        assertEquals(240, fine.size());
        assertEquals(4, coarse.size());
        for (int h = 0; h < 4; h++) {
            long sum = 0;
            for (int m = 0; m < 60; m++) sum += fine.get(h * 60 + m).get(1).longValue();
            assertEquals(
                    List.of(base + h * H, sum),
                    coarse.get(h).stream().map(Number::longValue).toList());
        }

        var metrics = PrometheusScrape.of(c.http);
        assertEquals(
                2 * MINUTES,
                metrics.series("hearth_collector_downsampled_profiles_total")
                        .orElseThrow()
                        .getCounter()
                        .getValue());
        assertEquals(
                r.rowsSaved(),
                metrics.series("hearth_collector_downsampling_rows_saved_total")
                        .orElseThrow()
                        .getCounter()
                        .getValue());
        assertTrue(metrics.series("hearth_collector_downsampling_runs_total", "result", "ok")
                        .orElseThrow()
                        .getCounter()
                        .getValue()
                >= 4);
    }

    @Test
    @Order(2)
    void aResentProfileIsStillKnownAndALateOneJoinsItsHour() throws Exception {
        c.close();
        c = new TestCollector(config, location); // what downsampling kept survives a restart
        String hourBefore = get(c, "/api/v1/flamegraph", "from", base + H, "until", base + 2 * H);
        double total = num(Http.json(hourBefore), "total");

        Http.Reply resent = c.http.post(
                Fixtures.ingest("shop", "cpu", base + 77 * M, base + 78 * M, "host=a", "a-60"),
                Fixtures.gz(minute("a", 60)));
        assertEquals(200, resent.status(), resent.text());
        assertEquals(false, resent.json().get("stored"), "the minute is in its hour's profile already");
        Http.Reply reused = c.http.post(
                Fixtures.ingest("shop", "cpu", base + 77 * M, base + 78 * M, "host=a", "a-60"),
                Fixtures.gz(minute("a", 61)));
        assertEquals(409, reused.status(), reused.text());
        // the merged profiles' ids are out of a client's reach: '/' is not allowed in an id
        Http.Reply forged = c.http.post(
                Fixtures.ingest("shop", "cpu", base + H, base + 2 * H, "host=a", "downsampled/1/2/3"),
                Fixtures.gz(minute("a", 60)));
        assertEquals(400, forged.status(), forged.text());
        assertEquals(hourBefore, get(c, "/api/v1/flamegraph", "from", base + H, "until", base + 2 * H));

        post(c, "a", base + H + 30 * M + 5_000, "late", Fixtures.shop(3, 2, 1));
        double withLate = total + 6 * NS;
        assertEquals(
                withLate,
                num(Http.json(get(c, "/api/v1/flamegraph", "from", base + H, "until", base + 2 * H)), "total"));
        String answer = get(c, "/api/v1/flamegraph", "from", base + H, "until", base + 2 * H);
        DownsampleResult r = c.server.downsample(later());
        assertEquals(1, r.merged(), r.toString());
        assertEquals(1, r.written(), r.toString());
        if (shards() == 1) assertEquals(2, r.removed(), "the late one joins the hour's profile");
        assertEquals(answer, get(c, "/api/v1/flamegraph", "from", base + H, "until", base + 2 * H));
        assertEquals(shards() * 2 * 4 + 2 * 5 + (r.removed() == 1 ? 1 : 0), c.count("profiles"));
    }

    @Test
    @Order(3)
    void retentionTakesTheDownsampledDaysWithTheIdsTheyKept() throws Exception {
        String recent = get(c, "/api/v1/flamegraph", "from", now - H, "until", now + 1);
        // a cutoff two days after the old profiles (whole days: ClickHouse drops day partitions) and long before the
        // recent ones
        long cutoff = base + 48 * H;
        assertTrue(
                c.server.applyRetention(cutoff + c.server.config().retention().toMillis()) >= 8);

        assertEquals(2 * 5, c.count("profiles"));
        assertEquals(0, c.count("merged_uids"));
        assertEquals(0, num(Http.json(get(c, "/api/v1/flamegraph", "from", base, "until", base + 4 * H)), "total"));
        assertEquals(recent, get(c, "/api/v1/flamegraph", "from", now - H, "until", now + 1));
        // an id of a minute that retention took is new again, as any profile older than retention would be
        Http.Reply again = c.http.post(
                Fixtures.ingest("shop", "cpu", base + 17 * M, base + 18 * M, "host=a", "a-0"),
                Fixtures.gz(minute("a", 0)));
        assertEquals(true, again.json().get("stored"), again.text());
    }
}
