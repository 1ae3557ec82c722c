package dev.hearth.collector.otlp;

import dev.hearth.collector.labels.Labels;
import dev.hearth.collector.query.Sums;
import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.ProfileBuilder;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.StackFrame;
import dev.hearth.pprof.proto.Profile;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.profiles.v1development.Function;
import io.opentelemetry.proto.profiles.v1development.KeyValueAndUnit;
import io.opentelemetry.proto.profiles.v1development.Line;
import io.opentelemetry.proto.profiles.v1development.Location;
import io.opentelemetry.proto.profiles.v1development.Mapping;
import io.opentelemetry.proto.profiles.v1development.ProfilesDictionary;
import io.opentelemetry.proto.profiles.v1development.Sample;
import io.opentelemetry.proto.profiles.v1development.Stack;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns one OTLP profile (the v1development layout of opentelemetry-proto 1.10: tables in a shared
 * dictionary, samples pointing at a stack, attributes by index) into a pprof profile with the
 * service, labels and time window to store it under. Pure; every index is checked against its
 * table and every count against a bound, so a hostile message ends in {@link OtlpFormatException}.
 *
 * <p>Stacks are shared: many samples, and many profiles, may point at one deep stack, so the work
 * is bounded by frames built for the whole request (each distinct stack and label set of a profile
 * once, cut past the depth limit), not by message size.
 */
public final class OtlpProfiles {
    /** The resource attribute naming the service (OpenTelemetry semantic conventions). */
    public static final String SERVICE_NAME = "service.name";
    /** What OpenTelemetry calls a service that did not name itself. */
    public static final String UNKNOWN_SERVICE = "unknown_service";
    /** The sample attribute holding the thread name; stored as our {@link #THREAD_LABEL}. */
    static final String THREAD_NAME = "thread.name";

    static final String THREAD_LABEL = "thread";
    /** The location attribute naming the kind of frame (OpenTelemetry profiles semantic conventions). */
    static final String FRAME_TYPE = "profile.frame.type";

    static final int MAX_SAMPLE_ATTRIBUTES = 64;
    /** Frames built for one request (its profiles' distinct stacks times their depth): past it a profile is refused. */
    static final long MAX_FRAMES = 16L << 20;

    private static final int MAX_VALUE_LENGTH = 1024;

    /** A converted profile and where it goes. */
    public record Converted(
            ProfileType type,
            String service,
            SortedMap<String, String> labels,
            long fromMs,
            long untilMs,
            Profile profile) {}

    private final ProfilesDictionary dict;
    private final int maxStackDepth;
    private final Map<Integer, List<StackFrame>> stacks = new HashMap<>();
    private final Map<Integer, StackFrame[]> locations = new HashMap<>();
    private final Map<List<Integer>, Map<String, String>> sampleLabels = new HashMap<>();
    private long frames;

    /** One converter per request: stacks, locations and label sets are made once for all its profiles. */
    public OtlpProfiles(ProfilesDictionary dict, int maxStackDepth) {
        this.dict = dict;
        this.maxStackDepth = maxStackDepth;
    }

    /** Converts a profile of a resource; {@code resource} and {@code scope} attributes become profile labels. */
    public Converted convert(
            io.opentelemetry.proto.profiles.v1development.Profile p, List<KeyValue> resource, List<KeyValue> scope)
            throws OtlpFormatException {
        OtlpSampleType st = OtlpSampleType.of(
                string(p.getSampleType().getTypeStrindex()),
                string(p.getSampleType().getUnitStrindex()),
                string(p.getPeriodType().getTypeStrindex()),
                string(p.getPeriodType().getUnitStrindex()),
                p.getPeriod());

        TreeMap<String, String> labels = new TreeMap<>();
        String service = UNKNOWN_SERVICE;
        for (List<KeyValue> attrs : List.of(resource, scope)) {
            for (KeyValue kv : attrs) {
                String v = text(kv.getValue());
                if (kv.getKey().equals(SERVICE_NAME) && attrs == resource) {
                    if (v != null && !v.isBlank()) service = v;
                } else putLabel(labels, kv.getKey(), v);
            }
        }
        for (int i : p.getAttributeIndicesList()) {
            KeyValueAndUnit a = attribute(i);
            putLabel(labels, string(a.getKeyStrindex()), text(a.getValue()));
        }
        labels.remove("service"); // the service is its own column
        SortedMap<String, String> checked;
        try { // the label rules of every ingest: count and length
            checked = Labels.parse(Labels.encode(labels));
        } catch (IllegalArgumentException e) {
            throw new OtlpFormatException(
                    "profile labels from resource, scope and profile attributes: " + e.getMessage());
        }

        if (p.getTimeUnixNano() <= 0) throw new OtlpFormatException("profile has no time_unix_nano");
        long fromMs = p.getTimeUnixNano() / 1_000_000L;
        long durationMs = p.getDurationNano() < 0 ? -1 : p.getDurationNano() / 1_000_000L;
        if (durationMs < 0) throw new OtlpFormatException("negative duration_nano " + p.getDurationNano());
        long untilMs = fromMs + Math.max(1, durationMs);

        // sum the samples by (stack, attributes) first: the frames of each are built once
        Map<SampleKey, long[]> sums = new HashMap<>();
        for (int k = 0; k < p.getSamplesCount(); k++) {
            Sample s = p.getSamples(k);
            long[] values = values(st, s, k);
            if (values == null) continue;
            if (s.getAttributeIndicesCount() > MAX_SAMPLE_ATTRIBUTES) {
                throw new OtlpFormatException("sample " + k + " has " + s.getAttributeIndicesCount()
                        + " attributes, at most " + MAX_SAMPLE_ATTRIBUTES);
            }
            entry("stack", s.getStackIndex(), dict.getStackTableList(), null);
            long[] sum = sums.computeIfAbsent(
                    new SampleKey(s.getStackIndex(), s.getAttributeIndicesList()), x -> new long[values.length]);
            for (int i = 0; i < values.length; i++) sum[i] = Sums.add(sum[i], values[i]);
        }

        long more = 0; // counted before any is built: a hostile profile costs one pass over its keys
        for (SampleKey key : sums.keySet()) more += stack(key.stack()).size();
        if (frames + more > MAX_FRAMES) {
            throw new OtlpFormatException(
                    "profile expands to " + more + " frames (distinct stacks and attributes times their depth),"
                            + " past the request's budget of " + MAX_FRAMES + " (" + frames + " used)");
        }
        frames += more;
        ProfileBuilder b = new ProfileBuilder(st.type())
                .timeNanos(p.getTimeUnixNano())
                .durationNanos(Math.max(0, p.getDurationNano()));
        if (st.period() > 0 && st.periodUnit().equals(st.type().periodType().unit())) b.period(st.period());
        for (Map.Entry<SampleKey, long[]> e : sums.entrySet())
            b.add(stack(e.getKey().stack()), e.getValue(), labels(e.getKey().attributes()));
        return new Converted(st.type(), service, checked, fromMs, untilMs, b.build());
    }

    private record SampleKey(int stack, List<Integer> attributes) {}

    /** A sample's values for our type; null when it counts nothing. */
    private static long[] values(OtlpSampleType st, Sample s, int k) throws OtlpFormatException {
        if (s.getValuesCount() == 0) { // each timestamp is one event
            long events = s.getTimestampsUnixNanoCount();
            return events == 0 ? null : st.values(st.valueOfEvents(events), events);
        }
        long value = 0;
        for (long v : s.getValuesList()) {
            if (v < 0) throw new OtlpFormatException("sample " + k + " has a negative value " + v);
            value = Sums.add(value, v);
        }
        return value == 0 ? null : st.values(value, -1);
    }

    /** A stack's frames, leaf first, cut one frame past the depth limit so the store marks it truncated. */
    private List<StackFrame> stack(int index) throws OtlpFormatException {
        List<StackFrame> cached = stacks.get(index);
        if (cached != null) return cached;
        List<Integer> locs = entry("stack", index, dict.getStackTableList(), Stack.getDefaultInstance())
                .getLocationIndicesList();
        List<StackFrame> out = new ArrayList<>(Math.min(locs.size(), maxStackDepth + 1));
        for (int i = 0; i < locs.size() && out.size() <= maxStackDepth; i++) {
            for (StackFrame f : location(locs.get(i))) {
                if (out.size() > maxStackDepth) break;
                out.add(f);
            }
        }
        stacks.put(index, out);
        return out;
    }

    /** A location's frames, leaf first: lines before the last are inlined into it. */
    private StackFrame[] location(int index) throws OtlpFormatException {
        StackFrame[] cached = locations.get(index);
        if (cached != null) return cached;
        Location l = entry("location", index, dict.getLocationTableList(), Location.getDefaultInstance());
        Mapping m = entry("mapping", l.getMappingIndex(), dict.getMappingTableList(), Mapping.getDefaultInstance());
        String binary = string(m.getFilenameStrindex());
        FrameKind kind = FrameKind.NATIVE;
        for (int a : l.getAttributeIndicesList()) {
            KeyValueAndUnit attr = attribute(a);
            if (string(attr.getKeyStrindex()).equals(FRAME_TYPE)) kind = frameKind(text(attr.getValue()));
        }
        StackFrame[] out;
        if (l.getLinesCount() == 0) { // unsymbolized, named by binary and address as stored pprof frames are
            String name = (binary.isEmpty() ? "" : binary + "+") + "0x" + Long.toHexString(l.getAddress());
            out = new StackFrame[] {new StackFrame(name, FrameKind.UNKNOWN, "", 0, binary, "")};
        } else {
            out = new StackFrame[l.getLinesCount()];
            for (int i = 0; i < out.length; i++) {
                Line line = l.getLines(i);
                Function f = entry(
                        "function",
                        line.getFunctionIndex(),
                        dict.getFunctionTableList(),
                        Function.getDefaultInstance());
                String system = string(f.getSystemNameStrindex());
                FrameKind k = system.endsWith("]")
                        ? FrameKind.ofSystemName(system)
                        : i < out.length - 1 ? FrameKind.INLINED : kind;
                out[i] = new StackFrame(
                        string(f.getNameStrindex()),
                        k,
                        string(f.getFilenameStrindex()),
                        Math.max(0, line.getLine()),
                        binary,
                        "");
            }
        }
        locations.put(index, out);
        return out;
    }

    /** The kinds of frame the OpenTelemetry profilers name. */
    private static FrameKind frameKind(String type) {
        if (type == null) return FrameKind.NATIVE;
        return switch (type) {
            case "kernel" -> FrameKind.KERNEL;
            case "jvm" -> FrameKind.JIT;
            case "native" -> FrameKind.NATIVE;
            default -> FrameKind.UNKNOWN;
        };
    }

    private Map<String, String> labels(List<Integer> attributeIndices) throws OtlpFormatException {
        Map<String, String> cached = sampleLabels.get(attributeIndices);
        if (cached != null) return cached;
        Map<String, String> out = new TreeMap<>();
        for (int i : attributeIndices) {
            KeyValueAndUnit a = attribute(i);
            String key = string(a.getKeyStrindex());
            String v = text(a.getValue());
            if (v != null) out.put(key.equals(THREAD_NAME) ? THREAD_LABEL : key, v);
        }
        sampleLabels.put(attributeIndices, out);
        return out;
    }

    /** An attribute as a profile label: keys that are no label key, and values other than scalars, are left out. */
    private static void putLabel(Map<String, String> labels, String key, String value) {
        if (value == null || !Labels.isKey(key)) return;
        labels.put(key, value.replace(',', ' '));
    }

    /** A scalar attribute value as text, at most {@link #MAX_VALUE_LENGTH} characters; null for arrays, maps, bytes and none. */
    private static String text(AnyValue v) {
        String s = switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> String.valueOf(v.getBoolValue());
            case INT_VALUE -> String.valueOf(v.getIntValue());
            case DOUBLE_VALUE -> String.valueOf(v.getDoubleValue());
            default -> null;
        };
        return s == null || s.length() <= MAX_VALUE_LENGTH ? s : s.substring(0, MAX_VALUE_LENGTH);
    }

    private KeyValueAndUnit attribute(int index) throws OtlpFormatException {
        return entry("attribute", index, dict.getAttributeTableList(), KeyValueAndUnit.getDefaultInstance());
    }

    private String string(int index) throws OtlpFormatException {
        return entry("string", index, dict.getStringTableList(), "");
    }

    /** Entry {@code index} of a dictionary table; index 0 of an empty table is the zero entry ("none"), others must exist. */
    private static <T> T entry(String table, int index, List<T> entries, T none) throws OtlpFormatException {
        if (index == 0 && entries.isEmpty()) return none;
        if (index < 0 || index >= entries.size()) {
            throw new OtlpFormatException(table + " index " + index + " is outside the dictionary's " + table
                    + " table of " + entries.size());
        }
        return entries.get(index);
    }
}
