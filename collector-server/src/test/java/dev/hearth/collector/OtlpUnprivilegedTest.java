package dev.hearth.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hearth.testsupport.Privileges;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.profiles.v1development.Function;
import io.opentelemetry.proto.profiles.v1development.KeyValueAndUnit;
import io.opentelemetry.proto.profiles.v1development.Line;
import io.opentelemetry.proto.profiles.v1development.Location;
import io.opentelemetry.proto.profiles.v1development.Profile;
import io.opentelemetry.proto.profiles.v1development.ProfilesDictionary;
import io.opentelemetry.proto.profiles.v1development.ResourceProfiles;
import io.opentelemetry.proto.profiles.v1development.Sample;
import io.opentelemetry.proto.profiles.v1development.ScopeProfiles;
import io.opentelemetry.proto.profiles.v1development.Stack;
import io.opentelemetry.proto.profiles.v1development.ValueType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile OTLP requests sent by nobody (setpriv) over the network: each is refused with 400, a
 * good one from the same user is stored, and the collector goes on serving.
 */
class OtlpUnprivilegedTest {
    @TempDir
    Path dir;

    /** A small valid cpu profile: main → spin, 5 samples of 10 ms. */
    static ExportProfilesServiceRequest.Builder request() {
        ProfilesDictionary.Builder d = ProfilesDictionary.newBuilder()
                .addAllStringTable(List.of("", "cpu", "count", "nanoseconds", "main", "spin", "thread.name"))
                .addFunctionTable(Function.getDefaultInstance())
                .addFunctionTable(Function.newBuilder().setNameStrindex(4))
                .addFunctionTable(Function.newBuilder().setNameStrindex(5))
                .addLocationTable(Location.getDefaultInstance())
                .addLocationTable(
                        Location.newBuilder().addLines(Line.newBuilder().setFunctionIndex(2)))
                .addLocationTable(
                        Location.newBuilder().addLines(Line.newBuilder().setFunctionIndex(1)))
                .addStackTable(Stack.getDefaultInstance())
                .addStackTable(Stack.newBuilder().addLocationIndices(1).addLocationIndices(2))
                .addAttributeTable(KeyValueAndUnit.getDefaultInstance());
        Profile.Builder p = Profile.newBuilder()
                .setSampleType(ValueType.newBuilder().setTypeStrindex(1).setUnitStrindex(2))
                .setPeriodType(ValueType.newBuilder().setTypeStrindex(1).setUnitStrindex(3))
                .setPeriod(10_000_000)
                .setTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
                .setDurationNano(1_000_000_000L)
                .addSamples(Sample.newBuilder().setStackIndex(1).addValues(5));
        return ExportProfilesServiceRequest.newBuilder()
                .setDictionary(d)
                .addResourceProfiles(ResourceProfiles.newBuilder()
                        .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                                .addAttributes(OtlpIngestTest.attr("service.name", "nobody")))
                        .addScopeProfiles(ScopeProfiles.newBuilder().addProfiles(p)));
    }

    static Profile.Builder profile(ExportProfilesServiceRequest.Builder r) {
        return r.getResourceProfilesBuilder(0).getScopeProfilesBuilder(0).getProfilesBuilder(0);
    }

    @Test
    void nobodysHostileOtlpIsRefusedAndTheCollectorServes() throws Exception {
        Privileges.assumeRootOrCi("dropping to nobody");
        List<String> files = new ArrayList<>();
        write(files, "good", request().build().toByteArray());
        ExportProfilesServiceRequest.Builder index = request();
        profile(index)
                .addSamples(Sample.newBuilder().setStackIndex(Integer.MAX_VALUE).addValues(1));
        write(files, "bad-index", index.build().toByteArray());
        ExportProfilesServiceRequest.Builder fn = request();
        fn.getDictionaryBuilder().getLocationTableBuilder(1).getLinesBuilder(0).setFunctionIndex(-7);
        write(files, "bad-function", fn.build().toByteArray());
        ExportProfilesServiceRequest.Builder expands = request(); // 5000 frames deep, 20000 attribute sets: 100M frames
        Stack.Builder deep = Stack.newBuilder();
        for (int i = 0; i < 5000; i++) deep.addLocationIndices(1);
        expands.getDictionaryBuilder().addStackTable(deep);
        for (int i = 0; i < 20_000; i++) {
            expands.getDictionaryBuilder()
                    .addAttributeTable(KeyValueAndUnit.newBuilder()
                            .setKeyStrindex(6)
                            .setValue(AnyValue.newBuilder().setIntValue(i)));
            profile(expands)
                    .addSamples(
                            Sample.newBuilder().setStackIndex(2).addValues(1).addAttributeIndices(i + 1));
        }
        write(files, "expands", expands.build().toByteArray());
        ExportProfilesServiceRequest.Builder many = request();
        for (int i = 0; i < 1000; i++)
            many.getResourceProfilesBuilder(0).getScopeProfilesBuilder(0).addProfiles(profile(request()));
        write(files, "too-many", many.build().toByteArray());
        write(files, "bomb", JfrIngestTest.gzip(new byte[(int) CollectorConfig.DEFAULT_MAX_DECOMPRESSED + 1]));

        Path classes = Path.of(OtlpHostileClient.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Path copy = dir.resolve("classes");
        try (Stream<Path> all = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) all::iterator) {
                Path t = copy.resolve(classes.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(t);
                else Files.copy(f, t);
            }
        }
        new ProcessBuilder("chmod", "-R", "a+rX", dir.toString()).start().waitFor();
        try (TestCollector c = new TestCollector(dir.resolve("data"))) {
            List<String> command = new ArrayList<>(List.of(
                    "setpriv",
                    "--reuid=65534",
                    "--regid=65534",
                    "--clear-groups",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    copy.toString(),
                    OtlpHostileClient.class.getName(),
                    String.valueOf(c.server.port()),
                    c.token));
            command.addAll(files);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(120, TimeUnit.SECONDS);
            assertEquals(
                    List.of(
                            "good 200",
                            "bad-index 400",
                            "bad-function 400",
                            "expands 400",
                            "too-many 400",
                            "bomb 400",
                            "services 200"),
                    out.lines().toList(),
                    out);
            assertEquals(1, c.count("profiles"), "only the good request is stored");
            assertEquals(200, c.http.get("/api/v1/services").status());
        }
    }

    private void write(List<String> files, String name, byte[] body) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, body);
        files.add(f.toString());
    }
}
