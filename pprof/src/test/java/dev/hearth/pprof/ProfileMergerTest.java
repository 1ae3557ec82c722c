package dev.hearth.pprof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hearth.pprof.proto.Profile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileMergerTest {
    @Test
    void sumsEqualStacksAndSpansBothTimeRanges() {
        Profile later =
                Profiles.shop().toBuilder().setTimeNanos(20_000_000_000L).build();
        Profile merged = ProfileMerger.merge(List.of(Profiles.shop(), later));
        List<ResolvedSample> samples = ProfileReader.samples(merged);
        assertEquals(3, samples.size());
        assertArrayEquals(new long[] {60, 600}, samples.get(0).values());
        assertEquals(1_000_000_000L, merged.getTimeNanos());
        assertEquals(29_000_000_000L, merged.getDurationNanos());
    }

    @Test
    void refusesDifferentSampleTypes() {
        Profile offcpu = new ProfileBuilder(ProfileType.OFFCPU)
                .add(List.of(Profiles.MAIN), new long[] {1}, Map.of())
                .build();
        assertThrows(IllegalArgumentException.class, () -> ProfileMerger.merge(List.of(Profiles.shop(), offcpu)));
    }
}
