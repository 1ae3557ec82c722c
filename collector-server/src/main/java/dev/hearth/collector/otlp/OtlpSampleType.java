package dev.hearth.collector.otlp;

import dev.hearth.collector.query.Sums;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.ValueType;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which of our profile types an OTLP profile is, and how its one sample value fills that type's
 * values. An OTLP profile has a single sample type (since the v1.9 layout); ours have a count and an
 * amount, so the other one comes from the period: async-profiler writes {@code cpu/count} with a
 * period of nanoseconds, the OpenTelemetry eBPF profiler {@code samples/count} with period type
 * {@code cpu/nanoseconds}, others write the amount itself.
 */
public record OtlpSampleType(ProfileType type, String unit, String periodUnit, long period) {
    private static final Map<String, ProfileType> BY_NAME = Map.ofEntries(
            Map.entry("cpu", ProfileType.CPU),
            Map.entry("cpu-time", ProfileType.CPU),
            Map.entry("itimer", ProfileType.CPU),
            Map.entry("wall", ProfileType.WALL),
            Map.entry("offcpu", ProfileType.OFFCPU),
            Map.entry("off_cpu", ProfileType.OFFCPU),
            Map.entry("off-cpu", ProfileType.OFFCPU),
            Map.entry("alloc", ProfileType.ALLOC),
            Map.entry("allocations", ProfileType.ALLOC),
            Map.entry("alloc_objects", ProfileType.ALLOC),
            Map.entry("alloc_space", ProfileType.ALLOC),
            Map.entry("lock", ProfileType.LOCK),
            Map.entry("locks", ProfileType.LOCK),
            Map.entry("contentions", ProfileType.LOCK),
            Map.entry("delay", ProfileType.LOCK),
            Map.entry("calls", ProfileType.UPROBE));
    private static final String COUNT = "count";

    /**
     * The type named by the sample type, or by the period type when the sample type is a plain
     * "samples" count; units must fit one of the type's values.
     */
    public static OtlpSampleType of(
            String sampleType, String sampleUnit, String periodType, String periodUnit, long period)
            throws OtlpFormatException {
        if (period < 0) throw new OtlpFormatException("negative period " + period);
        String name = sampleType.toLowerCase(Locale.ROOT);
        if (name.equals("samples") || name.equals("events")) name = periodType.toLowerCase(Locale.ROOT);
        ProfileType type = BY_NAME.get(name);
        if (type == null) {
            throw new OtlpFormatException(
                    "sample type '" + sampleType + "' (period type '" + periodType + "') is none of the profile types"
                            + " stored here; known names: " + new java.util.TreeSet<>(BY_NAME.keySet()));
        }
        String unit = sampleUnit.toLowerCase(Locale.ROOT);
        if (type.valueTypes().stream().noneMatch(v -> v.unit().equals(unit))) {
            throw new OtlpFormatException("sample unit '" + sampleUnit + "' does not fit a " + type.id()
                    + " profile, expected one of "
                    + type.valueTypes().stream().map(ValueType::unit).distinct().toList());
        }
        return new OtlpSampleType(type, unit, periodUnit.toLowerCase(Locale.ROOT), period);
    }

    /**
     * The values of one sample, in the order of the type's value types. {@code value} is in the
     * sample unit; {@code events} is how many events it stands for when the sample carries only
     * timestamps, else -1.
     */
    public long[] values(long value, long events) {
        List<ValueType> columns = type.valueTypes();
        long[] out = new long[columns.size()];
        for (int i = 0; i < out.length; i++) {
            String columnUnit = columns.get(i).unit();
            if (columnUnit.equals(unit)) out[i] = value;
            else if (columnUnit.equals(COUNT))
                out[i] = events >= 0 ? events : period > 0 && unit.equals(periodUnit) ? value / period : 0;
            else if (unit.equals(COUNT) && columnUnit.equals(periodUnit) && period > 0) out[i] = times(value, period);
        }
        return out;
    }

    /** The sample value of a sample with no values: its events, as an amount when the unit is not a count. */
    public long valueOfEvents(long events) {
        if (unit.equals(COUNT)) return events;
        return unit.equals(periodUnit) ? times(events, period) : 0;
    }

    private static long times(long a, long b) {
        long hi = Math.multiplyHigh(a, b), lo = a * b;
        return hi != 0 || lo < 0 ? Sums.SATURATED : lo;
    }
}
