package dev.hearth.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections that never finish, too many connections, too many bodies at once, and requests no
 * HTTP client would send: each gets a JSON 4xx, or 503 with Retry-After for a limit, or is closed
 * when idle, and the collector keeps serving.
 */
class ConnectionLimitsTest {
    static final int TIMEOUT_MS = 1000;
    static final int MAX_CONNECTIONS = 6;
    static final long IN_FLIGHT = 1 << 20;

    @TempDir
    static Path dir;

    static TestCollector c;
    /** Host and the test collector's token: the limits hold for authenticated clients too. */
    static String H;

    @BeforeAll
    static void start() throws Exception {
        Duration t = Duration.ofMillis(TIMEOUT_MS);
        c = new TestCollector(CollectorConfig.defaults(dir)
                .withLimits(
                        CollectorLimits.defaults().withTimeouts(t, t, t).withConnections(MAX_CONNECTIONS, IN_FLIGHT)));
        H = "Host: x\r\nAuthorization: Bearer " + c.token + "\r\n";
    }

    @AfterAll
    static void stop() throws Exception {
        c.close();
    }

    static RawHttp.Answer rawAnswer(String request) throws Exception {
        try (RawHttp h = new RawHttp(c.server.port())) {
            RawHttp.Answer a = h.send(request).read(10_000);
            assertNotNull(a, "the collector closed the connection without an answer to: " + request);
            return a;
        }
    }

    static void jsonError(int status, RawHttp.Answer a) {
        assertEquals(status, a.status(), a.text());
        assertTrue(
                a.headers().get("content-type").startsWith("application/json"),
                a.headers().toString());
        assertNotNull(a.json().get("error"), a.text());
    }

    @Test
    void malformedEscapesGetA400() throws Exception {
        for (String target : new String[] {
            "/api/v1/flamegraph?service=a%ZZ&type=cpu", "/api/v1/services?x=%", "/api/v1/labels?%G1=2", "/%zz"
        }) {
            RawHttp.Answer a = rawAnswer("GET " + target + " HTTP/1.1\r\n" + H + "\r\n");
            jsonError(400, a);
        }
    }

    @Test
    void oddTargetsMethodsAndHeaders() throws Exception {
        jsonError(400, rawAnswer("GET * HTTP/1.1\r\n" + H + "\r\n"));
        jsonError(405, rawAnswer("OPTIONS * HTTP/1.1\r\n" + H + "\r\n"));
        assertEquals(
                200,
                rawAnswer("GET http://elsewhere/api/v1/services HTTP/1.1\r\n" + H + "\r\n")
                        .status(),
                "the absolute form is a path too");
        jsonError(400, rawAnswer("GET elsewhere:80 HTTP/1.1\r\n" + H + "\r\n"));
        // the absolute form is checked as the path it routes to: no token, no answer from the API
        assertEquals(
                401,
                rawAnswer("GET http://elsewhere/api/v1/services HTTP/1.1\r\nHost: x\r\n\r\n")
                        .status());
        jsonError(405, rawAnswer("BREW /api/v1/services HTTP/1.1\r\n" + H + "\r\n"));
        jsonError(405, rawAnswer("DELETE /api/v1/ingest HTTP/1.1\r\n" + H + "\r\n"));
        jsonError(400, rawAnswer("GET /api/v1/services HTTP/1.1\r\n" + H + "no colon here\r\n\r\n"));
        jsonError(
                400, rawAnswer("GET /api/v1/services HTTP/1.1\r\n" + H + "X-Long: " + "a".repeat(20_000) + "\r\n\r\n"));
        jsonError(
                400,
                rawAnswer("POST /api/v1/ingest?service=s&type=cpu HTTP/1.1\r\n" + H + "Content-Length: abc\r\n\r\n"));
        jsonError(400, rawAnswer("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\n" + H + "\r\n"));
        jsonError(400, rawAnswer("\u0001\u0002garbage\r\n\r\n"));
        assertEquals(200, c.http.get("/api/v1/services").status());
    }

    @Test
    void idleConnectionIsClosed() throws Exception {
        try (RawHttp h = new RawHttp(c.server.port())) {
            assertTrue(h.closedWithin(TIMEOUT_MS * 10), "an idle connection stays open");
        }
        try (RawHttp h = new RawHttp(c.server.port())) { // also after a first request on a kept-alive connection
            assertEquals(
                    200,
                    h.send("GET /api/v1/services HTTP/1.1\r\n" + H + "\r\n")
                            .read(10_000)
                            .status());
            assertTrue(h.closedWithin(TIMEOUT_MS * 10), "a kept-alive idle connection stays open");
        }
    }

    @Test
    void halfSentHeadersGet408() throws Exception {
        try (RawHttp h = new RawHttp(c.server.port())) {
            h.send("GET /api/v1/services HTTP/1.1\r\n" + H);
            // a header line now and then does not keep it open: the bound is on the whole header phase
            for (int i = 0; i < 3; i++) {
                Thread.sleep(TIMEOUT_MS / 3);
                h.send("X-" + i + ": y\r\n");
            }
            RawHttp.Answer a = h.read(TIMEOUT_MS * 10);
            jsonError(408, a);
            assertTrue(h.closedWithin(TIMEOUT_MS * 10));
        }
    }

    @Test
    void trickledBodyGets408() throws Exception {
        try (RawHttp h = new RawHttp(c.server.port())) {
            h.send("POST /api/v1/ingest?service=s&type=cpu HTTP/1.1\r\n" + H + "Content-Length: 1000\r\n\r\n");
            long t0 = System.nanoTime();
            RawHttp.Answer a = null;
            for (int i = 0; i < 50 && a == null; i++) { // a byte every 100 ms, far too slow
                try {
                    h.send("x");
                } catch (java.io.IOException closed) {
                    break;
                }
                Thread.sleep(100);
                if (System.nanoTime() - t0 > TIMEOUT_MS * 2_000_000L) break;
            }
            a = h.read(TIMEOUT_MS * 10);
            jsonError(408, a);
        }
    }

    @Test
    void connectionsOverTheLimitGet503() throws Exception {
        List<RawHttp> open = new ArrayList<>();
        try {
            // the other tests' connections may still be closing: open until one is refused
            RawHttp.Answer refused = null;
            for (int i = 0; i < MAX_CONNECTIONS + 5 && refused == null; i++) {
                RawHttp h = new RawHttp(c.server.port());
                open.add(h);
                h.send("GET /api/v1/services HTTP/1.1\r\n" + H + "\r\n");
                RawHttp.Answer a = h.read(10_000);
                if (a != null && a.status() == 503) refused = a;
            }
            assertNotNull(refused, "no connection was refused");
            jsonError(503, refused);
            assertNotNull(refused.headers().get("retry-after"));
            assertTrue(open.size() <= MAX_CONNECTIONS + 1, "refused only after " + open.size() + " connections");
        } finally {
            for (RawHttp h : open) h.close();
        }
        // the slots come back once connections close
        long deadline = System.nanoTime() + 10_000_000_000L;
        int status = 0;
        while (System.nanoTime() < deadline && status != 200) {
            status = c.http.get("/api/v1/services").status();
            if (status != 200) Thread.sleep(50);
        }
        assertEquals(200, status);
        PrometheusScrape m = PrometheusScrape.of(c.http);
        assertTrue(m.value("hearth_collector_limit_hits_total", "limit", "connections") >= 1);
        assertTrue(m.value("hearth_collector_rejected_requests_total", "status", "503", "reason", "connections") >= 1);
    }

    @Test
    void bodiesOverTheInFlightBudgetGet503WithRetryAfter() throws Exception {
        int each = (int) (IN_FLIGHT * 6 / 10);
        try (RawHttp first = new RawHttp(c.server.port());
                RawHttp second = new RawHttp(c.server.port())) {
            first.send(
                    "POST /api/v1/ingest?service=s&type=cpu HTTP/1.1\r\n" + H + "Content-Length: " + each + "\r\n\r\n");
            first.send(new byte[1000]); // holds its reservation while the rest of its body is awaited
            Thread.sleep(100);
            second.send(
                    "POST /api/v1/ingest?service=s&type=cpu HTTP/1.1\r\n" + H + "Content-Length: " + each + "\r\n\r\n");
            RawHttp.Answer a = second.read(10_000);
            jsonError(503, a);
            assertEquals("1", a.headers().get("retry-after"));
        }
        // once the first is gone, its reservation is released: a body fits again
        Thread.sleep(200);
        Http.Reply ok = c.http.post(
                Fixtures.ingest("s", "cpu", 1_700_000_000_000L, 1_700_000_010_000L, "", "fits"),
                Fixtures.gz(Fixtures.shop(1, 1, 1)));
        assertEquals(200, ok.status(), ok.text());
        assertTrue(PrometheusScrape.of(c.http).value("hearth_collector_limit_hits_total", "limit", "body_budget") >= 1);
    }
}
