package dev.hearth.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {
    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), Units.duration("500ms"));
        assertEquals(Duration.ofSeconds(10), Units.duration("10s"));
        assertEquals(Duration.ofSeconds(10), Units.duration("10"));
        assertEquals(Duration.ofMillis(1500), Units.duration("1.5s"));
        assertEquals(Duration.ofMinutes(2), Units.duration("2m"));
        assertEquals(Duration.ofNanos(1000), Units.duration("1us"));
        assertEquals(Duration.ofSeconds(30), Units.duration("PT30S"));
        assertThrows(IllegalArgumentException.class, () -> Units.duration("10 parsecs"));
        assertThrows(IllegalArgumentException.class, () -> Units.duration("soon"));
    }

    @Test
    void sizes() {
        assertEquals(100L << 20, Units.bytes("100MB"));
        assertEquals(512L << 10, Units.bytes("512k"));
        assertEquals(1L << 30, Units.bytes("1GiB"));
        assertEquals(4096, Units.bytes("4096"));
        assertThrows(IllegalArgumentException.class, () -> Units.bytes("5 TB"));
    }
}
