package dev.hearth.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedInputStream;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.profiles.v1development.Profile;
import io.opentelemetry.proto.profiles.v1development.Sample;
import io.opentelemetry.proto.profiles.v1development.Stack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP profiles from a real producer: a JVM records itself with JFR, async-profiler's converter
 * (jfr-converter, {@code -o otlp}) turns the recording into OTLP, and the collector takes both the
 * recording (format=jfr) and the OTLP request: the two give the same totals and top frames. Then
 * hostile and broken requests: each is refused with 400 and the collector goes on serving.
 */
class OtlpIngestTest {
    static final String PATH = "/v1development/profiles";

    @TempDir
    static Path dir;

    static TestCollector c;
    static byte[] recording;
    /** The converter's cpu profile of the recording, as it wrote it. */
    static ExportProfilesServiceRequest cpu;

    @BeforeAll
    static void start() throws Exception {
        c = new TestCollector(dir.resolve("data"));
        Path jfr = dir.resolve("app.jfr");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        run(
                java,
                "-XX:StartFlightRecording=filename=" + jfr + ",settings=profile",
                "-cp",
                Paths.get(JfrWorkload.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI())
                        .toString(),
                JfrWorkload.class.getName(),
                "2000");
        recording = Files.readAllBytes(jfr);
        Path otlp = dir.resolve("app.otlp");
        run(
                java,
                "-cp",
                Paths.get(one.convert.Main.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI())
                        .toString(),
                "one.convert.Main",
                "--dot",
                "-o",
                "otlp",
                jfr.toString(),
                otlp.toString());
        cpu = ExportProfilesServiceRequest.parseFrom(Files.readAllBytes(otlp));
    }

    static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "failed: " + String.join(" ", command));
    }

    @AfterAll
    static void stop() throws Exception {
        c.close();
    }

    /** The converter's request with a resource naming the service, as an OpenTelemetry SDK sends it. */
    static ExportProfilesServiceRequest withResource(ExportProfilesServiceRequest r, String service) {
        ExportProfilesServiceRequest.Builder b = r.toBuilder();
        b.getResourceProfilesBuilder(0)
                .getResourceBuilder()
                .addAttributes(attr("service.name", service))
                .addAttributes(attr("deployment.environment", "test"));
        return b.build();
    }

    static KeyValue attr(String k, String v) {
        return KeyValue.newBuilder()
                .setKey(k)
                .setValue(AnyValue.newBuilder().setStringValue(v))
                .build();
    }

    static Http.Reply post(byte[] body) throws Exception {
        return c.http.withHeader("Content-Type", "application/x-protobuf").post(PATH, body);
    }

    static Map<String, Object> flame(String service, String value) throws Exception {
        Http.Reply r = c.http.get(Http.query(
                "/api/v1/flamegraph",
                "service",
                service,
                "type",
                "cpu",
                "value",
                value,
                "from",
                0,
                "until",
                System.currentTimeMillis() + 60_000));
        assertEquals(200, r.status(), r.text());
        return r.json();
    }

    /** Self value by frame name over the whole tree. */
    @SuppressWarnings("unchecked")
    static void selfByName(Map<String, Object> node, Map<String, Long> out) {
        out.merge((String) node.get("name"), (long) Http.num(node, "self"), Long::sum);
        for (Object child : (List<Object>) node.get("children")) selfByName((Map<String, Object>) child, out);
    }

    static List<Map.Entry<String, Long>> top(Map<String, Object> root, int n) {
        Map<String, Long> self = new HashMap<>();
        selfByName(root, self);
        self.remove(root.get("name")); // the root is the service
        List<Map.Entry<String, Long>> all = new ArrayList<>(self.entrySet());
        all.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        return all.subList(0, Math.min(n, all.size()));
    }

    @Test
    void converterOutputGivesTheSameTotalsAndTopFramesAsTheRecording() throws Exception {
        Http.Reply j = c.http.post(
                Http.query("/api/v1/ingest", "format", "jfr", "type", "cpu", "service", "as-jfr"), recording);
        assertEquals(200, j.status(), j.text());
        Http.Reply o = post(JfrIngestTest.gzip(withResource(cpu, "as-otlp").toByteArray()));
        assertEquals(200, o.status(), o.text());
        assertFalse(ExportProfilesServiceResponse.parseFrom(o.body()).hasPartialSuccess(), "profiles were refused");

        for (String value : List.of("samples", "cpu")) {
            Map<String, Object> fromJfr = flame("as-jfr", value), fromOtlp = flame("as-otlp", value);
            assertTrue(Http.num(fromJfr, "total") > 0);
            assertEquals(Http.num(fromJfr, "total"), Http.num(fromOtlp, "total"), value + " totals differ");
            List<Map.Entry<String, Long>> topJfr = top(cast(fromJfr.get("root")), 3),
                    topOtlp = top(cast(fromOtlp.get("root")), 3);
            assertEquals(topJfr, topOtlp, value + " top frames differ");
            assertTrue(topOtlp.get(0).getKey().equals(JfrIngestTest.SPIN), "top frame " + topOtlp);
        }
        // the resource's attributes are the profile's labels; service.name is the service
        Http.Reply labels =
                c.http.get(Http.query("/api/v1/labels", "service", "as-otlp", "key", "deployment.environment"));
        assertEquals(List.of("test"), labels.json().get("values"), labels.text());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Object m) {
        return (Map<String, Object>) m;
    }

    @Test
    void aRetriedRequestIsStoredOnce() throws Exception {
        byte[] body = withResource(cpu, "retried").toByteArray();
        long before = c.count("profiles");
        assertEquals(200, post(body).status());
        long profiles = c.count("profiles");
        assertEquals(before + 1, profiles);
        Http.Reply again = post(body);
        assertEquals(200, again.status());
        assertEquals(profiles, c.count("profiles"), "the retry stored the profile again");
    }

    @Test
    void oneBadProfileIsRefusedAndTheOthersStored() throws Exception {
        ExportProfilesServiceRequest.Builder b = withResource(cpu, "partial").toBuilder();
        Profile good = b.getResourceProfiles(0).getScopeProfiles(0).getProfiles(0);
        b.getResourceProfilesBuilder(0)
                .getScopeProfilesBuilder(0)
                .addProfiles(good.toBuilder()
                        .addSamples(Sample.newBuilder()
                                .setStackIndex(b.getDictionary().getStackTableCount())
                                .addValues(1)));
        Http.Reply r = post(b.build().toByteArray());
        assertEquals(200, r.status());
        ExportProfilesServiceResponse res = ExportProfilesServiceResponse.parseFrom(r.body());
        assertEquals(1, res.getPartialSuccess().getRejectedProfiles());
        assertTrue(
                res.getPartialSuccess().getErrorMessage().contains("stack index"),
                res.getPartialSuccess().getErrorMessage());
        assertTrue(Http.num(flame("partial", "samples"), "total") > 0);
    }

    /** Each request is refused with 400 and a google.rpc.Status saying why; nothing is stored. */
    @Test
    void brokenAndHostileRequestsAreRefused() throws Exception {
        ExportProfilesServiceRequest base = withResource(cpu, "hostile");
        int stacks = base.getDictionary().getStackTableCount(),
                strings = base.getDictionary().getStringTableCount();
        Map<String, byte[]> cases = new java.util.LinkedHashMap<>();
        cases.put("not an OTLP", "\u0007garbage, not a message".getBytes());
        cases.put(
                "stack index",
                withSample(
                                base,
                                Sample.newBuilder().setStackIndex(stacks + 1000).addValues(1))
                        .toByteArray());
        cases.put(
                "stack index -1",
                withSample(base, Sample.newBuilder().setStackIndex(-1).addValues(1))
                        .toByteArray());
        ExportProfilesServiceRequest.Builder badLocation = base.toBuilder();
        badLocation.getDictionaryBuilder().addStackTable(Stack.newBuilder().addLocationIndices(1 << 30));
        cases.put(
                "location index",
                withSample(
                                badLocation.build(),
                                Sample.newBuilder().setStackIndex(stacks).addValues(1))
                        .toByteArray());
        ExportProfilesServiceRequest.Builder badString = base.toBuilder();
        badString
                .getResourceProfilesBuilder(0)
                .getScopeProfilesBuilder(0)
                .getProfilesBuilder(0)
                .getSampleTypeBuilder()
                .setTypeStrindex(strings + 5);
        cases.put("string index", badString.build().toByteArray());
        cases.put(
                "negative value",
                withSample(base, Sample.newBuilder().setStackIndex(1).addValues(-5))
                        .toByteArray());
        ExportProfilesServiceRequest.Builder many = base.toBuilder();
        Profile one = base.getResourceProfiles(0).getScopeProfiles(0).getProfiles(0);
        for (int i = 0; i < 300; i++)
            many.getResourceProfilesBuilder(0).getScopeProfilesBuilder(0).addProfiles(one);
        cases.put("at most 256", many.build().toByteArray());
        ExportProfilesServiceRequest.Builder noTime = base.toBuilder();
        noTime.getResourceProfilesBuilder(0)
                .getScopeProfilesBuilder(0)
                .getProfilesBuilder(0)
                .setTimeUnixNano(0);
        cases.put("time_unix_nano", noTime.build().toByteArray());
        ExportProfilesServiceRequest.Builder expands =
                base.toBuilder(); // one deep stack, made distinct by 20000 attributes
        Stack.Builder deep = Stack.newBuilder();
        for (int i = 0; i < 5000; i++) deep.addLocationIndices(1);
        expands.getDictionaryBuilder().addStackTable(deep);
        Profile.Builder wide =
                expands.getResourceProfilesBuilder(0).getScopeProfilesBuilder(0).getProfilesBuilder(0);
        for (int i = 0; i < 20_000; i++) {
            expands.getDictionaryBuilder()
                    .addAttributeTable(io.opentelemetry.proto.profiles.v1development.KeyValueAndUnit.newBuilder()
                            .setKeyStrindex(1)
                            .setValue(AnyValue.newBuilder().setIntValue(i)));
            wide.addSamples(Sample.newBuilder()
                    .setStackIndex(stacks)
                    .addValues(1)
                    .addAttributeIndices(expands.getDictionary().getAttributeTableCount() - 1));
        }
        cases.put("frames", expands.build().toByteArray());
        cases.put(
                "decompressed body exceeds",
                JfrIngestTest.gzip(new byte[(int) (CollectorConfig.DEFAULT_MAX_DECOMPRESSED + 1024)]));

        long before = c.count("profiles");
        for (Map.Entry<String, byte[]> e : cases.entrySet()) {
            Http.Reply r = post(e.getValue());
            assertEquals(400, r.status(), e.getKey());
            String message = statusMessage(r.body());
            assertTrue(message.contains(e.getKey()), e.getKey() + ": " + message);
        }
        Http.Reply json = post("{\"resourceProfiles\":[]}".getBytes());
        assertEquals(415, json.status());
        assertEquals(405, c.http.get(PATH).status());
        assertEquals(401, c.http.withToken(null).post(PATH, base.toByteArray()).status());
        assertEquals(before, c.count("profiles"), "a refused request stored something");
        assertEquals(200, c.http.get("/api/v1/services").status(), "the collector stopped serving");
    }

    /** Huge values saturate instead of wrapping; a deep stack keeps its leaf side, as every ingest does. */
    @Test
    void hugeValuesSaturateAndDeepStacksAreCut() throws Exception {
        ExportProfilesServiceRequest.Builder b = withResource(cpu, "huge").toBuilder();
        Stack.Builder deep = Stack.newBuilder();
        for (int i = 0; i < 100_000; i++) deep.addLocationIndices(1);
        b.getDictionaryBuilder().addStackTable(deep);
        Profile.Builder p = b.getResourceProfilesBuilder(0)
                .getScopeProfilesBuilder(0)
                .getProfilesBuilder(0)
                .clearSamples();
        p.addSamples(Sample.newBuilder()
                .setStackIndex(b.getDictionary().getStackTableCount() - 1)
                .addValues(Long.MAX_VALUE)
                .addValues(Long.MAX_VALUE));
        for (int i = 0; i < 20_000; i++)
            p.addSamples(Sample.newBuilder()
                    .setStackIndex(b.getDictionary().getStackTableCount() - 1)
                    .addValues(1));
        Http.Reply r = post(b.build().toByteArray());
        assertEquals(200, r.status(), statusMessage(r.body()));
        Map<String, Object> f = flame("huge", "cpu");
        assertEquals(Long.MAX_VALUE, (long) Http.num(f, "total"));
        assertTrue(c.http.get(Http.query(
                        "/api/v1/flamegraph",
                        "service",
                        "huge",
                        "type",
                        "cpu",
                        "from",
                        0,
                        "until",
                        System.currentTimeMillis() + 60_000))
                .text()
                .contains("[truncated]"));
    }

    static ExportProfilesServiceRequest withSample(ExportProfilesServiceRequest r, Sample.Builder s) {
        ExportProfilesServiceRequest.Builder b = r.toBuilder();
        b.getResourceProfilesBuilder(0)
                .getScopeProfilesBuilder(0)
                .getProfilesBuilder(0)
                .addSamples(s);
        return b.build();
    }

    /** The message of a google.rpc.Status body (field 2). */
    static String statusMessage(byte[] body) throws Exception {
        CodedInputStream in = CodedInputStream.newInstance(body);
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (tag >>> 3 == 2) return in.readString();
            in.skipField(tag);
        }
        return "";
    }
}
