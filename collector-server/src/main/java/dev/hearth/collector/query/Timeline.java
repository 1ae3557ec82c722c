package dev.hearth.collector.query;

import dev.hearth.collector.storage.StartTotal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Totals per step over [from, until): {@code {"points":[[ms,value],…]}}, zero where nothing was
 * recorded. A profile counts in the point it started in (a profile that started before {@code from}
 * counts in the first). Where profiles were downsampled to a step coarser than the one asked for,
 * that part of the window has one point per downsampled step (a point lasts until the next one
 * starts), since nothing finer is known there; elsewhere points are {@code step} apart, starting at
 * {@code from} or where a coarse part ends. {@code "saturated": true} when a point's sum reached
 * Long.MAX_VALUE and stopped there.
 */
public final class Timeline {
    public static final int MAX_POINTS = 10_000;

    public record Point(long ms, long value) {}

    private Timeline() {}

    public static List<Point> points(List<StartTotal> totals, long from, long until, long step) {
        long[] starts = starts(coarseParts(totals, from, until, step), from, until, step);
        long[] values = new long[starts.length];
        for (StartTotal t : totals) {
            long at = Math.max(from, Math.min(until - 1, t.startMs()));
            int i = Arrays.binarySearch(starts, at);
            if (i < 0) i = -i - 2; // the point whose span holds it
            values[i] = Sums.add(values[i], t.total());
        }
        List<Point> out = new ArrayList<>(starts.length);
        for (int i = 0; i < starts.length; i++) out.add(new Point(starts[i], values[i]));
        return out;
    }

    /** The downsampled steps coarser than {@code step} within [from, until), overlapping ones (after a change of step) joined: start → end. */
    private static TreeMap<Long, Long> coarseParts(List<StartTotal> totals, long from, long until, long step) {
        TreeMap<Long, Long> parts = new TreeMap<>();
        for (StartTotal t : totals) {
            long d = t.stepMs();
            if (d <= step) continue;
            long bucket = Math.floorDiv(t.startMs(), d) * d;
            long lo = Math.max(bucket, from), hi = Math.min(bucket + d, until);
            if (lo >= hi) continue; // a step that ended before the window: its profile counts in the first point
            Map.Entry<Long, Long> before = parts.floorEntry(lo);
            if (before != null && before.getValue() > lo) {
                lo = before.getKey();
                hi = Math.max(hi, before.getValue());
            }
            for (Map.Entry<Long, Long> after; (after = parts.ceilingEntry(lo)) != null && after.getKey() < hi; ) {
                hi = Math.max(hi, after.getValue());
                parts.remove(after.getKey());
            }
            parts.put(lo, hi);
        }
        return parts;
    }

    /** Where each point starts: the coarse parts, and {@code step}-wide points between them. */
    private static long[] starts(TreeMap<Long, Long> coarse, long from, long until, long step) {
        List<Long> out = new ArrayList<>();
        long at = from;
        for (Map.Entry<Long, Long> part : coarse.entrySet()) {
            for (; at < part.getKey(); at = Math.min(at + step, part.getKey())) out.add(at);
            out.add(part.getKey());
            at = part.getValue();
        }
        for (; at < until; at += step) out.add(at);
        return out.stream().mapToLong(Long::longValue).toArray();
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

    public static boolean saturated(List<Point> points) {
        return points.stream().anyMatch(p -> Sums.saturated(p.value()));
    }

    public static byte[] json(List<Point> points) {
        return Json.stream(32 + points.size() * 24, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("points");
            for (Point p : points) {
                g.writeStartArray();
                g.writeNumber(p.ms());
                g.writeNumber(p.value());
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeBooleanField("saturated", saturated(points));
            g.writeEndObject();
        });
    }
}
