package dev.hearth.collector;

import static dev.hearth.collector.BadInputTest.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pyroscope's {@code POST /ingest} as its clients send it: names, times in s/ms/ns, formats, multipart, gzip, Basic auth. */
class PyroscopeIngestTest {
    static final long T0_S = 1_700_000_000L;
    static final long T0 = T0_S * 1000;
    static final String BOUNDARY = "hearth-test-boundary";

    @TempDir
    static java.nio.file.Path dir;

    static TestCollector c;

    @BeforeAll
    static void start() throws Exception {
        c = new TestCollector(dir.resolve("data"));
    }

    @AfterAll
    static void stop() throws Exception {
        c.close();
    }

    static Map<String, Object> flame(String service, String type, String value, long from, long until, String labels)
            throws Exception {
        Http.Reply r = c.http.get(Http.query(
                "/api/v1/flamegraph",
                "service",
                service,
                "type",
                type,
                "value",
                value,
                "from",
                from,
                "until",
                until,
                "labels",
                labels));
        assertEquals(200, r.status(), r.text());
        return r.json();
    }

    @Test
    void foldedInSecondsIsStoredAtThatTimeWithItsLabelsAndCpuTime() throws Exception {
        Http.Reply r = c.http.post(
                Http.query(
                        "/ingest",
                        "name",
                        "folded-shop.cpu{env=prod,region=eu}",
                        "from",
                        T0_S,
                        "until",
                        T0_S + 10,
                        "sampleRate",
                        100,
                        "spyName",
                        "gospy",
                        "units",
                        "samples",
                        "aggregationType",
                        "sum"),
                "main;checkout;hash 30\nmain;checkout 10\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.status(), r.text());
        Map<String, Object> samples = flame("folded-shop", "cpu", "samples", T0, T0 + 10_000, "env=prod,region=eu");
        assertEquals(40.0, Http.num(samples, "total"));
        assertEquals(
                30.0, Http.num(Http.child(Http.child(Http.child(root(samples), "main"), "checkout"), "hash"), "total"));
        // 100 Hz: 10 ms of cpu a sample, so the default value of the flame graph is not empty
        assertEquals(400_000_000.0, Http.num(flame("folded-shop", "cpu", "cpu", T0, T0 + 10_000, ""), "total"));
        assertEquals(
                List.of("gospy"),
                c.http.get(Http.query("/api/v1/labels", "service", "folded-shop", "key", "pyroscope_spy"))
                        .json()
                        .get("values"));
        assertEquals(
                0.0,
                Http.num(flame("folded-shop", "cpu", "samples", 0, 1_000_000_000L, ""), "total"),
                "stored in 1970");
    }

    @Test
    void linesAndGzipAndRelativeTimes() throws Exception {
        long now = System.currentTimeMillis();
        Http.Reply r = c.http.post(
                Http.query(
                        "/ingest",
                        "name",
                        "lines-shop.alloc_space",
                        "from",
                        "now-1h",
                        "until",
                        "now-59m",
                        "format",
                        "lines"),
                gzip("main;alloc\nmain;alloc\nmain\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, r.status(), r.text());
        Map<String, Object> g = flame("lines-shop", "alloc", "alloc_space", now - 3_700_000L, now - 3_500_000L, "");
        assertEquals(3.0, Http.num(g, "total"));
        assertEquals(
                0.0,
                Http.num(flame("lines-shop", "alloc", "alloc_space", now - 3_000_000L, now + 60_000, ""), "total"));
    }

    @Test
    void multipartPprofWithTheTypeFromItsSampleTypesAndTimesInNanoseconds() throws Exception {
        byte[] body = multipart(
                Map.of("profile", Fixtures.gz(Fixtures.shop(7, 2, 1)), "sample_type_config", "{}".getBytes()));
        Http.Reply r = c.http.withHeader("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .post(
                        Http.query(
                                "/ingest",
                                "name",
                                "go-shop{pod=a}",
                                "from",
                                T0 * 1_000_000L,
                                "until",
                                (T0 + 10_000) * 1_000_000L),
                        body);
        assertEquals(200, r.status(), r.text());
        assertEquals(10.0, Http.num(flame("go-shop", "cpu", "samples", T0, T0 + 10_000, "pod=a"), "total"));
        refused(
                400,
                "no 'profile' part",
                c.http.withHeader("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                        .post(
                                Http.query("/ingest", "name", "go-shop", "format", "pprof"),
                                multipart(Map.of("other", new byte[] {1}))));
        refused(
                400,
                "no 'jfr' part",
                c.http.withHeader("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                        .post(
                                Http.query("/ingest", "name", "go-shop", "format", "jfr"),
                                multipart(Map.of("labels", new byte[] {1}))));
    }

    @Test
    void basicAuthTakesTheTokenAsPasswordAndTheUserAsTenant() throws Exception {
        Http anon = c.http.withToken(null);
        byte[] folded = "main 1\n".getBytes();
        String ok = Http.query("/ingest", "name", "basic-shop", "from", T0_S, "until", T0_S + 10);
        assertEquals(
                200,
                anon.withHeader("Authorization", basic(TestTokens.TENANT, c.token))
                        .post(ok, folded)
                        .status());
        assertEquals(
                200,
                anon.withHeader("Authorization", basic("", c.token))
                        .post(ok, folded)
                        .status());
        assertEquals(
                401,
                anon.withHeader("Authorization", basic(TestTokens.TENANT, "wrong"))
                        .post(ok, folded)
                        .status());
        assertEquals(
                403,
                anon.withHeader("Authorization", basic("other-tenant", c.token))
                        .post(ok, folded)
                        .status());
        assertEquals(
                401,
                anon.withHeader("Authorization", "Basic %%%").post(ok, folded).status());
        assertEquals(401, anon.post(ok, folded).status());
        assertEquals(2.0, Http.num(flame("basic-shop", "cpu", "samples", T0, T0 + 10_000, ""), "total"));
    }

    @Test
    void badRequestsAreRefusedClearly() throws Exception {
        long before = c.count("profiles");
        byte[] folded = "main 1\n".getBytes();
        refused(400, "name", c.http.post(Http.query("/ingest", "from", T0_S), folded));
        refused(400, "name", c.http.post(Http.query("/ingest", "name", "shop{env=prod"), folded));
        refused(
                400,
                "does not store 'inuse_space'",
                c.http.post(Http.query("/ingest", "name", "shop.inuse_space"), folded));
        refused(400, "from", c.http.post(Http.query("/ingest", "name", "shop", "from", "yesterday"), folded));
        refused(400, "format 'trie'", c.http.post(Http.query("/ingest", "name", "shop", "format", "trie"), folded));
        refused(400, "sampleRate", c.http.post(Http.query("/ingest", "name", "shop", "sampleRate", 0), folded));
        refused(400, "spyName", c.http.post(Http.query("/ingest", "name", "shop", "spyName", "a b"), folded));
        refused(
                400,
                "does not end with a count",
                c.http.post(Http.query("/ingest", "name", "shop"), "main;x\n".getBytes()));
        refused(400, "empty body", c.http.post(Http.query("/ingest", "name", "shop"), new byte[0]));
        refused(
                400,
                "multipart",
                c.http.withHeader("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                        .post(
                                Http.query("/ingest", "name", "shop", "format", "pprof"),
                                "not multipart at all".getBytes()));
        byte[] bomb = gzip(new byte[80 << 20]); // expands past the collector's decompression limit
        refused(
                400,
                "limit",
                c.http.withHeader("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                        .post(Http.query("/ingest", "name", "shop", "format", "pprof"), bomb));
        refused(405, "takes POST", c.http.get(Http.query("/ingest", "name", "shop")));
        assertEquals(before, c.count("profiles"));
    }

    @Test
    void ourIngestTakesFoldedAndRefusesTimesThatAreNotMilliseconds() throws Exception {
        Http.Reply r = c.http.post(
                Http.query(
                        "/api/v1/ingest",
                        "service",
                        "record-shop",
                        "type",
                        "cpu",
                        "format",
                        "folded",
                        "hz",
                        100,
                        "from",
                        T0,
                        "until",
                        T0 + 10_000),
                "java;main;spin 5\njava;main 1\n".getBytes());
        assertEquals(200, r.status(), r.text());
        assertEquals(6.0, Http.num(flame("record-shop", "cpu", "samples", T0, T0 + 10_000, ""), "total"));
        assertEquals(60_000_000.0, Http.num(flame("record-shop", "cpu", "cpu", T0, T0 + 10_000, ""), "total"));
        byte[] gz = Fixtures.gz(Fixtures.shop(1, 1, 1));
        refused(400, "looks like seconds", c.http.post(Fixtures.ingest("shop", "cpu", T0_S, T0_S + 10, "", "sec"), gz));
        refused(
                400,
                "looks like micro- or nanoseconds",
                c.http.post(Fixtures.ingest("shop", "cpu", T0 * 1_000_000L, (T0 + 1) * 1_000_000L, "", "ns"), gz));
        refused(
                400,
                "hz",
                c.http.post(
                        Http.query(
                                "/api/v1/ingest",
                                "service",
                                "s",
                                "type",
                                "cpu",
                                "format",
                                "folded",
                                "hz",
                                -1,
                                "from",
                                T0,
                                "until",
                                T0 + 1),
                        "a 1\n".getBytes()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> root(Map<String, Object> graph) {
        return (Map<String, Object>) graph.get("root");
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static byte[] multipart(Map<String, byte[]> parts) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> p : parts.entrySet()) {
            out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + p.getKey() + "\"; filename=\""
                            + p.getKey() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(p.getValue());
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }
}
