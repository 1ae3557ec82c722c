package dev.hearth.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.pprof.proto.Location;
import dev.hearth.pprof.proto.Profile;
import dev.hearth.pprof.proto.Sample;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Every kind of bad input gets a clear 4xx, stores nothing, and the server keeps serving. On every store. */
@ParameterizedClass
@EnumSource(TestStore.class)
class BadInputTest {
    /** The store of this run of the class. */
    @Parameter
    TestStore store;

    static final long T0 = 1_700_000_000_000L;
    static final int MAX_BODY = 256 << 10;
    static final long MAX_DECOMPRESSED = 1 << 20;

    @TempDir
    static Path dir;

    static TestCollector c;

    @BeforeParameterizedClassInvocation
    static void start(TestStore store) throws Exception {
        Path data = dir.resolve(store.name());
        c = new TestCollector(CollectorConfig.defaults(data).withLimits(MAX_BODY, MAX_DECOMPRESSED), store.fresh(data));
    }

    @AfterParameterizedClassInvocation
    static void stop() throws Exception {
        c.close();
    }

    static final String[] TABLES = {"profiles", "samples", "stacks", "strings", "series"};
    /** Rows before each test: none of profiles and samples; ClickHouse's retention leaves the shared dictionary rows. */
    long[] before;

    @BeforeEach
    void countRows() throws Exception {
        before = new long[TABLES.length];
        for (int i = 0; i < TABLES.length; i++) before[i] = c.count(TABLES[i]);
        assertEquals(0, before[0] + before[1]);
    }

    /** Nothing was stored, and a good profile still goes in and comes out (then it is removed again). */
    @AfterEach
    void storedNothingAndStillServes() throws Exception {
        for (int i = 0; i < TABLES.length; i++) {
            assertEquals(before[i], c.count(TABLES[i]), TABLES[i] + " has rows after bad input");
        }
        Http.Reply ok = c.http.post(
                Fixtures.ingest("shop", "cpu", T0, T0 + 10_000, "", null), Fixtures.gz(Fixtures.shop(1, 1, 1)));
        assertEquals(200, ok.status(), ok.text());
        assertEquals(1, c.count("profiles"));
        c.server.applyRetention(T0 + 10_000 + c.server.config().retention().toMillis());
        assertEquals(0, c.count("profiles"));
    }

    static void refused(int status, String fragment, Http.Reply r) {
        assertEquals(status, r.status(), r.text());
        String error = (String) r.json().get("error");
        assertTrue(error.contains(fragment), "error '" + error + "' should mention '" + fragment + "'");
    }

    static Http.Reply ingest(byte[] body) throws Exception {
        return c.http.post(Fixtures.ingest("shop", "cpu", T0, T0 + 10_000, "host=a", "x"), body);
    }

    @Test
    void garbage() throws Exception {
        refused(400, "not a pprof profile", ingest("this is not a profile".getBytes()));
    }

    @Test
    void emptyBody() throws Exception {
        refused(400, "empty body", ingest(new byte[0]));
    }

    @Test
    void truncatedProtobuf() throws Exception {
        // cut inside a length-delimited field (a cut between fields leaves a shorter valid message)
        byte[] whole = Fixtures.shop(3, 2, 1).toByteArray();
        refused(400, "not a pprof profile", ingest(Arrays.copyOf(whole, whole.length / 2)));
    }

    @Test
    void truncatedGzip() throws Exception {
        byte[] whole = Fixtures.gz(Fixtures.shop(3, 2, 1));
        refused(400, "corrupt gzip", ingest(Arrays.copyOf(whole, whole.length / 2)));
    }

    @Test
    void locationIndexOutOfRange() throws Exception {
        Profile p = Fixtures.shop(3, 2, 1);
        Profile bad = p.toBuilder()
                .setSample(0, Sample.newBuilder(p.getSample(0)).setLocationId(0, 999))
                .build();
        refused(400, "missing location 999", ingest(Fixtures.gz(bad)));
    }

    @Test
    void stringIndexOutOfRange() throws Exception {
        Profile p = Fixtures.shop(3, 2, 1);
        Profile bad = p.toBuilder()
                .setFunction(0, p.getFunction(0).toBuilder().setName(10_000))
                .build();
        refused(400, "out of range", ingest(Fixtures.gz(bad)));
    }

    @Test
    void functionIndexOutOfRange() throws Exception {
        Profile p = Fixtures.shop(3, 2, 1);
        Location l = p.getLocation(0);
        Profile bad = p.toBuilder()
                .setLocation(
                        0, l.toBuilder().setLine(0, l.getLine(0).toBuilder().setFunctionId(77)))
                .build();
        refused(400, "missing function 77", ingest(Fixtures.gz(bad)));
    }

    @Test
    void gzipBomb() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 8; i++) gz.write(zeros); // 8 MiB of zeros, ~8 KiB compressed
        }
        assertTrue(out.size() < MAX_BODY);
        refused(400, "exceeds the limit of " + MAX_DECOMPRESSED, ingest(out.toByteArray()));
    }

    @Test
    void bodyOverTheLimit() throws Exception {
        refused(413, "larger than the limit", ingest(new byte[MAX_BODY + 1]));
    }

    @Test
    void missingSampleTypeOfTheProfileType() throws Exception {
        Http.Reply r = c.http.post(
                Fixtures.ingest("shop", "alloc", T0, T0 + 10_000, "", "y"), Fixtures.gz(Fixtures.shop(1, 1, 1)));
        refused(400, "needs the sample types [alloc_objects, alloc_space]", r);
    }

    @Test
    void unknownProfileType() throws Exception {
        refused(
                400,
                "unknown profile type 'gpu'",
                c.http.post(
                        Fixtures.ingest("shop", "gpu", T0, T0 + 10_000, "", "z"), Fixtures.gz(Fixtures.shop(1, 1, 1))));
        refused(
                400,
                "unknown profile type 'gpu'",
                c.http.get(Http.query("/api/v1/flamegraph", "service", "shop", "type", "gpu")));
    }

    @Test
    void missingService() throws Exception {
        refused(
                400,
                "missing parameter 'service'",
                c.http.post(
                        Http.query("/api/v1/ingest", "type", "cpu", "from", T0, "until", T0 + 1),
                        Fixtures.gz(Fixtures.shop(1, 1, 1))));
        refused(
                400,
                "missing parameter 'service'",
                c.http.post(Http.query("/api/v1/ingest", "type", "cpu"), "garbage".getBytes()));
        refused(400, "missing parameter 'service'", c.http.get(Http.query("/api/v1/flamegraph", "type", "cpu")));
        refused(400, "missing parameter 'service'", c.http.get(Http.query("/api/v1/labels", "key", "host")));
    }

    @Test
    void fromAfterUntil() throws Exception {
        refused(
                400,
                "must be before until",
                c.http.post(Fixtures.ingest("shop", "cpu", T0 + 10, T0, "", "w"), Fixtures.gz(Fixtures.shop(1, 1, 1))));
        refused(
                400,
                "must be before until",
                c.http.get(Http.query(
                        "/api/v1/flamegraph", "service", "shop", "type", "cpu", "from", T0 + 10, "until", T0)));
        refused(
                400,
                "baseFrom",
                c.http.get(Http.query(
                        "/api/v1/diff", "service", "shop", "type", "cpu", "baseFrom", T0 + 10, "baseUntil", T0)));
        refused(
                400,
                "'from' must be an integer",
                c.http.get(Http.query("/api/v1/timeline", "service", "shop", "type", "cpu", "from", "yesterday")));
    }

    @Test
    void labelMatchersThatDoNotParse() throws Exception {
        for (String bad : new String[] {"host", "host=~(", "=a", "9x=1", "host~a"}) {
            refused(
                    400,
                    "labels",
                    c.http.get(Http.query("/api/v1/flamegraph", "service", "shop", "type", "cpu", "labels", bad)));
        }
        refused(
                400,
                "label must be key=value",
                c.http.post(
                        Fixtures.ingest("shop", "cpu", T0, T0 + 10, "host", "v"), Fixtures.gz(Fixtures.shop(1, 1, 1))));
    }

    @Test
    void otherBadParameters() throws Exception {
        refused(
                400,
                "maxNodes",
                c.http.get(Http.query("/api/v1/flamegraph", "service", "shop", "type", "cpu", "maxNodes", 1)));
        refused(400, "step", c.http.get(Http.query("/api/v1/timeline", "service", "shop", "type", "cpu", "step", 0)));
        refused(
                400,
                "more than",
                c.http.get(Http.query(
                        "/api/v1/timeline", "service", "shop", "type", "cpu", "from", 0, "until", T0, "step", 1)));
        refused(
                400,
                "absolute",
                c.http.get(Http.query("/api/v1/diff", "service", "shop", "type", "cpu", "absolute", "yes")));
        refused(
                400,
                "unknown format",
                c.http.post(
                        Fixtures.ingest("shop", "cpu", T0, T0 + 10, "", "f") + "&format=zip",
                        Fixtures.gz(Fixtures.shop(1, 1, 1))));
        refused(
                400,
                "id must be",
                c.http.post(
                        Fixtures.ingest("shop", "cpu", T0, T0 + 10, "", "a b"), Fixtures.gz(Fixtures.shop(1, 1, 1))));
        refused(405, "takes POST", c.http.get(Fixtures.ingest("shop", "cpu", T0, T0 + 10, "", "g")));
        refused(405, "takes GET", c.http.post("/api/v1/flamegraph", new byte[0]));
    }
}
