package dev.hearth.collector.query;

import java.util.Map;
import java.util.SortedMap;

/**
 * Totals per step over [from, until): {@code {"points":[[ms,value],…]}}, one point per step starting
 * at {@code from}, zero where nothing was recorded. A profile counts in the step it started in (a
 * profile that started before {@code from} counts in the first). {@code "saturated": true} when a
 * point's sum reached Long.MAX_VALUE and stopped there.
 */
public final class Timeline {
    public static final int MAX_POINTS = 10_000;

    private Timeline() {}

    public static long[] buckets(SortedMap<Long, Long> totalsByStart, long from, long until, long step) {
        int n = points(from, until, step);
        long[] out = new long[n];
        for (Map.Entry<Long, Long> e : totalsByStart.entrySet()) {
            long i = Math.floorDiv(e.getKey() - from, step);
            int b = (int) Math.max(0, Math.min(n - 1, i));
            out[b] = Sums.add(out[b], e.getValue());
        }
        return out;
    }

    /** Points over [from, until) at step; the caller has checked from < until within the time range and step > 0. */
    public static int points(long from, long until, long step) {
        long span = until - from;
        long n = span / step + (span % step == 0 ? 0 : 1);
        if (n > MAX_POINTS) {
            throw new IllegalArgumentException("step " + step + " ms gives " + n + " points, more than " + MAX_POINTS);
        }
        return (int) n;
    }

    public static byte[] json(long[] buckets, long from, long step) {
        return Json.stream(32 + buckets.length * 24, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("points");
            boolean saturated = false;
            for (int i = 0; i < buckets.length; i++) {
                g.writeStartArray();
                g.writeNumber(from + i * step);
                g.writeNumber(buckets[i]);
                g.writeEndArray();
                saturated |= Sums.saturated(buckets[i]);
            }
            g.writeEndArray();
            g.writeBooleanField("saturated", saturated);
            g.writeEndObject();
        });
    }
}
