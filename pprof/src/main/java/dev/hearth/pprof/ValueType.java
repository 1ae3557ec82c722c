package dev.hearth.pprof;

/** One sample value's meaning, e.g. ("cpu", "nanoseconds"). */
public record ValueType(String type, String unit) {}
