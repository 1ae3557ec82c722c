package dev.hearth.agent.query;

import dev.hearth.agent.Units;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point in time on the query command line, as Unix milliseconds: {@code now}, {@code now-1h},
 * {@code now-30m} (any duration of the agent's units, and {@code d}), an ISO date-time with an
 * offset ({@code 2026-11-29T10:00:00Z}), a local one in the given zone ({@code 2026-11-29T10:00},
 * {@code 2026-11-29 10:00:30}, {@code 2026-11-29}), or milliseconds since the epoch.
 */
public final class QueryTime {
    private static final Pattern RELATIVE = Pattern.compile("now\\s*(?:([-+])\\s*(.+))?");
    private static final Pattern MILLIS = Pattern.compile("\\d{1,15}");

    private QueryTime() {}

    public static long parse(String text, Instant now, ZoneId zone) {
        String t = text.strip();
        Matcher m = RELATIVE.matcher(t);
        if (m.matches()) {
            if (m.group(1) == null) return now.toEpochMilli();
            long offset = Units.duration(m.group(2)).toMillis();
            return m.group(1).equals("-") ? now.toEpochMilli() - offset : now.toEpochMilli() + offset;
        }
        if (MILLIS.matcher(t).matches()) return Long.parseLong(t);
        String iso = t.replace(' ', 'T');
        try {
            return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
        } catch (DateTimeParseException notOffset) {
            // a local date-time or a date, read in the zone
        }
        try {
            return LocalDateTime.parse(iso).atZone(zone).toInstant().toEpochMilli();
        } catch (DateTimeParseException notLocal) {
            // a date alone
        }
        try {
            return LocalDate.parse(iso).atStartOfDay(zone).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a time: '" + text
                    + "' (now, now-1h, 2026-11-29T10:00, 2026-11-29T10:00:00Z," + " or milliseconds since 1970)");
        }
    }
}
