package dev.hearth.pprof.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JfrSettingsTest {
    @Test
    void intervalsReadAsAsyncProfilerAndTheJdkWriteThem() {
        assertEquals(10_000_000, JfrSettings.nanos("10000000"));
        assertEquals(20_000_000, JfrSettings.nanos("20 ms"));
        assertEquals(1_000_000_000, JfrSettings.nanos("1 s"));
        assertEquals(500_000, JfrSettings.nanos("500us"));
        assertEquals(-1, JfrSettings.nanos("everyChunk"));
        assertEquals(-1, JfrSettings.nanos("10 parsecs"));
        assertEquals(-1, JfrSettings.nanos(null));
    }
}
