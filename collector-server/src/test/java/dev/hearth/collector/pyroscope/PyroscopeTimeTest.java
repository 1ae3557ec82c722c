package dev.hearth.collector.pyroscope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PyroscopeTimeTest {
    static final long NOW = 1_700_000_123_456L;

    @Test
    void unitsByNumberOfDigits() {
        assertEquals(1_700_000_000_000L, PyroscopeTime.parseMs("1700000000", NOW)); // seconds
        assertEquals(1_700_000_000_123L, PyroscopeTime.parseMs("1700000000123", NOW)); // ms: 13 digits
        assertEquals(1_700_000_000_123L, PyroscopeTime.parseMs("1700000000123456", NOW)); // µs: 16
        assertEquals(1_700_000_000_123L, PyroscopeTime.parseMs("1700000000123456789", NOW)); // ns: 19
        assertEquals(1_000L, PyroscopeTime.parseMs("1", NOW)); // any other length is seconds
        assertEquals(1_700_000_000_000L, PyroscopeTime.parseMs("1_700_000_000", NOW));
    }

    @Test
    void datesNowAndOffsets() {
        assertEquals(1_704_067_200_000L, PyroscopeTime.parseMs("20240101", NOW));
        assertEquals(NOW, PyroscopeTime.parseMs("now", NOW));
        assertEquals(NOW - 3_600_000L, PyroscopeTime.parseMs("now-1h", NOW));
        assertEquals(NOW - 5_400_000L, PyroscopeTime.parseMs("now-1h30m", NOW));
        assertEquals(NOW + 600_000L, PyroscopeTime.parseMs("now+10min", NOW));
        assertEquals(NOW - 7L * 86_400_000L, PyroscopeTime.parseMs("now-1w", NOW));
        assertEquals(NOW - 30L * 86_400_000L, PyroscopeTime.parseMs("now-1M", NOW));
        assertEquals(NOW - 2_000L, PyroscopeTime.parseMs("-2s", NOW));
    }

    @Test
    void garbageIsAnErrorNotNow() {
        for (String bad : new String[] {
            "yesterday",
            "now-",
            "now-1x",
            "now-h",
            "tomorrow+1d",
            "1e9",
            "99999999999999999999",
            "now-9999999999y",
            "now-999999999y999999999y999999999y999999999y",
            "9".repeat(70)
        }) {
            assertThrows(IllegalArgumentException.class, () -> PyroscopeTime.parseMs(bad, NOW), bad);
        }
    }
}
