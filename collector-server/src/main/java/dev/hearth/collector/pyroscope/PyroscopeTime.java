package dev.hearth.collector.pyroscope;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Pyroscope's {@code from}/{@code until}, read as its server reads them: Unix seconds, or
 * milliseconds, microseconds or nanoseconds told apart by their number of digits (13, 16, 19), a
 * date {@code YYYYMMDD}, {@code now}, or {@code now} with offsets ({@code now-1h}, {@code now-1h30m}).
 * Unlike Pyroscope, which falls back to the current time, anything else is an error.
 */
public final class PyroscopeTime {
    private static final int MAX_LENGTH = 64;

    private PyroscopeTime() {}

    /** Unix milliseconds; an IllegalArgumentException for a malformed or overflowing time. */
    public static long parseMs(String text, long nowMs) {
        if (text.length() > MAX_LENGTH)
            throw new IllegalArgumentException("is longer than " + MAX_LENGTH + " characters");
        String s = text.strip().replace("_", "").replace(",", "").replace(" ", "");
        if (s.isEmpty() || s.equals("now")) return nowMs;
        if (s.chars().allMatch(c -> c >= '0' && c <= '9')) return absolute(s);
        int sign = s.indexOf('+') >= 0 ? s.indexOf('+') : s.indexOf('-');
        String ref = sign < 0 ? s : s.substring(0, sign);
        if (!ref.isEmpty() && !ref.equals("now"))
            throw new IllegalArgumentException("'" + text + "' is not a time (Unix seconds, ms, µs, ns, or now-1h)");
        if (sign < 0) return nowMs;
        long offsetSeconds = offsetSeconds(s.substring(sign + 1), text);
        try {
            return Math.addExact(
                    nowMs, Math.multiplyExact(s.charAt(sign) == '-' ? -offsetSeconds : offsetSeconds, 1000L));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is out of range");
        }
    }

    private static long absolute(String digits) {
        if (digits.length() == 8) {
            try {
                LocalDate d = LocalDate.parse(
                        digits.substring(0, 4) + "-" + digits.substring(4, 6) + "-" + digits.substring(6));
                if (d.getYear() > 1900)
                    return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                // not a date: seconds, as Pyroscope reads it
            }
        }
        long v;
        try {
            v = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + digits + "' is out of range");
        }
        return switch (digits.length()) {
            case 13 -> v;
            case 16 -> v / 1_000L;
            case 19 -> v / 1_000_000L;
            default -> {
                if (v > Long.MAX_VALUE / 1000) throw new IllegalArgumentException("'" + digits + "' is out of range");
                yield v * 1000L;
            }
        };
    }

    /** "1h30m" (one sign for all its parts, as Pyroscope reads it) in seconds. */
    private static long offsetSeconds(String offset, String text) {
        long total = 0;
        int i = 0;
        if (offset.isEmpty()) throw new IllegalArgumentException("'" + text + "' has an empty offset");
        while (i < offset.length()) {
            int start = i;
            while (i < offset.length() && Character.isDigit(offset.charAt(i))) i++;
            if (i == start || i - start > 9)
                throw new IllegalArgumentException(
                        "'" + text + "' needs a number of at most 9 digits before each unit");
            long n = Long.parseLong(offset.substring(start, i));
            int unitStart = i;
            while (i < offset.length() && !Character.isDigit(offset.charAt(i))) i++;
            long unit = unitSeconds(offset.substring(unitStart, i));
            if (unit == 0)
                throw new IllegalArgumentException("'" + text + "' has an unknown unit '"
                        + offset.substring(unitStart, i) + "' (s, m or min, h, d, w, M or mon, y)");
            total += n * unit; // at most 9 digits times a year per part: no overflow for the few parts a bounded string
            // holds
        }
        return total;
    }

    /** Seconds in a unit named by its start, as Pyroscope matches them; 0 when unknown. */
    private static long unitSeconds(String u) {
        if (u.startsWith("s")) return 1;
        if (u.startsWith("mon") || u.startsWith("M")) return 30L * 24 * 3600;
        if (u.startsWith("m")) return 60;
        if (u.startsWith("h")) return 3600;
        if (u.startsWith("d")) return 24L * 3600;
        if (u.startsWith("w")) return 7L * 24 * 3600;
        if (u.startsWith("y")) return 365L * 24 * 3600;
        return 0;
    }
}
