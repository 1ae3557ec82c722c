package dev.hearth.collector.storage;

import java.util.Map;

/**
 * One profile as storage rows: its dictionary entries keyed by content hash (the store writes only
 * those it has not stored yet) and one sample row per distinct stack, with a value per value type.
 */
public record ProfileRows(
        String uid,
        Series series,
        long startMs,
        long endMs,
        Map<Long, String> strings,
        Map<Long, FunctionRow> functions,
        Map<Long, LocationRow> locations,
        Map<Long, StackRow> stacks,
        long[] sampleStacks,
        long[][] sampleValues,
        long[] totals) {

    /** A service's profiles of one type with one label set; what label matchers select. */
    public record Series(long id, String service, String type, String labels) {}

    record FunctionRow(long name, String kind, long file) {}

    record LocationRow(long function, long line, long binary, long buildId) {}

    /** Location hashes leaf first, and the sample labels (e.g. thread) in canonical form. */
    record StackRow(long[] locations, String labels) {}

    public int sampleCount() {
        return sampleStacks.length;
    }
}
