package dev.hearth.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.pprof.ProfileCodec;
import dev.hearth.pprof.proto.Profile;
import dev.hearth.pprof.proto.Sample;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two tenants send the same service name, labels keys and profile id; each sees only its own in
 * every query. A reused id with other content is a 409. Without tokens the tenant comes from the
 * X-Scope-OrgID header.
 */
class TenantsTest {
    static final long T0 = 1_700_000_000_000L;
    static final String A = TestTokens.newToken(), B = TestTokens.newToken();

    @TempDir
    static Path dir;

    static CollectorServer server;
    static Http a, b;

    @BeforeAll
    static void start() throws Exception {
        Path tokens = TestTokens.write(dir.resolve("tokens"), A + " alpha ingest,query", B + " beta ingest,query");
        server = CollectorServer.start(
                CollectorConfig.defaults(dir.resolve("data")).withPort(0), new SecurityConfig(tokens, null, null));
        a = new Http(server.port()).withToken(A);
        b = new Http(server.port()).withToken(B);
        // the same service and id in both tenants; alpha: 45 samples, beta: 16 samples with a function of its own
        assertStored(
                true,
                a.post(
                        Fixtures.ingest("shop", "cpu", T0, T0 + 10_000, "host=h1,secret=alpha-only", "same-id"),
                        Fixtures.gz(Fixtures.shop(30, 10, 5))));
        assertStored(
                true,
                b.post(
                        Fixtures.ingest("shop", "cpu", T0, T0 + 10_000, "host=h2,secret=beta-only", "same-id"),
                        Fixtures.gz(Fixtures.shopWithPrice(7, 9))));
        assertStored(
                true,
                b.post(
                        Fixtures.ingest("beta-service", "cpu", T0, T0 + 10_000, "", "other"),
                        Fixtures.gz(Fixtures.shop(1, 1, 1))));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static void assertStored(boolean stored, Http.Reply r) {
        assertEquals(200, r.status(), r.text());
        assertEquals(stored, r.json().get("stored"), r.text());
    }

    static Http.Reply get(Http h, String path, Object... params) throws Exception {
        Object[] all = new Object[params.length + 8];
        System.arraycopy(
                new Object[] {"service", "shop", "type", "cpu", "from", T0, "until", T0 + 60_000}, 0, all, 0, 8);
        System.arraycopy(params, 0, all, 8, params.length);
        Http.Reply r = h.get(Http.query(path, all));
        assertEquals(200, r.status(), r.text());
        return r;
    }

    @Test
    void servicesAndLabelValuesAreTheTenantsOwn() throws Exception {
        String sa = a.get("/api/v1/services").text(),
                sb = b.get("/api/v1/services").text();
        assertEquals("{\"services\":[{\"name\":\"shop\",\"types\":[\"cpu\"],\"labels\":[\"host\",\"secret\"]}]}", sa);
        assertTrue(sb.contains("\"beta-service\"") && sb.contains("\"shop\""), sb);
        assertEquals(
                List.of("alpha-only"),
                a.get("/api/v1/labels?service=shop&key=secret").json().get("values"));
        assertEquals(
                List.of("beta-only"),
                b.get("/api/v1/labels?service=shop&key=secret").json().get("values"));
        assertEquals(
                List.of(),
                a.get("/api/v1/labels?service=beta-service&key=host").json().get("values"));
    }

    @Test
    void flameGraphsAndLabelMatchersSeeOnlyTheTenantsProfiles() throws Exception {
        Map<String, Object> fa =
                get(a, "/api/v1/flamegraph", "value", "samples").json();
        Map<String, Object> fb =
                get(b, "/api/v1/flamegraph", "value", "samples").json();
        assertEquals(45, Http.num(fa, "total"));
        assertEquals(16, Http.num(fb, "total"));
        assertFalse(get(a, "/api/v1/flamegraph").text().contains("Shop.price"));
        assertEquals(
                0,
                Http.num(
                        get(a, "/api/v1/flamegraph", "labels", "secret=beta-only")
                                .json(),
                        "total"));
        assertEquals(
                0,
                Http.num(get(a, "/api/v1/flamegraph", "service", "beta-service").json(), "total"));
    }

    @Test
    void timelinesPprofAndDiffsSeeOnlyTheTenantsProfiles() throws Exception {
        long sum = 0;
        for (Object p : (List<?>) get(a, "/api/v1/timeline", "value", "samples", "step", 10_000)
                .json()
                .get("points")) {
            sum += ((Number) ((List<?>) p).get(1)).longValue();
        }
        assertEquals(45, sum);

        Profile p = ProfileCodec.decode(get(b, "/api/v1/pprof").body(), 1 << 20);
        assertEquals(
                16,
                p.getSampleList().stream()
                        .mapToLong((Sample s) -> s.getValue(0))
                        .sum());
        assertTrue(p.getStringTableList().contains("com.example.Shop.price"));
        Profile pa = ProfileCodec.decode(get(a, "/api/v1/pprof").body(), 1 << 20);
        assertFalse(pa.getStringTableList().contains("com.example.Shop.price"));

        // alpha compares its profile against beta's label set: the base side is empty for alpha
        Map<String, Object> d = get(
                        a,
                        "/api/v1/diff",
                        "value",
                        "samples",
                        "labels",
                        "secret=alpha-only",
                        "baseLabels",
                        "secret=beta-only")
                .json();
        assertEquals(45, Http.num(d, "total"));
        assertEquals(0, Http.num(d, "baseTotal"));
    }

    @Test
    void aReusedIdWithOtherContentIsAConflictAndTheSameContentIsAcknowledged() throws Exception {
        Http.Reply conflict = a.post(
                Fixtures.ingest("shop", "cpu", T0, T0 + 10_000, "host=h1,secret=alpha-only", "same-id"),
                Fixtures.gz(Fixtures.shop(31, 10, 5)));
        assertEquals(409, conflict.status(), conflict.text());
        assertTrue(String.valueOf(conflict.json().get("error")).contains("'same-id'"), conflict.text());
        assertStored(
                false,
                a.post(
                        Fixtures.ingest("shop", "cpu", T0, T0 + 10_000, "host=h1,secret=alpha-only", "same-id"),
                        Fixtures.gz(Fixtures.shop(30, 10, 5))));
        assertEquals(
                45,
                Http.num(get(a, "/api/v1/flamegraph", "value", "samples").json(), "total"),
                "nothing added by either");
    }

    @Test
    void withoutTokensTheTenantHeaderNamesTheTenant() throws Exception {
        try (CollectorServer open = CollectorServer.start(
                CollectorConfig.defaults(dir.resolve("open")).withPort(0))) {
            Http anonymous = new Http(open.port()), team = anonymous.withHeader("X-Scope-OrgID", "team-1");
            assertStored(
                    true,
                    team.post(
                            Fixtures.ingest("shop", "cpu", T0, T0 + 10_000, "", "x"),
                            Fixtures.gz(Fixtures.shop(1, 1, 1))));
            assertStored(
                    true,
                    anonymous.post(
                            Fixtures.ingest("shop", "cpu", T0, T0 + 10_000, "", "x"),
                            Fixtures.gz(Fixtures.shop(2, 2, 2))));
            assertEquals(
                    3,
                    Http.num(get(team, "/api/v1/flamegraph", "value", "samples").json(), "total"));
            assertEquals(
                    6,
                    Http.num(
                            get(anonymous, "/api/v1/flamegraph", "value", "samples")
                                    .json(),
                            "total"));
            assertEquals(
                    6,
                    Http.num(
                            get(
                                            anonymous.withHeader("X-Scope-OrgID", "anonymous"),
                                            "/api/v1/flamegraph",
                                            "value",
                                            "samples")
                                    .json(),
                            "total"));
            for (String bad : List.of("a|b", "../x", "", "x".repeat(65), "-x")) {
                Http.Reply r = anonymous.withHeader("X-Scope-OrgID", bad).get("/api/v1/services");
                assertEquals(400, r.status(), bad + ": " + r.text());
            }
        }
    }
}
