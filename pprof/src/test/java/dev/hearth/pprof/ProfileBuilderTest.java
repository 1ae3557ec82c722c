package dev.hearth.pprof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hearth.pprof.proto.Profile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileBuilderTest {
    @Test
    void roundTripKeepsStacksKindsLinesAndLabels() throws Exception {
        Profile decoded =
                ProfileCodec.decode(ProfileCodec.encodeGzip(Profiles.shop()), ProfileCodec.DEFAULT_MAX_DECOMPRESSED);
        List<ResolvedSample> samples = ProfileReader.samples(decoded);
        assertEquals(3, samples.size());
        ResolvedSample first = samples.get(0);
        assertEquals(List.of(Profiles.HASH, Profiles.CHECKOUT, Profiles.MAIN), first.stack());
        assertArrayEquals(new long[] {30, 300}, first.values());
        assertEquals(Map.of("thread", "worker-1"), first.labels());
        assertEquals(
                List.of(Profiles.MEMCPY, Profiles.SYSCALL, Profiles.CHECKOUT, Profiles.MAIN),
                samples.get(1).stack());
        assertEquals(
                List.of(new ValueType("samples", "count"), new ValueType("cpu", "nanoseconds")),
                ProfileReader.valueTypes(decoded));
        assertEquals(10_101_010, decoded.getPeriod());
    }

    @Test
    void storesEachStringFunctionLocationAndMappingOnce() {
        Profile p = Profiles.shop();
        assertEquals(
                p.getStringTableList().size(),
                p.getStringTableList().stream().distinct().count());
        assertEquals(5, p.getFunctionCount());
        assertEquals(5, p.getLocationCount());
        assertEquals(2, p.getMappingCount());
    }

    @Test
    void sumsEqualSamplesAndKeepsDifferentLabelsApart() {
        Profile p = new ProfileBuilder(ProfileType.OFFCPU)
                .add(List.of(Profiles.MAIN), new long[] {5}, Map.of("thread", "a"))
                .add(List.of(Profiles.MAIN), new long[] {7}, Map.of("thread", "a"))
                .add(List.of(Profiles.MAIN), new long[] {1}, Map.of("thread", "b"))
                .build();
        assertEquals(2, p.getSampleCount());
        assertEquals(12, p.getSample(0).getValue(0));
        assertEquals(1, p.getSample(1).getValue(0));
    }

    @Test
    void rejectsWrongNumberOfValues() {
        var b = new ProfileBuilder(ProfileType.CPU);
        var e = assertThrows(
                IllegalArgumentException.class, () -> b.add(List.of(Profiles.MAIN), new long[] {1}, Map.of()));
        assertEquals("sample has 1 values, the profile has 2 value types", e.getMessage());
    }
}
