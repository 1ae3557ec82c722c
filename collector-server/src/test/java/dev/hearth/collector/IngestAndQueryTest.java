package dev.hearth.collector;

import static dev.hearth.collector.Http.child;
import static dev.hearth.collector.Http.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Profiles go in over HTTP and come back merged, filtered and windowed. On every store. */
@ParameterizedClass
@EnumSource(TestStore.class)
class IngestAndQueryTest {
    /** The store of this run of the class. */
    @Parameter
    TestStore store;

    static final long T0 = 1_700_000_000_000L;
    static final long NS = 10_000_000L;

    @TempDir
    static Path dir;

    static TestCollector c;

    @BeforeParameterizedClassInvocation
    static void start(TestStore store) throws Exception {
        c = new TestCollector(dir.resolve(store.name()), store);
        // two hosts, version 1; ten seconds each, the second host's profile ten seconds later
        ingestOk("shop", T0, T0 + 10_000, "host=a,version=1,pid=7", "p1", Fixtures.shop(30, 10, 5));
        ingestOk("shop", T0 + 10_000, T0 + 20_000, "host=b,version=1", "p2", Fixtures.shop(3, 1, 1));
        ingestOk("cart", T0, T0 + 10_000, "host=a", "p3", Fixtures.shop(1, 1, 1));
    }

    @AfterParameterizedClassInvocation
    static void stop() throws Exception {
        c.close();
    }

    static void ingestOk(
            String service, long from, long until, String labels, String id, dev.hearth.pprof.proto.Profile p)
            throws Exception {
        Http.Reply r = c.http.post(Fixtures.ingest(service, "cpu", from, until, labels, id), Fixtures.gz(p));
        assertEquals(200, r.status(), r.text());
    }

    static Map<String, Object> flame(Object... extra) throws Exception {
        Object[] params = new Object[8 + extra.length];
        System.arraycopy(
                new Object[] {"service", "shop", "type", "cpu", "from", T0, "until", T0 + 60_000}, 0, params, 0, 8);
        System.arraycopy(extra, 0, params, 8, extra.length);
        Http.Reply r = c.http.get(Http.query("/api/v1/flamegraph", params));
        assertEquals(200, r.status(), r.text());
        return r.json();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> root(Map<String, Object> fg) {
        return (Map<String, Object>) fg.get("root");
    }

    @Test
    void mergesEveryMatchingProfileWithKindsAndUnits() throws Exception {
        Map<String, Object> fg = flame();
        assertEquals("nanoseconds", fg.get("unit"));
        assertEquals(50 * NS, num(fg, "total"));
        Map<String, Object> root = root(fg);
        assertEquals("shop", root.get("name"));
        Map<String, Object> main = child(root, "com.example.Shop.main");
        assertEquals("interpreted", main.get("kind"));
        assertEquals(50 * NS, num(main, "total"));
        assertEquals(6 * NS, num(main, "self"));
        Map<String, Object> checkout = child(main, "com.example.Shop.checkout");
        assertEquals("jit", checkout.get("kind"));
        Map<String, Object> hash = child(checkout, "com.example.Shop.hash");
        assertEquals("inlined", hash.get("kind"));
        assertEquals(33 * NS, num(hash, "self"));
        Map<String, Object> syscall = child(child(checkout, "__memmove_avx_unaligned_erms"), "do_syscall_64");
        assertEquals("kernel", syscall.get("kind"));
        assertEquals(11 * NS, num(syscall, "total"));
    }

    @Test
    void otherValueOfTheTypeOnRequest() throws Exception {
        Map<String, Object> fg = flame("value", "samples");
        assertEquals("count", fg.get("unit"));
        assertEquals(50, num(fg, "total"));
        assertEquals(
                400,
                c.http.get(Http.query("/api/v1/flamegraph", "service", "shop", "type", "cpu", "value", "bytes"))
                        .status());
    }

    @Test
    void labelMatchersSelectProfiles() throws Exception {
        assertEquals(45 * NS, num(flame("labels", "host=a"), "total"));
        assertEquals(5 * NS, num(flame("labels", "host!=a"), "total"));
        assertEquals(50 * NS, num(flame("labels", "host=~a|b,version=1"), "total"));
        assertEquals(5 * NS, num(flame("labels", "host!~a"), "total"));
        assertEquals(45 * NS, num(flame("labels", "pid=7"), "total"));
        assertEquals(0, num(flame("labels", "version=2"), "total"));
    }

    @Test
    void windowSelectsOverlappingProfiles() throws Exception {
        // [T0+5s, T0+10s) overlaps only the first profile; [T0+10s, …) only the second
        Map<String, Object> first = c.http.get(Http.query(
                        "/api/v1/flamegraph",
                        "service",
                        "shop",
                        "type",
                        "cpu",
                        "from",
                        T0 + 5_000,
                        "until",
                        T0 + 10_000))
                .json();
        assertEquals(45 * NS, num(first, "total"));
        Map<String, Object> second = c.http.get(Http.query(
                        "/api/v1/flamegraph",
                        "service",
                        "shop",
                        "type",
                        "cpu",
                        "from",
                        T0 + 10_000,
                        "until",
                        T0 + 30_000))
                .json();
        assertEquals(5 * NS, num(second, "total"));
        Map<String, Object> none = c.http.get(Http.query(
                        "/api/v1/flamegraph", "service", "shop", "type", "cpu", "from", T0 - 60_000, "until", T0))
                .json();
        assertEquals(0, num(none, "total"));
        assertTrue(((List<?>) root(none).get("children")).isEmpty());
    }

    @Test
    void anIdAlreadyStoredIsAcknowledgedAndNotCountedTwice() throws Exception {
        Http.Reply again = c.http.post(
                Fixtures.ingest("shop", "cpu", T0, T0 + 10_000, "host=a,version=1,pid=7", "p1"),
                Fixtures.gz(Fixtures.shop(30, 10, 5)));
        assertEquals(200, again.status(), again.text());
        assertEquals(Boolean.FALSE, again.json().get("stored"));
        assertEquals(50 * NS, num(flame(), "total"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void servicesListTypesAndLabelKeys() throws Exception {
        Map<String, Object> s = c.http.get("/api/v1/services").json();
        List<Map<String, Object>> services = (List<Map<String, Object>>) s.get("services");
        Map<String, Object> shop = services.stream()
                .filter(m -> m.get("name").equals("shop"))
                .findFirst()
                .orElseThrow();
        assertEquals(List.of("cpu"), shop.get("types"));
        assertEquals(List.of("host", "pid", "version"), shop.get("labels"));
        assertEquals(
                Map.of("values", List.of("a", "b")),
                c.http.get(Http.query("/api/v1/labels", "service", "shop", "key", "host"))
                        .json());
        assertEquals(
                Map.of("values", List.of()),
                c.http.get(Http.query("/api/v1/labels", "service", "shop", "key", "zone"))
                        .json());
    }

    @Test
    void timeFromTheProfileWhenTheRequestHasNone() throws Exception {
        long start = T0 + 3_600_000;
        var p = Fixtures.shop(2, 0, 0).toBuilder()
                .setTimeNanos(start * 1_000_000L)
                .setDurationNanos(10_000_000_000L)
                .build();
        Http.Reply r = c.http.post(Http.query("/api/v1/ingest", "service", "clock", "type", "cpu"), Fixtures.gz(p));
        assertEquals(200, r.status(), r.text());
        Map<String, Object> fg = c.http.get(Http.query(
                        "/api/v1/flamegraph",
                        "service",
                        "clock",
                        "type",
                        "cpu",
                        "from",
                        start + 9_000,
                        "until",
                        start + 9_500))
                .json();
        assertEquals(2 * NS, num(fg, "total"));
    }

    @Test
    void servesTheUi() throws Exception {
        Http.Reply index = c.http.get("/");
        assertEquals(200, index.status());
        assertEquals(
                "text/html; charset=utf-8",
                index.raw().headers().firstValue("Content-Type").orElseThrow());
        assertTrue(index.text().contains("<title>Hearth</title>"), index.text());
        Http.Reply js = c.http.get("/js/main.js");
        assertEquals(200, js.status());
        assertEquals(
                "text/javascript; charset=utf-8",
                js.raw().headers().firstValue("Content-Type").orElseThrow());
        assertEquals(200, c.http.get("/hearth-ui/style.css").status());
    }

    @Test
    void saysNotFoundInJson() throws Exception {
        Http.Reply r = c.http.get("/no-such-file.js");
        assertEquals(404, r.status());
        assertNotNull(r.json().get("error"));
        assertEquals(404, c.http.get("/api/v1/nothing").status());
        assertNull(c.http.get("/api/v1/services")
                .raw()
                .headers()
                .firstValue("Retry-After")
                .orElse(null));
    }

    /** JSON is gzipped for a client that accepts it and reads back the same; a pprof export, gzipped already, is not gzipped twice. */
    @Test
    void gzipsJsonAnswersWhenAccepted() throws Exception {
        String timeline = Http.query(
                "/api/v1/timeline", "service", "shop", "type", "cpu", "from", T0, "until", T0 + 60_000, "step", 100);
        Http.Reply plain = c.http.get(timeline);
        Http.Reply gzipped = c.http.withHeader("Accept-Encoding", "gzip").get(timeline);
        assertEquals(200, gzipped.status());
        assertTrue(plain.body().length > 1024, "an answer worth compressing: " + plain.body().length + " bytes");
        assertNull(plain.raw().headers().firstValue("Content-Encoding").orElse(null));
        assertEquals(
                "gzip", gzipped.raw().headers().firstValue("Content-Encoding").orElse(null));
        byte[] unzipped;
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.body()))) {
            unzipped = in.readAllBytes();
        }
        assertTrue(
                gzipped.body().length < plain.body().length / 4,
                gzipped.body().length + " of " + plain.body().length + " bytes");
        assertEquals(plain.text(), new String(unzipped, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(600, ((List<?>) Http.json(plain.text()).get("points")).size());

        Http.Reply pprof = c.http.withHeader("Accept-Encoding", "gzip")
                .get(Http.query("/api/v1/pprof", "service", "shop", "type", "cpu", "from", T0, "until", T0 + 60_000));
        assertEquals(200, pprof.status());
        assertNull(
                pprof.raw().headers().firstValue("Content-Encoding").orElse(null), "a gzipped pprof is sent as it is");
        assertTrue(dev.hearth.pprof.Gunzip.isGzip(pprof.body()));
    }

    /** Names are the profiled process's choice: quotes, backslashes, control characters, markup and any script come back exactly. */
    @Test
    void framesNamedAnyWayComeBackExactly() throws Exception {
        List<String> names = List.of("say \"hi\"", "back\\slash", "tab\there", "bell\u0007", "</script><b>", "日本語🔥");
        String folded = "odd;" + String.join(";", names) + " 5\n";
        Http.Reply r = c.http.post(
                Fixtures.ingest("odd", "cpu", T0, T0 + 10_000, "", "odd-1") + "&format=folded",
                folded.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(200, r.status(), r.text());
        Map<String, Object> node = root(c.http.get(Http.query(
                        "/api/v1/flamegraph", "service", "odd", "type", "cpu", "from", T0, "until", T0 + 60_000))
                .json());
        node = child(node, "odd");
        for (String name : names) {
            node = child(node, name);
            assertNotNull(node, name + " is not where it was sent");
        }
        assertEquals(5 * 1_000_000_000L / 99, (long) num(node, "total"));
    }
}
