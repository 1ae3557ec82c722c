package dev.hearth.pprof;

import java.util.List;
import java.util.Map;

/** A sample with its stack resolved to frames (leaf first) and its labels as a map. */
public record ResolvedSample(List<StackFrame> stack, long[] values, Map<String, String> labels) {}
