package dev.hearth.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /metrics of a real collector process with tokens, read with the Prometheus client's own
 * exposition model: it needs a query token, and its counters move with what the collector was
 * really asked (a fresh process, so every count is known exactly).
 */
class CollectorMetricsTest {
    @TempDir
    Path dir;

    @Test
    void countsIngestsRejectsLimitsAndQueriesBehindTheQueryScope() throws Exception {
        String full = TestTokens.newToken(), ingestOnly = TestTokens.newToken();
        Path tokens = TestTokens.write(
                dir.resolve("tokens"),
                full + " " + TestTokens.TENANT + " ingest,query",
                ingestOnly + " " + TestTokens.TENANT + " ingest");
        try (CollectorProcess c =
                CollectorProcess.start(dir.resolve("data"), "--tokens", tokens.toString(), "--max-stack-depth", "16")) {
            Http http = c.http.withToken(full);
            assertEquals(401, c.http.get("/metrics").status(), "no token, no metrics");
            assertEquals(
                    403, c.http.withToken(ingestOnly).get("/metrics").status(), "an ingest token may not read them");

            long now = System.currentTimeMillis();
            byte[] shop = Fixtures.gz(Fixtures.shop(3, 2, 1));
            byte[] deep = Fixtures.gz(Fixtures.deep(40, 5));
            byte[] garbage = "not a profile".getBytes(StandardCharsets.UTF_8);
            assertEquals(
                    200,
                    http.post(Fixtures.ingest("shop", "cpu", now - 10_000, now, "", "a"), shop)
                            .status());
            Http.Reply d = http.post(Fixtures.ingest("deep", "cpu", now - 10_000, now, "", "b"), deep);
            assertEquals(200, d.status(), d.text());
            long truncated = ((Number) d.json().get("truncatedStacks")).longValue();
            assertTrue(truncated > 0, d.text());
            assertEquals(
                    400,
                    http.post(Fixtures.ingest("shop", "cpu", now - 10_000, now, "", "c"), garbage)
                            .status());
            for (int i = 0; i < 2; i++) {
                assertEquals(
                        200,
                        http.get(Http.query(
                                        "/api/v1/flamegraph",
                                        "service",
                                        "shop",
                                        "type",
                                        "cpu",
                                        "from",
                                        now - 60_000,
                                        "until",
                                        now + 1))
                                .status());
            }
            assertEquals(404, http.get("/api/v1/nothing").status());

            PrometheusScrape m = PrometheusScrape.of(http);
            assertEquals(2, m.value("hearth_collector_ingest_requests_total", "format", "pprof", "result", "stored"));
            assertEquals(
                    shop.length + deep.length,
                    m.value("hearth_collector_ingest_bytes_total", "format", "pprof", "result", "stored"),
                    "bytes as sent");
            assertEquals(1, m.value("hearth_collector_ingest_requests_total", "format", "pprof", "result", "rejected"));
            assertEquals(
                    garbage.length,
                    m.value("hearth_collector_ingest_bytes_total", "format", "pprof", "result", "rejected"));
            assertEquals(
                    1, m.value("hearth_collector_rejected_requests_total", "status", "400", "reason", "bad_request"));
            assertEquals(
                    1,
                    m.value("hearth_collector_rejected_requests_total", "status", "401", "reason", "unauthenticated"));
            assertEquals(
                    1, m.value("hearth_collector_rejected_requests_total", "status", "403", "reason", "forbidden"));
            assertEquals(
                    1, m.value("hearth_collector_rejected_requests_total", "status", "404", "reason", "not_found"));
            assertEquals(truncated, m.value("hearth_collector_limit_hits_total", "limit", "stack_depth"));
            assertEquals(
                    0,
                    m.value("hearth_collector_limit_hits_total", "limit", "connections"),
                    "every limit is served, hit or not");
            assertEquals(2, m.observations("hearth_collector_query_seconds", "endpoint", "flamegraph"));
            assertEquals(0, m.observations("hearth_collector_query_seconds", "endpoint", "diff"));
            assertEquals(0, m.value("hearth_collector_queue_depth", "queue", "write"), "idle");
            assertTrue(m.series("hearth_collector_queue_depth", "queue", "work").isPresent());
            assertTrue(m.value("hearth_collector_store_bytes") > 0);
            assertEquals(2, m.value("hearth_collector_store_rows", "table", "profiles"));
            assertTrue(m.value("hearth_collector_store_rows", "table", "samples") >= 4);
            assertEquals(
                    0,
                    m.value("hearth_collector_retention_runs_total", "result", "ok"),
                    "the first pass is a minute after start");
            assertTrue(m.series("hearth_collector_downsampling_runs_total", "result", "ok")
                    .isPresent());
            assertTrue(m.text.contains("# TYPE hearth_collector_query_seconds histogram\n"), m.text);
            assertTrue(
                    m.text.contains("hearth_collector_query_seconds_bucket{endpoint=\"flamegraph\",le=\"+Inf\"} 2\n"),
                    m.text);

            assertEquals(405, http.post("/metrics", new byte[0]).status());
        }
    }
}
