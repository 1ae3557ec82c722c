package dev.hearth.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.collector.storage.ProfileConverter;
import dev.hearth.pprof.ProfileBuilder;
import dev.hearth.pprof.ProfileCodec;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.proto.Profile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests that used to pin workers, overflow arithmetic or the Java stack: each is answered,
 * quickly and correctly, and the collector keeps serving.
 */
class BoundedQueriesTest {
    static final long T0 = 1_700_000_000_000L;
    static final long BIG = 1L << 62;
    static final String EVIL_VALUE = "a".repeat(28) + "!";

    @TempDir
    static Path dir;

    static TestCollector c;

    @BeforeAll
    static void start() throws Exception {
        c = new TestCollector(dir.resolve("main"));
    }

    @AfterAll
    static void stop() throws Exception {
        c.close();
    }

    static Http.Reply ingest(TestCollector to, String service, String labels, String id, Profile p) throws Exception {
        return to.http.post(Fixtures.ingest(service, "cpu", T0, T0 + 10_000, labels, id), Fixtures.gz(p));
    }

    static String flamegraph(String service, Object... extra) {
        List<Object> params =
                new ArrayList<>(List.of("service", service, "type", "cpu", "from", T0, "until", T0 + 60_000));
        params.addAll(List.of(extra));
        return Http.query("/api/v1/flamegraph", params.toArray());
    }

    static void refused(int status, String fragment, Http.Reply r) {
        BadInputTest.refused(status, fragment, r);
    }

    @Test
    void catastrophicRegexAnswersAtOnceAndLeavesTheWorkersFree() throws Exception {
        assertEquals(
                200,
                ingest(c, "re", "k=" + EVIL_VALUE, "re1", Fixtures.shop(2, 1, 1))
                        .status());
        // java.util.regex backtracks through 2^28 ways on this value; RE2/J runs in time linear in it.
        // Two at once: with a backtracking engine both workers were pinned and nothing else was answered.
        String evil = flamegraph("re", "labels", "k=~((a+)+)+x");
        List<CompletableFuture<Http.Reply>> both = new ArrayList<>();
        for (int i = 0; i < 2; i++) both.add(CompletableFuture.supplyAsync(() -> get(evil)));
        for (CompletableFuture<Http.Reply> f : both) {
            Http.Reply r = f.get(60, TimeUnit.SECONDS);
            assertEquals(200, r.status(), r.text());
            assertEquals(0.0, Http.num(r.json(), "total"), "the regex does not match the value");
        }
        assertEquals(200, c.http.get("/api/v1/services").status());
        // RE2 semantics where they agree with the old engine: a full match selects the series
        Map<String, Object> hit =
                c.http.get(flamegraph("re", "labels", "k=~(a+)+!")).json();
        assertEquals(4.0 * 10_000_000, Http.num(hit, "total"));
        refused(400, "labels", c.http.get(flamegraph("re", "labels", "k=~a(?=b)"))); // lookahead: not RE2
    }

    private static Http.Reply get(String uri) {
        try {
            return c.http.get(uri);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void timelineWindowsAndStepsThatOverflowedAreRefusedBeforeAnyArithmetic() throws Exception {
        for (String[] p : new String[][] {
            {"-9000000000000000000", "9000000000000000000", null},
            {String.valueOf(T0), String.valueOf(T0 + 60_000), "9223372036854775807"},
            {"-9223372032859808513", "9223372036854775807", "1"},
            {String.valueOf(T0), "9223372036854775807", "86400000"},
            {"0", String.valueOf(T0), "1"}
        }) {
            Http.Reply r = c.http.get(Http.query(
                    "/api/v1/timeline", "service", "shop", "type", "cpu", "from", p[0], "until", p[1], "step", p[2]));
            assertEquals(400, r.status(), String.join(" ", p[0], p[1], String.valueOf(p[2])) + ": " + r.text());
            assertNotNull(r.json().get("error"));
        }
        // the bounds themselves still work: the whole allowed range in 10,000 steps
        long max = 253_402_300_799_999L;
        Http.Reply whole = c.http.get(Http.query(
                "/api/v1/timeline",
                "service",
                "shop",
                "type",
                "cpu",
                "from",
                0,
                "until",
                max,
                "step",
                max / 10_000 + 1));
        assertEquals(200, whole.status(), whole.text());
        assertEquals(10_000, ((List<?>) whole.json().get("points")).size());
        refused(400, "between 0 and", c.http.get(flamegraph("shop", "until", -5)));
    }

    @Test
    void deepStackIsCutOnTheRootSideAtIngestAndEveryViewAnswers() throws Exception {
        Http.Reply in = ingest(c, "deep", "", "deep1", Fixtures.deep(20_000, 5));
        assertEquals(200, in.status(), in.text());
        assertEquals(1.0, Http.num(in.json(), "truncatedStacks"));
        Map<String, Object> fg = c.http.get(flamegraph("deep")).json();
        List<String> chain = chain(fg);
        assertEquals(CollectorLimits.DEFAULT_MAX_STACK_DEPTH, chain.size());
        assertEquals(ProfileConverter.TRUNCATED, chain.get(0), "the cut frame stands where the root-side frames were");
        assertEquals("f0", chain.get(chain.size() - 1), "the leaf is kept");
        assertEquals("f" + (CollectorLimits.DEFAULT_MAX_STACK_DEPTH - 2), chain.get(1));
        assertEquals(5.0 * 10_000_000, Http.num(fg, "total"), "no value is lost by the cut");
        assertEquals(
                200,
                c.http.get(Http.query(
                                "/api/v1/diff",
                                "service",
                                "deep",
                                "type",
                                "cpu",
                                "from",
                                T0,
                                "until",
                                T0 + 60_000,
                                "baseFrom",
                                T0,
                                "baseUntil",
                                T0 + 60_000))
                        .status());
        assertEquals(
                200,
                c.http.get(Http.query(
                                "/api/v1/pprof", "service", "deep", "type", "cpu", "from", T0, "until", T0 + 60_000))
                        .status());
    }

    /** Stacks stored deeper than the Java stack allows (a raised limit, or data from before it): no view recurses. */
    @Test
    void treeCodeDoesNotRecurseWhateverDepthIsStored() throws Exception {
        try (TestCollector deepOk = new TestCollector(CollectorConfig.defaults(dir.resolve("deep"))
                .withLimits(CollectorLimits.defaults().withMaxStackDepth(100_000)))) {
            Http.Reply in = ingest(deepOk, "deep", "", "d", Fixtures.deep(20_000, 3));
            assertEquals(0.0, Http.num(in.json(), "truncatedStacks"));
            for (String uri : new String[] {
                flamegraph("deep"),
                flamegraph("deep", "maxNodes", 500),
                Http.query(
                        "/api/v1/diff",
                        "service",
                        "deep",
                        "type",
                        "cpu",
                        "from",
                        T0,
                        "until",
                        T0 + 60_000,
                        "baseFrom",
                        T0 - 1,
                        "baseUntil",
                        T0 + 1),
                Http.query("/api/v1/pprof", "service", "deep", "type", "cpu", "from", T0, "until", T0 + 60_000),
                Http.query(
                        "/api/v1/functions",
                        "service",
                        "deep",
                        "type",
                        "cpu",
                        "from",
                        T0,
                        "until",
                        T0 + 60_000,
                        "search",
                        "f1"),
                Http.query(
                        "/api/v1/sandwich",
                        "service",
                        "deep",
                        "type",
                        "cpu",
                        "from",
                        T0,
                        "until",
                        T0 + 60_000,
                        "function",
                        "f10000")
            }) {
                Http.Reply r = deepOk.http.get(uri);
                assertEquals(
                        200,
                        r.status(),
                        uri + ": "
                                + r.text().substring(0, Math.min(300, r.text().length())));
            }
            Http.Reply fg = deepOk.http.get(flamegraph("deep", "maxNodes", 100_000));
            assertEquals(20_000, deepChain(fg.text()), "the whole stored stack comes back");
            Profile back = ProfileCodec.decode(
                    deepOk.http
                            .get(Http.query(
                                    "/api/v1/pprof",
                                    "service",
                                    "deep",
                                    "type",
                                    "cpu",
                                    "from",
                                    T0,
                                    "until",
                                    T0 + 60_000))
                            .body(),
                    1 << 30);
            assertEquals(20_000, back.getSample(0).getLocationIdCount());
        }
    }

    @Test
    void negativeValuesAreRefusedAtIngest() throws Exception {
        Profile p = new ProfileBuilder(ProfileType.CPU)
                .period(10)
                .add(List.of(Fixtures.MAIN), new long[] {-3, 30}, Map.of())
                .build();
        refused(400, "negative", ingest(c, "neg", "", "n1", p));
        assertTrue(!c.http.get("/api/v1/services").text().contains("\"neg\""), "nothing of it was stored");
    }

    @Test
    void sumsSaturateInsteadOfTurningNegativeAndSaySo() throws Exception {
        // three samples of 2^62 in one profile (summed at ingest), and three such profiles (summed by the store)
        Profile three = new ProfileBuilder(ProfileType.CPU)
                .period(1)
                .add(List.of(Fixtures.HASH, Fixtures.MAIN), new long[] {BIG, BIG}, Map.of())
                .add(List.of(Fixtures.PRICE, Fixtures.MAIN), new long[] {BIG, BIG}, Map.of())
                .add(List.of(Fixtures.CHECKOUT, Fixtures.MAIN), new long[] {BIG, BIG}, Map.of())
                .build();
        assertEquals(200, ingest(c, "huge", "", "h1", three).status());
        Map<String, Object> fg = c.http.get(flamegraph("huge")).json();
        assertEquals(Long.MAX_VALUE, (long) Http.num(fg, "total"));
        assertEquals(Boolean.TRUE, fg.get("saturated"));
        Profile one = new ProfileBuilder(ProfileType.CPU)
                .period(1)
                .add(List.of(Fixtures.HASH, Fixtures.MAIN), new long[] {BIG, BIG}, Map.of())
                .build();
        for (int i = 0; i < 3; i++)
            assertEquals(200, ingest(c, "huge2", "", "h2-" + i, one).status());
        Map<String, Object> fg2 = c.http.get(flamegraph("huge2")).json();
        assertEquals(Long.MAX_VALUE, (long) Http.num(fg2, "total"));
        assertEquals(Boolean.TRUE, fg2.get("saturated"));
        Map<String, Object> tl = c.http.get(Http.query(
                        "/api/v1/timeline",
                        "service",
                        "huge2",
                        "type",
                        "cpu",
                        "from",
                        T0,
                        "until",
                        T0 + 60_000,
                        "step",
                        60_000))
                .json();
        assertEquals(Boolean.TRUE, tl.get("saturated"));
        @SuppressWarnings("unchecked")
        List<List<Number>> points = (List<List<Number>>) tl.get("points");
        assertEquals(Long.MAX_VALUE, points.get(0).get(1).longValue());
        Http.Reply pprof = c.http.get(
                Http.query("/api/v1/pprof", "service", "huge2", "type", "cpu", "from", T0, "until", T0 + 60_000));
        assertEquals(
                "true", pprof.raw().headers().firstValue("X-Hearth-Saturated").orElse(null));
        // small sums say they are exact
        assertEquals(200, ingest(c, "small", "", "s1", Fixtures.shop(1, 1, 1)).status());
        assertEquals(Boolean.FALSE, c.http.get(flamegraph("small")).json().get("saturated"));
        assertTrue(
                PrometheusScrape.of(c.http).value("hearth_collector_limit_hits_total", "limit", "sum_saturated") >= 4,
                "two flame graphs, a timeline and a pprof export saturated");
    }

    @Test
    void queryPastItsDeadlineIsCancelledAndAnswered503() throws Exception {
        try (TestCollector slow = new TestCollector(CollectorConfig.defaults(dir.resolve("slow"))
                .withQueues(1, 16)
                .withLimits(CollectorLimits.defaults().withQueryTimeout(java.time.Duration.ofMillis(1))))) {
            assertEquals(
                    200, ingest(slow, "wide", "", "w1", Fixtures.wide(20_000)).status());
            Http.Reply r = slow.http.get(flamegraph("wide"));
            assertEquals(503, r.status(), r.text());
            assertTrue(((String) r.json().get("error")).contains("deadline"), r.text());
            assertTrue(r.raw().headers().firstValue("Retry-After").isPresent());
            // read in-process: a scrape over HTTP would run against the same 1 ms deadline
            String text = new String(
                    slow.server.metrics().scrape("text/plain").body(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(text.contains("\nhearth_collector_limit_hits_total{limit=\"query_deadline\"} 1.0\n"), text);
            assertTrue(
                    text.contains(
                            "\nhearth_collector_rejected_requests_total{reason=\"query_deadline\",status=\"503\"} 1.0\n"),
                    text);
            // the single worker is free again: ingest (which has no deadline) is served
            assertEquals(
                    200, ingest(slow, "wide", "", "w2", Fixtures.shop(1, 1, 1)).status());
        }
    }

    /** Frame names from the root's only child down to the leaf of a single-stack flame graph. */
    @SuppressWarnings("unchecked")
    static List<String> chain(Map<String, Object> fg) {
        List<String> names = new ArrayList<>();
        Map<String, Object> n = (Map<String, Object>) fg.get("root");
        while (!((List<Object>) n.get("children")).isEmpty()) {
            assertEquals(1, ((List<Object>) n.get("children")).size());
            n = (Map<String, Object>) ((List<Object>) n.get("children")).get(0);
            names.add((String) n.get("name"));
        }
        return names;
    }

    /** Nesting depth of "children" arrays below the root in flame graph JSON, counted without parsing it recursively. */
    static int deepChain(String json) {
        int depth = 0, max = 0;
        for (int i = 0; i < json.length(); i++) {
            if (json.startsWith("\"children\":[", i)) max = Math.max(max, ++depth);
            else if (json.charAt(i) == ']') depth--;
        }
        return max - 1;
    }
}
