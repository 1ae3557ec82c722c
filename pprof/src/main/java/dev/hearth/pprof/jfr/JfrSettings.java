package dev.hearth.pprof.jfr;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;

/**
 * The recorder's settings (jdk.ActiveSetting events), which give the sampling intervals that
 * turn sample counts into nanoseconds. async-profiler writes "interval" and "wall" in
 * nanoseconds on the execution-sample type; the JDK's recorder writes "period" as "20 ms".
 */
final class JfrSettings {
    static final long DEFAULT_CPU_INTERVAL_NANOS = 10_000_000;
    static final long DEFAULT_WALL_INTERVAL_NANOS = 50_000_000;

    private final Map<String, String> byName = new HashMap<>();
    private final Map<Long, Map<String, String>> byType = new HashMap<>();

    void add(RecordedEvent setting) {
        String name = setting.getString("name");
        String value = setting.getString("value");
        if (name == null || value == null) return;
        byName.put(name, value);
        byType.computeIfAbsent(setting.getLong("id"), k -> new HashMap<>()).put(name, value);
    }

    /** Nanoseconds one CPU sample stands for. */
    long cpuIntervalNanos(long executionSampleTypeId) {
        Map<String, String> exec = byType.getOrDefault(executionSampleTypeId, Map.of());
        long interval = nanos(exec.get("interval"));
        if (interval <= 0) interval = nanos(exec.get("period"));
        return interval > 0 ? interval : DEFAULT_CPU_INTERVAL_NANOS;
    }

    /** Nanoseconds one wall-clock sample stands for (async-profiler only). */
    long wallIntervalNanos() {
        long wall = nanos(byName.get("wall"));
        if (wall > 0) return wall;
        if ("wall".equals(byName.get("event")) && nanos(byName.get("interval")) > 0)
            return nanos(byName.get("interval"));
        return DEFAULT_WALL_INTERVAL_NANOS;
    }

    /** Plain numbers are nanoseconds; "20 ms", "1 s", "500 us", "100 ns" carry a unit. */
    static long nanos(String value) {
        if (value == null) return -1;
        String v = value.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < v.length() && Character.isDigit(v.charAt(i))) i++;
        if (i == 0) return -1;
        long n;
        try {
            n = Long.parseLong(v.substring(0, i));
        } catch (NumberFormatException e) {
            return -1;
        }
        return switch (v.substring(i).trim()) {
            case "", "ns" -> n;
            case "us" -> n * 1_000;
            case "ms" -> n * 1_000_000;
            case "s" -> n * 1_000_000_000;
            default -> -1;
        };
    }
}
