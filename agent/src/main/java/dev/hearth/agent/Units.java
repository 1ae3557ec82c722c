package dev.hearth.agent;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Human units on the command line: durations like {@code 10s}, sizes like {@code 100MB}. */
public final class Units {
    private static final Pattern AMOUNT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)");

    private Units() {}

    /** {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, a bare number of seconds, or ISO-8601 ({@code PT10S}). */
    public static Duration duration(String text) {
        String t = text.trim();
        if (t.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return Duration.parse(t);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a duration: '" + text + "'");
            }
        }
        Matcher m = AMOUNT.matcher(t);
        if (!m.matches())
            throw new IllegalArgumentException("not a duration: '" + text + "' (e.g. 500ms, 10s, 2m, 1h)");
        double n = Double.parseDouble(m.group(1));
        long nanosPerUnit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "ns" -> 1L;
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "", "s" -> 1_000_000_000L;
            case "m", "min" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            default ->
                throw new IllegalArgumentException("unknown time unit in '" + text + "' (ns, us, ms, s, m, h, d)");
        };
        return Duration.ofNanos(Math.round(n * nanosPerUnit));
    }

    /** {@code 1048576}, {@code 512k}, {@code 100MB}, {@code 1GiB}: powers of 1024. */
    static long bytes(String text) {
        Matcher m = AMOUNT.matcher(text.trim());
        if (!m.matches()) throw new IllegalArgumentException("not a size: '" + text + "' (e.g. 512k, 100MB, 1G)");
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT).replaceAll("i?b$", "");
        long mult = switch (unit) {
            case "" -> 1L;
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            default -> throw new IllegalArgumentException("unknown size unit in '" + text + "' (k, M, G)");
        };
        return Math.round(n * mult);
    }

    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return duration(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return bytes(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
