package dev.hearth.agent.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class QueryTimeTest {
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static long parse(String s) {
        return QueryTime.parse(s, NOW, PARIS);
    }

    @Test
    void relativeToNow() {
        assertEquals(NOW.toEpochMilli(), parse("now"));
        assertEquals(NOW.toEpochMilli() - 3_600_000, parse("now-1h"));
        assertEquals(NOW.toEpochMilli() - 90_000, parse("now - 90s"));
        assertEquals(NOW.toEpochMilli() - 7 * 86_400_000L, parse("now-7d"));
        assertEquals(NOW.toEpochMilli() + 1_500, parse("now+1500ms"));
    }

    @Test
    void absoluteForms() {
        assertEquals(Instant.parse("2026-11-29T10:00:00Z").toEpochMilli(), parse("2026-11-29T10:00:00Z"));
        assertEquals(Instant.parse("2026-11-29T08:00:00Z").toEpochMilli(), parse("2026-11-29T10:00:00+02:00"));
        assertEquals(
                Instant.parse("2026-11-29T09:00:00Z").toEpochMilli(),
                parse("2026-11-29T10:00"),
                "local time, Paris is UTC+1 in winter");
        assertEquals(Instant.parse("2026-11-29T09:00:30Z").toEpochMilli(), parse("2026-11-29 10:00:30"));
        assertEquals(Instant.parse("2026-11-28T23:00:00Z").toEpochMilli(), parse("2026-11-29"));
        assertEquals(1_764_000_000_000L, parse("1764000000000"));
    }

    @Test
    void refusesWhatIsNotATime() {
        for (String bad : new String[] {"yesterday", "now-1y", "now-", "2026-13-01", "12:00", "9999999999999999"}) {
            assertThrows(IllegalArgumentException.class, () -> parse(bad), bad);
        }
        assertEquals(
                "not a time: 'yesterday' (now, now-1h, 2026-11-29T10:00, 2026-11-29T10:00:00Z, or milliseconds since 1970)",
                assertThrows(IllegalArgumentException.class, () -> parse("yesterday"))
                        .getMessage());
    }
}
