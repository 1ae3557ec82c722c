package dev.hearth.pprof;

import dev.hearth.pprof.proto.Function;
import dev.hearth.pprof.proto.Label;
import dev.hearth.pprof.proto.Line;
import dev.hearth.pprof.proto.Location;
import dev.hearth.pprof.proto.Mapping;
import dev.hearth.pprof.proto.Profile;
import dev.hearth.pprof.proto.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resolves a validated profile's samples into frames. A location with several lines (inlined
 * functions) becomes several frames; the inlined ones, all but the last line, get kind INLINED
 * unless the writer gave them a kind.
 */
public final class ProfileReader {
    private ProfileReader() {}

    public static List<ValueType> valueTypes(Profile p) {
        List<ValueType> out = new ArrayList<>();
        for (var vt : p.getSampleTypeList()) {
            out.add(new ValueType(p.getStringTable((int) vt.getType()), p.getStringTable((int) vt.getUnit())));
        }
        return out;
    }

    /** Each location id's frames, leaf first (several when functions were inlined into it). */
    public static Map<Long, List<StackFrame>> locationFrames(Profile p) {
        Map<Long, Mapping> mappings = new HashMap<>();
        for (Mapping m : p.getMappingList()) mappings.put(m.getId(), m);
        Map<Long, Function> functions = new HashMap<>();
        for (Function f : p.getFunctionList()) functions.put(f.getId(), f);
        Map<Long, List<StackFrame>> locations = new HashMap<>();
        for (Location l : p.getLocationList()) locations.put(l.getId(), frames(p, l, mappings, functions));
        return locations;
    }

    public static List<ResolvedSample> samples(Profile p) {
        Map<Long, List<StackFrame>> locations = locationFrames(p);
        List<ResolvedSample> out = new ArrayList<>(p.getSampleCount());
        for (Sample s : p.getSampleList()) {
            List<StackFrame> stack = new ArrayList<>(s.getLocationIdCount());
            for (long id : s.getLocationIdList()) stack.addAll(locations.get(id));
            long[] values = new long[s.getValueCount()];
            for (int i = 0; i < values.length; i++) values[i] = s.getValue(i);
            out.add(new ResolvedSample(List.copyOf(stack), values, labels(p, s)));
        }
        return out;
    }

    /** A sample's labels, sorted by key; numeric labels as decimal text. */
    public static Map<String, String> labels(Profile p, Sample s) {
        if (s.getLabelCount() == 0) return Map.of();
        Map<String, String> labels = new TreeMap<>();
        for (Label label : s.getLabelList()) {
            String key = p.getStringTable((int) label.getKey());
            labels.put(
                    key, label.getStr() != 0 ? p.getStringTable((int) label.getStr()) : Long.toString(label.getNum()));
        }
        return labels;
    }

    private static List<StackFrame> frames(
            Profile p, Location l, Map<Long, Mapping> mappings, Map<Long, Function> functions) {
        Mapping m = mappings.get(l.getMappingId());
        String binary = m == null ? "" : p.getStringTable((int) m.getFilename());
        String buildId = m == null ? "" : p.getStringTable((int) m.getBuildId());
        List<StackFrame> out = new ArrayList<>(Math.max(1, l.getLineCount()));
        if (l.getLineCount() == 0) {
            // An unsymbolized location: name it by binary and address, as pprof does.
            String name = (binary.isEmpty() ? "" : binary + "+") + "0x" + Long.toHexString(l.getAddress());
            out.add(new StackFrame(name, FrameKind.UNKNOWN, "", 0, binary, buildId));
            return out;
        }
        for (int i = 0; i < l.getLineCount(); i++) {
            Line line = l.getLine(i);
            Function f = functions.get(line.getFunctionId());
            String systemName = p.getStringTable((int) f.getSystemName());
            FrameKind kind = FrameKind.ofSystemName(systemName);
            boolean explicit = systemName.endsWith("_[" + kind.tag() + "]");
            if (!explicit && i < l.getLineCount() - 1) kind = FrameKind.INLINED;
            out.add(new StackFrame(
                    p.getStringTable((int) f.getName()),
                    kind,
                    p.getStringTable((int) f.getFilename()),
                    line.getLine(),
                    binary,
                    buildId));
        }
        return out;
    }
}
