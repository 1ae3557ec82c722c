package dev.hearth.pprof;

import dev.hearth.pprof.proto.Function;
import dev.hearth.pprof.proto.Label;
import dev.hearth.pprof.proto.Line;
import dev.hearth.pprof.proto.Location;
import dev.hearth.pprof.proto.Mapping;
import dev.hearth.pprof.proto.Profile;
import dev.hearth.pprof.proto.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds one pprof profile, storing every string, mapping, function and location once, and
 * summing samples whose stack and labels are equal.
 */
public final class ProfileBuilder {
    private final List<ValueType> valueTypes;
    private final ValueType periodType;
    private final Profile.Builder profile = Profile.newBuilder();
    private final Map<String, Long> strings = new HashMap<>();
    private final Map<List<String>, Long> mappings = new HashMap<>();
    private final Map<FunctionKey, Long> functions = new HashMap<>();
    private final Map<LocationKey, Long> locations = new HashMap<>();
    private final Map<SampleKey, long[]> samples = new LinkedHashMap<>();

    private record FunctionKey(String name, FrameKind kind, String file) {}

    private record LocationKey(long function, long line, long mapping) {}

    private record SampleKey(long[] locations, Map<String, String> labels) {
        @Override
        public boolean equals(Object o) {
            return o instanceof SampleKey k && Arrays.equals(locations, k.locations) && labels.equals(k.labels);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(locations) + labels.hashCode();
        }
    }

    public ProfileBuilder(ProfileType type) {
        this(type.valueTypes(), type.periodType());
    }

    public ProfileBuilder(List<ValueType> valueTypes, ValueType periodType) {
        if (valueTypes.isEmpty()) throw new IllegalArgumentException("a profile needs at least one value type");
        this.valueTypes = List.copyOf(valueTypes);
        this.periodType = periodType;
        string("");
    }

    public ProfileBuilder timeNanos(long timeNanos) {
        profile.setTimeNanos(timeNanos);
        return this;
    }

    public ProfileBuilder durationNanos(long durationNanos) {
        profile.setDurationNanos(durationNanos);
        return this;
    }

    public ProfileBuilder period(long period) {
        profile.setPeriod(period);
        return this;
    }

    public ProfileBuilder comment(String comment) {
        profile.addComment(string(comment));
        return this;
    }

    /** Adds (or sums into) a sample. {@code stack} is leaf first; values match the value types. */
    public ProfileBuilder add(List<StackFrame> stack, long[] values, Map<String, String> labels) {
        if (values.length != valueTypes.size()) {
            throw new IllegalArgumentException(
                    "sample has " + values.length + " values, the profile has " + valueTypes.size() + " value types");
        }
        long[] ids = new long[stack.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = location(stack.get(i));
        SampleKey key = new SampleKey(ids, labels.isEmpty() ? Map.of() : new TreeMap<>(labels));
        long[] sum = samples.computeIfAbsent(key, k -> new long[values.length]);
        for (int i = 0; i < values.length; i++) sum[i] += values[i];
        return this;
    }

    public ProfileBuilder add(ResolvedSample sample) {
        return add(sample.stack(), sample.values(), sample.labels());
    }

    public int sampleCount() {
        return samples.size();
    }

    public Profile build() {
        Profile.Builder out = profile.clone();
        for (ValueType vt : valueTypes) out.addSampleType(valueType(vt));
        if (periodType != null) out.setPeriodType(valueType(periodType));
        out.setDefaultSampleType(string(valueTypes.get(valueTypes.size() - 1).type()));
        samples.forEach((key, values) -> {
            Sample.Builder s = Sample.newBuilder();
            for (long id : key.locations) s.addLocationId(id);
            for (long v : values) s.addValue(v);
            key.labels.forEach(
                    (k, v) -> s.addLabel(Label.newBuilder().setKey(string(k)).setStr(string(v))));
            out.addSample(s);
        });
        // string() above may have added strings; the table is written last.
        String[] table = new String[strings.size()];
        strings.forEach((s, i) -> table[i.intValue()] = s);
        out.addAllStringTable(Arrays.asList(table));
        return out.build();
    }

    private dev.hearth.pprof.proto.ValueType valueType(ValueType vt) {
        return dev.hearth.pprof.proto.ValueType.newBuilder()
                .setType(string(vt.type()))
                .setUnit(string(vt.unit()))
                .build();
    }

    private long string(String s) {
        Long id = strings.get(s);
        if (id != null) return id;
        long next = strings.size();
        strings.put(s, next);
        return next;
    }

    private long location(StackFrame f) {
        long function = function(f);
        long mapping = mapping(f);
        return locations.computeIfAbsent(new LocationKey(function, f.line(), mapping), k -> {
            long id = locations.size() + 1;
            Location.Builder loc = Location.newBuilder().setId(id).setMappingId(mapping);
            loc.addLine(Line.newBuilder().setFunctionId(function).setLine(f.line()));
            profile.addLocation(loc);
            return id;
        });
    }

    private long function(StackFrame f) {
        return functions.computeIfAbsent(new FunctionKey(f.name(), f.kind(), f.file()), k -> {
            long id = functions.size() + 1;
            profile.addFunction(Function.newBuilder()
                    .setId(id)
                    .setName(string(f.name()))
                    .setSystemName(string(f.kind().suffixed(f.name())))
                    .setFilename(string(f.file())));
            return id;
        });
    }

    /** 0 (no mapping) for frames without a binary. */
    private long mapping(StackFrame f) {
        if (f.binary().isEmpty()) return 0;
        return mappings.computeIfAbsent(List.of(f.binary(), f.buildId()), k -> {
            long id = mappings.size() + 1;
            profile.addMapping(Mapping.newBuilder()
                    .setId(id)
                    .setFilename(string(f.binary()))
                    .setBuildId(string(f.buildId()))
                    .setHasFunctions(true));
            return id;
        });
    }

    /** Value types as given, for callers that build sample arrays. */
    public List<ValueType> valueTypes() {
        return new ArrayList<>(valueTypes);
    }
}
