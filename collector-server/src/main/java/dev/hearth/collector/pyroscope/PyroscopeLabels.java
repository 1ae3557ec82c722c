package dev.hearth.collector.pyroscope;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.hearth.pprof.jfr.JfrToPprof;
import dev.hearth.pprof.proto.Label;
import dev.hearth.pprof.proto.Profile;
import dev.hearth.pprof.proto.Sample;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The Pyroscope Java agent's dynamic labels: the {@code labels} part of its JFR upload, a
 * {@code LabelsSnapshot} protobuf ({@code contexts}: context id → label key/value string ids;
 * {@code strings}: id → text), and the split of a converted profile by the context of each sample
 * into one profile per label set, as Pyroscope stores them as series.
 */
public final class PyroscopeLabels {
    /** Distinct label sets one upload may split into; each becomes a stored profile. */
    static final int MAX_LABEL_SETS = 1024;

    static final int MAX_LABELS_PER_CONTEXT = 32;
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]{0,127}");

    private PyroscopeLabels() {}

    /** Label sets by context id; IllegalArgumentException for a malformed snapshot. */
    public static Map<Long, SortedMap<String, String>> parse(byte[] snapshot) {
        Map<Long, Map<Long, Long>> contexts = new HashMap<>();
        Map<Long, String> strings = new HashMap<>();
        try {
            CodedInputStream in = CodedInputStream.newInstance(snapshot);
            for (int tag; (tag = in.readTag()) != 0; ) {
                int field = WireFormat.getTagFieldNumber(tag);
                if (field == 1 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    readContextEntry(in, contexts);
                } else if (field == 2 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    int limit = in.pushLimit(in.readRawVarint32());
                    long id = 0;
                    String text = "";
                    for (int t; (t = in.readTag()) != 0; ) {
                        if (WireFormat.getTagFieldNumber(t) == 1) id = in.readInt64();
                        else if (WireFormat.getTagFieldNumber(t) == 2) text = in.readStringRequireUtf8();
                        else in.skipField(t);
                    }
                    in.popLimit(limit);
                    strings.put(id, text);
                } else {
                    in.skipField(tag);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed labels snapshot: " + e.getMessage(), e);
        }
        Map<Long, SortedMap<String, String>> out = new HashMap<>();
        contexts.forEach((id, pairs) -> {
            SortedMap<String, String> labels = new TreeMap<>();
            pairs.forEach((k, v) -> {
                String key = strings.get(k), value = strings.get(v);
                if (key == null || value == null)
                    throw new IllegalArgumentException("labels snapshot: context " + id + " names a missing string");
                if (!KEY.matcher(key).matches())
                    throw new IllegalArgumentException("labels snapshot: bad label key '" + key + "'");
                if (value.length() > 1024 || value.indexOf(',') >= 0) {
                    throw new IllegalArgumentException(
                            "labels snapshot: the value of '" + key + "' must be at most 1024 characters, no comma");
                }
                labels.put(key, value);
            });
            out.put(id, labels);
        });
        return out;
    }

    private static void readContextEntry(CodedInputStream in, Map<Long, Map<Long, Long>> contexts) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        long id = 0;
        Map<Long, Long> pairs = new LinkedHashMap<>();
        for (int t; (t = in.readTag()) != 0; ) {
            if (WireFormat.getTagFieldNumber(t) == 1) {
                id = in.readInt64();
            } else if (WireFormat.getTagFieldNumber(t) == 2
                    && WireFormat.getTagWireType(t) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int context = in.pushLimit(in.readRawVarint32());
                for (int c; (c = in.readTag()) != 0; ) {
                    if (WireFormat.getTagFieldNumber(c) == 1
                            && WireFormat.getTagWireType(c) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        int entry = in.pushLimit(in.readRawVarint32());
                        long k = 0, v = 0;
                        for (int e; (e = in.readTag()) != 0; ) {
                            if (WireFormat.getTagFieldNumber(e) == 1) k = in.readInt64();
                            else if (WireFormat.getTagFieldNumber(e) == 2) v = in.readInt64();
                            else in.skipField(e);
                        }
                        in.popLimit(entry);
                        pairs.put(k, v);
                        if (pairs.size() > MAX_LABELS_PER_CONTEXT)
                            throw new IOException("a context has over " + MAX_LABELS_PER_CONTEXT + " labels");
                    } else {
                        in.skipField(c);
                    }
                }
                in.popLimit(context);
            } else {
                in.skipField(t);
            }
        }
        in.popLimit(limit);
        contexts.put(id, pairs);
    }

    /**
     * The profile split by its samples' {@link JfrToPprof#CONTEXT_LABEL}: one profile per label set
     * of their contexts (the context label removed), keyed by that set; samples of no or an unknown
     * context go under no labels.
     */
    public static Map<SortedMap<String, String>, Profile> split(
            Profile p, Map<Long, SortedMap<String, String>> contexts) {
        long key = -1;
        for (int i = 0; i < p.getStringTableCount(); i++) {
            if (p.getStringTable(i).equals(JfrToPprof.CONTEXT_LABEL)) key = i;
        }
        if (key < 0) return Map.of(new TreeMap<>(), p);
        Map<SortedMap<String, String>, List<Sample>> groups = new LinkedHashMap<>();
        for (Sample s : p.getSampleList()) {
            SortedMap<String, String> labels = new TreeMap<>();
            Sample.Builder kept = s.toBuilder().clearLabel();
            for (Label l : s.getLabelList()) {
                if (l.getKey() != key) {
                    kept.addLabel(l);
                    continue;
                }
                long id;
                try {
                    id = Long.parseLong(p.getStringTable((int) l.getStr()));
                } catch (NumberFormatException | IndexOutOfBoundsException e) {
                    continue;
                }
                labels = contexts.getOrDefault(id, labels);
            }
            List<Sample> group = groups.computeIfAbsent(labels, k -> new ArrayList<>());
            if (groups.size() > MAX_LABEL_SETS)
                throw new IllegalArgumentException("the upload holds over " + MAX_LABEL_SETS + " label sets");
            group.add(kept.build());
        }
        Map<SortedMap<String, String>, Profile> out = new LinkedHashMap<>();
        groups.forEach((labels, samples) -> out.put(
                labels, p.toBuilder().clearSample().addAllSample(samples).build()));
        return out;
    }
}
