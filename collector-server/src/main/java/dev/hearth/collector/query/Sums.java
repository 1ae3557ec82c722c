package dev.hearth.collector.query;

/**
 * Sums of profile values. Values are never negative (ingest refuses them), so a sum that passes
 * {@link Long#MAX_VALUE} stops there instead of wrapping to a negative total; a total equal to
 * {@link #SATURATED} is reported to clients as saturated.
 */
public final class Sums {
    public static final long SATURATED = Long.MAX_VALUE;

    private Sums() {}

    /** a + b, saturating at Long.MAX_VALUE (and Long.MIN_VALUE, which non-negative values never reach). */
    public static long add(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) return r < 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        return r;
    }

    public static boolean saturated(long sum) {
        return sum == SATURATED;
    }
}
