package dev.hearth.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzzer against a real collector process for a bounded time (hearth.fuzz.seconds, 40 by
 * default; hearth.fuzz.seed to replay a run): no 5xx but the documented 503, no hang, no 4xx
 * without a JSON error; afterwards the collector still stores and answers, and its RSS stayed
 * under 1 GiB.
 */
class CollectorFuzzTest {
    static final long MAX_RSS_KB = 1L << 20;

    @TempDir
    Path dir;

    @Test
    void mutatedBodiesQueriesAndHeadersNeverBreakTheCollector() throws Exception {
        long seconds = Long.getLong("hearth.fuzz.seconds", 40);
        long seed = Long.getLong("hearth.fuzz.seed", System.currentTimeMillis());
        byte[] jfr = CollectorFuzz.jfrSeed(dir);
        try (CollectorProcess c =
                CollectorProcess.start(dir.resolve("data"), "--header-timeout", "5s", "--body-timeout", "5s")) {
            CollectorFuzz fuzz =
                    new CollectorFuzz(c.port, c.process.pid(), c.token, CollectorFuzz.pprofSeeds(), List.of(jfr));
            CollectorFuzz.Result r = fuzz.run(Duration.ofSeconds(seconds), 3, seed);
            System.out.printf(
                    "fuzz seed %d: %d requests in %d s, statuses %s, %d closed without an answer, RSS max %d MiB, last %d MiB%n",
                    seed,
                    r.requests(),
                    seconds,
                    r.statuses(),
                    r.closedWithoutAnswer(),
                    r.maxRssKb() >> 10,
                    r.lastRssKb() >> 10);
            assertTrue(r.failures().isEmpty(), "seed " + seed + ":\n" + String.join("\n", r.failures()));
            assertTrue(r.requests() > 100, "only " + r.requests() + " requests");
            assertTrue(r.maxRssKb() > 0 && r.maxRssKb() < MAX_RSS_KB, "RSS reached " + (r.maxRssKb() >> 10) + " MiB");
            // still serving: a good profile goes in and comes out
            Http.Reply in = c.http.post(
                    Fixtures.ingest("after-fuzz", "cpu", CollectorFuzz.T0, CollectorFuzz.T0 + 10_000, "", null),
                    Fixtures.gz(Fixtures.shop(3, 2, 1)));
            assertEquals(200, in.status(), in.text());
            Http.Reply fg = c.http.get(Http.query(
                    "/api/v1/flamegraph",
                    "service",
                    "after-fuzz",
                    "type",
                    "cpu",
                    "from",
                    CollectorFuzz.T0,
                    "until",
                    CollectorFuzz.T0 + 10_000));
            assertEquals(200, fg.status(), fg.text());
            assertEquals(6.0, Http.num(fg.json(), "total") / 10_000_000, 1e-9);
            assertTrue(c.process.isAlive());
        }
    }
}
