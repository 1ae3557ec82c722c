package dev.hearth.collector.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.ProfileReader;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.StackFrame;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.profiles.v1development.Function;
import io.opentelemetry.proto.profiles.v1development.KeyValueAndUnit;
import io.opentelemetry.proto.profiles.v1development.Line;
import io.opentelemetry.proto.profiles.v1development.Location;
import io.opentelemetry.proto.profiles.v1development.Mapping;
import io.opentelemetry.proto.profiles.v1development.Profile;
import io.opentelemetry.proto.profiles.v1development.ProfilesDictionary;
import io.opentelemetry.proto.profiles.v1development.Sample;
import io.opentelemetry.proto.profiles.v1development.Stack;
import io.opentelemetry.proto.profiles.v1development.ValueType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One OTLP profile as pprof: frames, labels, service, window; and the request's frame budget. */
class OtlpProfilesTest {
    static final List<String> STRINGS =
            List.of("", "cpu", "count", "nanoseconds", "main", "inlined", "libc.so.6", "thread.name", "worker-1");

    static ProfilesDictionary.Builder dictionary() {
        return ProfilesDictionary.newBuilder()
                .addAllStringTable(STRINGS)
                .addMappingTable(Mapping.getDefaultInstance())
                .addMappingTable(Mapping.newBuilder().setFilenameStrindex(6))
                .addFunctionTable(Function.getDefaultInstance())
                .addFunctionTable(Function.newBuilder().setNameStrindex(4))
                .addFunctionTable(Function.newBuilder().setNameStrindex(5))
                .addLocationTable(Location.getDefaultInstance())
                // leaf: an unsymbolized address in libc; then main with a function inlined into it
                .addLocationTable(Location.newBuilder().setMappingIndex(1).setAddress(0xabc))
                .addLocationTable(Location.newBuilder()
                        .addLines(Line.newBuilder().setFunctionIndex(2).setLine(7))
                        .addLines(Line.newBuilder().setFunctionIndex(1).setLine(3)))
                .addStackTable(Stack.getDefaultInstance())
                .addStackTable(Stack.newBuilder().addLocationIndices(1).addLocationIndices(2))
                .addAttributeTable(KeyValueAndUnit.getDefaultInstance())
                .addAttributeTable(KeyValueAndUnit.newBuilder()
                        .setKeyStrindex(7)
                        .setValue(AnyValue.newBuilder().setStringValue("worker-1")));
    }

    static Profile.Builder profile() {
        return Profile.newBuilder()
                .setSampleType(ValueType.newBuilder().setTypeStrindex(1).setUnitStrindex(2))
                .setPeriodType(ValueType.newBuilder().setTypeStrindex(1).setUnitStrindex(3))
                .setPeriod(10_000_000)
                .setTimeUnixNano(1_700_000_000_000_000_000L)
                .setDurationNano(10_000_000_000L)
                .addSamples(Sample.newBuilder()
                        .setStackIndex(1)
                        .addAttributeIndices(1)
                        .addTimestampsUnixNano(1)
                        .addTimestampsUnixNano(2));
    }

    static KeyValue kv(String k, String v) {
        return KeyValue.newBuilder()
                .setKey(k)
                .setValue(AnyValue.newBuilder().setStringValue(v))
                .build();
    }

    @Test
    void framesLabelsServiceAndWindow() throws Exception {
        OtlpProfiles.Converted c = new OtlpProfiles(dictionary().build(), 1024)
                .convert(
                        profile().build(),
                        List.of(
                                kv("service.name", "shop"),
                                kv("host.name", "web-1"),
                                kv("bad key!", "x"),
                                kv("region", "eu,west")),
                        List.of(kv("service", "ignored")));
        assertEquals(ProfileType.CPU, c.type());
        assertEquals("shop", c.service());
        assertEquals(Map.of("host.name", "web-1", "region", "eu west"), c.labels());
        assertEquals(1_700_000_000_000L, c.fromMs());
        assertEquals(1_700_000_010_000L, c.untilMs());
        var samples = ProfileReader.samples(c.profile());
        assertEquals(1, samples.size());
        assertEquals(
                List.of(2L, 20_000_000L),
                java.util.Arrays.stream(samples.get(0).values()).boxed().toList());
        assertEquals(Map.of("thread", "worker-1"), samples.get(0).labels());
        List<StackFrame> stack = samples.get(0).stack();
        assertEquals(
                List.of("libc.so.6+0xabc", "inlined", "main"),
                stack.stream().map(StackFrame::name).toList());
        assertEquals(FrameKind.INLINED, stack.get(1).kind());
        assertEquals(7, stack.get(1).line());
    }

    @Test
    void theFrameBudgetHoldsForTheWholeRequest() throws Exception {
        ProfilesDictionary.Builder d = dictionary();
        Stack.Builder deep = Stack.newBuilder();
        for (int i = 0; i < 2000; i++) deep.addLocationIndices(2);
        d.addStackTable(deep);
        Profile.Builder p = profile().clearSamples();
        for (int i = 0;
                i < 1000;
                i++) { // 1000 attribute sets on a stack cut to 1025 frames: about 1 Mi frames a profile
            d.addAttributeTable(KeyValueAndUnit.newBuilder()
                    .setKeyStrindex(7)
                    .setValue(AnyValue.newBuilder().setIntValue(i)));
            p.addSamples(Sample.newBuilder().setStackIndex(2).addValues(1).addAttributeIndices(i + 2));
        }
        OtlpProfiles request = new OtlpProfiles(d.build(), 1024);
        int converted = 0;
        try {
            for (; converted < 100; converted++) request.convert(p.build(), List.of(), List.of());
        } catch (OtlpFormatException e) {
            assertTrue(e.getMessage().contains("budget"), e.getMessage());
        }
        assertEquals(OtlpProfiles.MAX_FRAMES / (1000 * 1025), converted);
    }

    @Test
    void indexesOutsideTheirTablesAreRefused() {
        assertThrows(
                OtlpFormatException.class,
                () -> new OtlpProfiles(dictionary().build(), 1024)
                        .convert(
                                profile()
                                        .addSamples(Sample.newBuilder()
                                                .setStackIndex(1)
                                                .addAttributeIndices(99)
                                                .addValues(1))
                                        .build(),
                                List.of(),
                                List.of()));
        ProfilesDictionary.Builder d = dictionary();
        d.getLocationTableBuilder(1).setMappingIndex(-1);
        assertThrows(
                OtlpFormatException.class,
                () -> new OtlpProfiles(d.build(), 1024).convert(profile().build(), List.of(), List.of()));
    }
}
