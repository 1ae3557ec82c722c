package dev.hearth.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.ProfileBuilder;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.StackFrame;
import dev.hearth.pprof.proto.Profile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the UI reads from the full merge: the function table and a search's share
 * (/api/v1/functions), one function's callers and callees (/api/v1/sandwich), and each service's
 * volume in a window (/api/v1/services?from=&until=); and their bounds.
 */
class FunctionQueriesTest {
    static final long T0 = 1_700_000_000_000L;
    static final long NS = 10_000_000L;
    static final int PLUGINS = 3000;

    @TempDir
    static Path dir;

    static TestCollector c;

    @BeforeAll
    static void start() throws Exception {
        c = new TestCollector(dir);
        post("wide", wide(), "w1");
        post("shop", Fixtures.shop(50, 30, 20), "s1"); // 100 samples
        post("tiny", Fixtures.shop(1, 0, 0), "t1");
    }

    static void post(String service, Profile p, String id) throws Exception {
        Http.Reply r = c.http.post(Fixtures.ingest(service, "cpu", T0, T0 + 10_000, "", id), Fixtures.gz(p));
        assertEquals(200, r.status(), r.text());
    }

    /** A hot loop and many one-sample plugins, some seen in other JIT tiers: more nodes than a flame graph keeps. */
    static Profile wide() {
        ProfileBuilder b = new ProfileBuilder(ProfileType.CPU).period(NS);
        StackFrame run = new StackFrame("Plugins.run", FrameKind.JIT, "", 0, "", "");
        b.add(
                List.of(new StackFrame("Hot.loop", FrameKind.JIT, "", 0, "", ""), run, Fixtures.MAIN),
                new long[] {1000, 1000 * NS},
                Map.of());
        for (int i = 0; i < PLUGINS; i++) {
            FrameKind tier = i % 3 == 0 ? FrameKind.JIT : i % 3 == 1 ? FrameKind.C1 : FrameKind.INTERPRETED;
            b.add(
                    List.of(new StackFrame("Plugin" + (i % 1000) + ".call", tier, "", 0, "", ""), run, Fixtures.MAIN),
                    new long[] {1, NS},
                    Map.of());
        }
        return b.build();
    }

    static Http.Reply get(String path, Object... params) throws Exception {
        List<Object> all = new ArrayList<>(List.of("type", "cpu", "from", T0, "until", T0 + 60_000));
        all.addAll(List.of(params));
        return c.http.get(Http.query(path, all.toArray()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> rows(Map<String, Object> body) {
        Map<String, Map<String, Object>> out = new java.util.HashMap<>();
        for (Object o : (List<Object>) body.get("functions"))
            out.put((String) ((Map<String, Object>) o).get("name"), (Map<String, Object>) o);
        return out;
    }

    @Test
    void theTableCountsEveryFunctionWhereTheGraphFoldsAndOneRowPerTier() throws Exception {
        Map<String, Object> graph =
                get("/api/v1/flamegraph", "service", "wide", "maxNodes", 100).json();
        assertTrue(
                graph.toString().contains("\"other\"") || graph.toString().contains("name=other"),
                "the graph folds at 100 nodes");
        Http.Reply r = get("/api/v1/functions", "service", "wide", "limit", 5000);
        assertEquals(200, r.status(), r.text());
        Map<String, Object> body = r.json();
        assertEquals((1000.0 + PLUGINS) * NS, Http.num(body, "total"));
        assertEquals(
                1 + 1 + 1 + 1000, Http.num(body, "count"), "main, run, the loop, 1000 plugins: tiers are not rows");
        Map<String, Map<String, Object>> rows = rows(body);
        assertFalse(rows.containsKey("other"));
        assertEquals(3.0 * NS, Http.num(rows.get("Plugin0.call"), "self"), "three call sites, one in each tier");
        assertEquals(
                List.of("jit", "c1", "interpreted"), rows.get("Plugin0.call").get("kinds"));
        assertEquals((1000.0 + PLUGINS) * NS, Http.num(rows.get("Plugins.run"), "total"));
        // the default limit keeps the heaviest by self and by total
        assertTrue(((List<?>) get("/api/v1/functions", "service", "wide", "limit", 10)
                                .json()
                                .get("functions"))
                        .size()
                <= 20);
    }

    @Test
    void aSearchShareCountsTheFoldedFramesToo() throws Exception {
        Map<String, Object> sub = get("/api/v1/functions", "service", "wide", "search", "CALL", "limit", 1)
                .json();
        assertEquals((double) PLUGINS * NS, Http.num(sub, "matched"), "case-insensitive substring");
        Map<String, Object> re = get(
                        "/api/v1/functions",
                        "service",
                        "wide",
                        "search",
                        "^Plugin1\\d\\.call$",
                        "regex",
                        "true",
                        "limit",
                        1)
                .json();
        assertEquals(30.0 * NS, Http.num(re, "matched"), "Plugin10..19, three samples each");
    }

    @Test
    void aDiffTableCarriesTheBaseline() throws Exception {
        Map<String, Object> body = get("/api/v1/functions", "service", "shop", "baseFrom", T0 - 60_000, "baseUntil", T0)
                .json();
        assertEquals(100.0 * NS, Http.num(body, "total"));
        assertEquals(0.0, Http.num(body, "baseTotal"), "nothing before T0");
        assertEquals(0.0, Http.num(rows(body).get("com.example.Shop.hash"), "baseTotal"));
    }

    @Test
    void theSandwichMergesCallSitesFromTheFullMerge() throws Exception {
        Http.Reply r = get("/api/v1/sandwich", "service", "shop", "function", "com.example.Shop.checkout");
        assertEquals(200, r.status(), r.text());
        @SuppressWarnings("unchecked")
        Map<String, Object> callers =
                (Map<String, Object>) ((Map<String, Object>) r.json().get("callers")).get("root");
        @SuppressWarnings("unchecked")
        Map<String, Object> callees =
                (Map<String, Object>) ((Map<String, Object>) r.json().get("callees")).get("root");
        assertEquals(80.0 * NS, Http.num(callers, "total"));
        assertEquals(80.0 * NS, Http.num(Http.child(callers, "com.example.Shop.main"), "total"));
        assertEquals(50.0 * NS, Http.num(Http.child(callees, "com.example.Shop.hash"), "total"));
        assertEquals(30.0 * NS, Http.num(Http.child(callees, "__memmove_avx_unaligned_erms"), "total"));
    }

    @Test
    void servicesCarryTheirVolumeInTheWindow() throws Exception {
        Http.Reply r = c.http.get(Http.query("/api/v1/services", "from", T0, "until", T0 + 60_000));
        assertEquals(200, r.status(), r.text());
        Map<String, Double> cpu = new java.util.HashMap<>();
        for (Object o : (List<?>) r.json().get("services")) {
            Map<?, ?> s = (Map<?, ?>) o;
            Map<?, ?> v = (Map<?, ?>) ((Map<?, ?>) s.get("volume")).get("cpu");
            assertEquals("nanoseconds", v.get("unit"));
            cpu.put((String) s.get("name"), ((Number) v.get("total")).doubleValue());
        }
        assertEquals(Map.of("wide", (1000.0 + PLUGINS) * NS, "shop", 100.0 * NS, "tiny", 1.0 * NS), cpu);
        Map<?, ?> later = c.http.get(Http.query("/api/v1/services", "from", T0 + 60_000, "until", T0 + 120_000))
                .json();
        assertTrue(later.toString().contains("total=0"), "listed, with nothing in a later window: " + later);
        assertFalse(c.http.get("/api/v1/services").text().contains("volume"), "without a window, the plain list");
    }

    @Test
    void everyNewParameterIsBounded() throws Exception {
        BadInputTest.refused(400, "limit", get("/api/v1/functions", "service", "wide", "limit", 0));
        BadInputTest.refused(400, "limit", get("/api/v1/functions", "service", "wide", "limit", 1_000_000));
        BadInputTest.refused(400, "search", get("/api/v1/functions", "service", "wide", "search", "a".repeat(1025)));
        BadInputTest.refused(
                400, "bad regex", get("/api/v1/functions", "service", "wide", "search", "a(?=b)", "regex", "true"));
        BadInputTest.refused(400, "function", get("/api/v1/sandwich", "service", "shop"));
        BadInputTest.refused(
                400, "maxNodes", get("/api/v1/sandwich", "service", "shop", "function", "x", "maxNodes", 1));
        BadInputTest.refused(
                400, "baseFrom", get("/api/v1/functions", "service", "shop", "baseFrom", T0, "baseUntil", T0 - 1));
        BadInputTest.refused(400, "from", c.http.get(Http.query("/api/v1/services", "from", -5)));
        assertEquals(
                405,
                c.http.post(Http.query("/api/v1/functions", "service", "shop", "type", "cpu"), new byte[0])
                        .status());
        // a backtracking pattern runs on RE2: answered at once
        assertEquals(
                200,
                get("/api/v1/functions", "service", "wide", "search", "((a+)+)+x", "regex", "true", "limit", 1)
                        .status());
    }
}
