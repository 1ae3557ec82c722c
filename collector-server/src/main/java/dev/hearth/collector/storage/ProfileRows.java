package dev.hearth.collector.storage;

/**
 * One profile as storage rows: one sample row per distinct stack, with a value per value type.
 * Each stack carries its dictionary rows (locations, their functions, their strings), each keyed
 * by content hash; the store writes only those it has not stored yet. {@code digest} hashes what
 * the profile says (series, window, stacks and values), so a resent profile is told from another
 * one under the same id.
 * {@code truncatedStacks}: samples whose stack was cut to the depth limit.
 */
public record ProfileRows(
        String uid,
        Series series,
        long startMs,
        long endMs,
        StackRow[] sampleStacks,
        long[][] sampleValues,
        long[] totals,
        long digest,
        int truncatedStacks) {

    /** A tenant's service's profiles of one type with one label set; what label matchers select. */
    public record Series(long id, String tenant, String service, String type, String labels) {}

    record StringRow(long id, String value) {}

    record FunctionRow(long id, StringRow name, String kind, StringRow file) {}

    record LocationRow(long id, FunctionRow function, long line, StringRow binary, StringRow buildId) {}

    /** Locations leaf first, and the sample labels (e.g. thread) in canonical form. */
    record StackRow(long id, LocationRow[] locations, String labels) {}

    public int sampleCount() {
        return sampleStacks.length;
    }
}
