package dev.hearth.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM pushes its own flight recording (format=jfr); the collector converts it into cpu and alloc profiles. */
class JfrIngestTest {
    @TempDir
    static Path dir;

    static TestCollector c;
    static byte[] recording;
    static final String SPIN = JfrWorkload.class.getName() + ".spin";

    @BeforeAll
    static void start() throws Exception {
        c = new TestCollector(dir.resolve("data"));
        Path file = dir.resolve("app.jfr");
        Process p = new ProcessBuilder(
                        Paths.get(System.getProperty("java.home"), "bin", "java")
                                .toString(),
                        "-XX:StartFlightRecording=filename=" + file + ",settings=profile",
                        "-cp",
                        Paths.get(JfrWorkload.class
                                        .getProtectionDomain()
                                        .getCodeSource()
                                        .getLocation()
                                        .toURI())
                                .toString(),
                        JfrWorkload.class.getName(),
                        "2500")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "workload JVM failed");
        recording = Files.readAllBytes(file);
    }

    @AfterAll
    static void stop() throws Exception {
        c.close();
    }

    @Test
    void gzippedRecordingBecomesCpuAndAllocProfilesNamingTheWorkload() throws Exception {
        Http.Reply r = c.http.post(
                Http.query("/api/v1/ingest", "format", "jfr", "service", "jfr-app", "labels", "host=a", "id", "rec1"),
                gzip(recording));
        assertEquals(200, r.status(), r.text());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> profiles =
                (List<Map<String, Object>>) r.json().get("profiles");
        List<Object> types = profiles.stream().map(m -> m.get("type")).toList();
        assertTrue(types.containsAll(List.of("cpu", "alloc")), "types " + types);
        assertTrue(profiles.stream()
                .allMatch(
                        m -> Boolean.TRUE.equals(m.get("stored")) && m.get("id").equals("rec1-" + m.get("type"))));
        assertNull(r.json().get("damage"));

        Map<String, Object> cpu = c.http.get(Http.query(
                        "/api/v1/flamegraph",
                        "service",
                        "jfr-app",
                        "type",
                        "cpu",
                        "from",
                        0,
                        "until",
                        System.currentTimeMillis() + 60_000))
                .json();
        assertEquals("nanoseconds", cpu.get("unit"));
        assertTrue(Http.num(cpu, "total") > 0);
        assertTrue(
                c.http.get(Http.query(
                                "/api/v1/flamegraph",
                                "service",
                                "jfr-app",
                                "type",
                                "cpu",
                                "from",
                                0,
                                "until",
                                System.currentTimeMillis() + 60_000))
                        .text()
                        .contains(SPIN),
                "cpu flame graph lacks " + SPIN);
        Map<String, Object> alloc = c.http.get(Http.query(
                        "/api/v1/flamegraph",
                        "service",
                        "jfr-app",
                        "type",
                        "alloc",
                        "from",
                        0,
                        "until",
                        System.currentTimeMillis() + 60_000))
                .json();
        assertEquals("bytes", alloc.get("unit"));
    }

    @Test
    void typeParameterKeepsOneTypeAndRawBodiesWork() throws Exception {
        Http.Reply r = c.http.post(
                Http.query("/api/v1/ingest", "format", "jfr", "service", "jfr-cpu-only", "type", "cpu"), recording);
        assertEquals(200, r.status(), r.text());
        assertEquals(1, ((List<?>) r.json().get("profiles")).size());
        Http.Reply none = c.http.post(
                Http.query("/api/v1/ingest", "format", "jfr", "service", "jfr-wall", "type", "wall"), recording);
        assertEquals(400, none.status(), none.text());
        assertTrue(((String) none.json().get("error")).contains("no wall profiling events"));
    }

    @Test
    void badRecordingsAreRefusedClearly() throws Exception {
        long before = c.count("profiles");
        Http.Reply garbage =
                c.http.post(Http.query("/api/v1/ingest", "format", "jfr", "service", "bad"), "not jfr".getBytes());
        assertEquals(400, garbage.status());
        assertTrue(((String) garbage.json().get("error")).contains("not a JFR recording"), garbage.text());
        Http.Reply cut = c.http.post(
                Http.query("/api/v1/ingest", "format", "jfr", "service", "bad"),
                java.util.Arrays.copyOf(recording, recording.length / 2));
        assertEquals(400, cut.status(), cut.text());
        Http.Reply empty = c.http.post(Http.query("/api/v1/ingest", "format", "jfr", "service", "bad"), new byte[0]);
        assertEquals(400, empty.status());
        assertEquals(before, c.count("profiles"), "bad recordings stored something");
    }

    static byte[] gzip(byte[] b) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }
}
