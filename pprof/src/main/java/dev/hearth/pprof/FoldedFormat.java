package dev.hearth.pprof;

import dev.hearth.pprof.proto.Profile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The folded (collapsed) stack format of flamegraph.pl: {@code root;…;leaf COUNT} per line.
 * Frames may carry a kind suffix such as {@code _[j]}; we write it when asked and read it back.
 */
public final class FoldedFormat {
    private FoldedFormat() {}

    /** Folded lines of one value, merged and sorted; {@code withKinds} appends each frame's kind tag. */
    public static List<String> write(Profile p, int valueIndex, boolean withKinds) {
        Map<String, Long> folded = new TreeMap<>();
        for (ResolvedSample s : ProfileReader.samples(p)) {
            long v = s.values()[valueIndex];
            if (v == 0) continue;
            StringBuilder line = new StringBuilder();
            List<StackFrame> stack = s.stack();
            for (int i = stack.size() - 1; i >= 0; i--) {
                StackFrame f = stack.get(i);
                String name = f.name().replace(';', ':');
                line.append(withKinds ? f.kind().suffixed(name) : name);
                if (i > 0) line.append(';');
            }
            folded.merge(line.toString(), v, Long::sum);
        }
        List<String> out = new ArrayList<>(folded.size());
        folded.forEach((stack, v) -> out.add(stack + " " + v));
        return out;
    }

    /**
     * The weights that put each count in value {@code valueIndex}; a count of cpu or wall samples
     * also fills the time value, at {@code 1e9 / hz} nanoseconds a sample, so the flame graph's
     * default value is not empty.
     */
    public static long[] weights(ProfileType type, int valueIndex, long hz) {
        if (hz <= 0 || hz > 1_000_000_000L)
            throw new IllegalArgumentException("the sample rate must be between 1 and 1e9 Hz, got " + hz);
        long[] w = new long[type.valueTypes().size()];
        w[valueIndex] = 1;
        boolean samples = type.valueTypes().get(valueIndex).type().equals("samples");
        if (samples && (type == ProfileType.CPU || type == ProfileType.WALL))
            w[type.defaultValueIndex()] = 1_000_000_000L / hz;
        return w;
    }

    /** Reads folded lines into a profile of {@code type}; each count goes to value {@code valueIndex}. */
    public static Profile read(Reader in, ProfileType type, int valueIndex)
            throws IOException, InvalidProfileException {
        long[] weights = new long[type.valueTypes().size()];
        weights[valueIndex] = 1;
        return read(in, type, weights, true);
    }

    /**
     * Reads folded lines into a profile of {@code type}; value i of a stack is its count times
     * {@code weights[i]} (e.g. samples and, at 100 Hz, 10,000,000 ns per sample).
     */
    public static Profile read(Reader in, ProfileType type, long[] weights)
            throws IOException, InvalidProfileException {
        return read(in, type, weights, true);
    }

    /** Reads one stack per line, {@code root;…;leaf} without a count: each line is one sample. */
    public static Profile readLines(Reader in, ProfileType type, long[] weights)
            throws IOException, InvalidProfileException {
        return read(in, type, weights, false);
    }

    private static Profile read(Reader in, ProfileType type, long[] weights, boolean counted)
            throws IOException, InvalidProfileException {
        if (weights.length != type.valueTypes().size())
            throw new IllegalArgumentException("one weight per value of " + type.id());
        ProfileBuilder b = new ProfileBuilder(type);
        BufferedReader r = new BufferedReader(in);
        int lineNo = 0;
        for (String line; (line = r.readLine()) != null; ) {
            lineNo++;
            if (line.isBlank()) continue;
            int space = counted ? line.lastIndexOf(' ') : line.length();
            long count = 1;
            if (counted) {
                try {
                    count = Long.parseLong(line.substring(space + 1).trim());
                } catch (NumberFormatException e) {
                    throw new InvalidProfileException("folded line " + lineNo + " does not end with a count: " + line);
                }
                if (space <= 0) throw new InvalidProfileException("folded line " + lineNo + " has no stack");
            }
            List<StackFrame> stack = new ArrayList<>();
            for (String frame : line.substring(0, space).split(";")) stack.add(frame(frame));
            Collections.reverse(stack);
            long[] values = new long[weights.length];
            try {
                for (int i = 0; i < weights.length; i++) values[i] = Math.multiplyExact(count, weights[i]);
            } catch (ArithmeticException e) {
                throw new InvalidProfileException(
                        "folded line " + lineNo + ": count " + count + " overflows its value");
            }
            b.add(stack, values, Map.of());
        }
        return b.build();
    }

    private static StackFrame frame(String text) {
        FrameKind kind = FrameKind.ofSystemName(text);
        String suffix = "_[" + kind.tag() + "]";
        String name = text.endsWith(suffix) ? text.substring(0, text.length() - suffix.length()) : text;
        return StackFrame.of(name, kind);
    }
}
