package dev.hearth.collector.otlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hearth.pprof.ProfileType;
import org.junit.jupiter.api.Test;

/** How the sample types that OTLP producers write become our profile types and values. */
class OtlpSampleTypeTest {
    @Test
    void asyncProfilerCountsWithAPeriodGiveSamplesAndNanoseconds() throws Exception {
        OtlpSampleType t = OtlpSampleType.of("cpu", "count", "cpu", "nanoseconds", 10_000_000);
        assertEquals(ProfileType.CPU, t.type());
        assertArrayEquals(new long[] {3, 30_000_000}, t.values(t.valueOfEvents(3), 3)); // timestamps only
        assertArrayEquals(new long[] {4, 40_000_000}, t.values(4, -1));
    }

    @Test
    void theEbpfProfilersSamplesAreNamedByThePeriodType() throws Exception {
        OtlpSampleType t = OtlpSampleType.of("samples", "count", "cpu", "nanoseconds", 50_000_000);
        assertEquals(ProfileType.CPU, t.type());
        assertEquals(
                ProfileType.WALL,
                OtlpSampleType.of("samples", "count", "wall", "nanoseconds", 1).type());
    }

    @Test
    void amountsKeepTheirValueAndCountByPeriod() throws Exception {
        OtlpSampleType cpu = OtlpSampleType.of("cpu", "nanoseconds", "cpu", "nanoseconds", 10);
        assertArrayEquals(new long[] {5, 50}, cpu.values(50, -1));
        OtlpSampleType alloc = OtlpSampleType.of("alloc_space", "bytes", "", "", 0);
        assertEquals(ProfileType.ALLOC, alloc.type());
        assertArrayEquals(new long[] {0, 4096}, alloc.values(4096, -1));
        OtlpSampleType offcpu = OtlpSampleType.of("off_cpu", "nanoseconds", "", "", 0);
        assertArrayEquals(new long[] {7}, offcpu.values(7, -1));
    }

    @Test
    void productsSaturate() throws Exception {
        OtlpSampleType t = OtlpSampleType.of("cpu", "count", "cpu", "nanoseconds", 10_000_000);
        assertArrayEquals(new long[] {Long.MAX_VALUE / 2, Long.MAX_VALUE}, t.values(Long.MAX_VALUE / 2, -1));
    }

    @Test
    void unknownTypesUnitsAndPeriodsAreRefused() {
        assertThrows(OtlpFormatException.class, () -> OtlpSampleType.of("goroutines", "count", "", "", 0));
        assertThrows(OtlpFormatException.class, () -> OtlpSampleType.of("cpu", "bytes", "cpu", "nanoseconds", 1));
        assertThrows(OtlpFormatException.class, () -> OtlpSampleType.of("cpu", "count", "cpu", "nanoseconds", -1));
    }
}
