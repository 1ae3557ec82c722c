package dev.hearth.pprof;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The profile types Hearth stores, with their pprof sample types. The last value is the default
 * one (what a flame graph shows), as pprof's convention for default_sample_type.
 */
public enum ProfileType {
    CPU(
            new ValueType("cpu", "nanoseconds"),
            List.of(new ValueType("samples", "count"), new ValueType("cpu", "nanoseconds"))),
    OFFCPU(new ValueType("offcpu", "nanoseconds"), List.of(new ValueType("offcpu", "nanoseconds"))),
    UPROBE(
            new ValueType("calls", "count"),
            List.of(new ValueType("calls", "count"), new ValueType("latency", "nanoseconds"))),
    ALLOC(
            new ValueType("space", "bytes"),
            List.of(new ValueType("alloc_objects", "count"), new ValueType("alloc_space", "bytes"))),
    LOCK(
            new ValueType("contentions", "count"),
            List.of(new ValueType("contentions", "count"), new ValueType("delay", "nanoseconds"))),
    WALL(
            new ValueType("wall", "nanoseconds"),
            List.of(new ValueType("samples", "count"), new ValueType("wall", "nanoseconds")));

    private final ValueType periodType;
    private final List<ValueType> valueTypes;

    ProfileType(ValueType periodType, List<ValueType> valueTypes) {
        this.periodType = periodType;
        this.valueTypes = valueTypes;
    }

    /** The lower-case name used in the API: "cpu", "offcpu", … */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public ValueType periodType() {
        return periodType;
    }

    public List<ValueType> valueTypes() {
        return valueTypes;
    }

    /** Index of the value shown by default: the last one. */
    public int defaultValueIndex() {
        return valueTypes.size() - 1;
    }

    public static ProfileType ofId(String id) {
        for (ProfileType t : values()) {
            if (t.id().equals(id)) return t;
        }
        throw new IllegalArgumentException("unknown profile type '" + id + "', expected one of "
                + Arrays.stream(values()).map(ProfileType::id).collect(Collectors.joining(", ")));
    }
}
