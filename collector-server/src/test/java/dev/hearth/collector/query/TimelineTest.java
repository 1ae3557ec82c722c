package dev.hearth.collector.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hearth.collector.query.Timeline.Point;
import dev.hearth.collector.storage.StartTotal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Timeline points: {@code step} apart from {@code from} where profiles are as ingested; one point
 * per downsampled step where they were merged into a coarser one; every total counted once.
 */
class TimelineTest {
    static final long H = 3_600_000L, M = 60_000L;
    static final long T = 1_700_000_000_000L / H * H;

    static List<Point> points(long from, long until, long step, StartTotal... totals) {
        return Timeline.points(List.of(totals), from, until, step);
    }

    @Test
    void rawProfilesGiveStepWidePointsFromTheStart() {
        List<Point> p = points(
                T + 30_000,
                T + 30_000 + 3 * M,
                M,
                new StartTotal(T, 0, 5),
                new StartTotal(T + 95_000, 0, 7),
                new StartTotal(T + 100_000, 0, 1));
        assertEquals(
                List.of(new Point(T + 30_000, 5), new Point(T + 90_000, 8), new Point(T + 150_000, 0)),
                p,
                "a profile that started before the window counts in the first point");
    }

    @Test
    void aDownsampledStepIsOnePointAndRawProfilesInItJoinIt() {
        // 10:00–11:00 downsampled (its profile starts at 10:17, where its first member did), 11:00 on raw, a late raw
        // one at 10:30
        List<Point> p = points(
                T,
                T + H + 2 * M,
                M,
                new StartTotal(T + 17 * M, H, 100),
                new StartTotal(T + 30 * M, 0, 4),
                new StartTotal(T + H, 0, 2),
                new StartTotal(T + H + M + 1, 0, 3));
        assertEquals(List.of(new Point(T, 104), new Point(T + H, 2), new Point(T + H + M, 3)), p);
    }

    @Test
    void coarsePartsAreCutToTheWindowAndFinePointsRestartAfterThem() {
        // window 10:20–12:05 at 30 min: the 10:00 step shows from 10:20, then 11:00–12:00 raw every 30 min, 12:00 step
        // to 12:05
        List<Point> p = points(
                T + 20 * M,
                T + 2 * H + 5 * M,
                30 * M,
                new StartTotal(T + 5 * M, H, 10),
                new StartTotal(T + 2 * H, H, 20),
                new StartTotal(T + H + 40 * M, 0, 1));
        assertEquals(
                List.of(
                        new Point(T + 20 * M, 10),
                        new Point(T + H, 0),
                        new Point(T + H + 30 * M, 1),
                        new Point(T + 2 * H, 20)),
                p);
    }

    @Test
    void aStepNoCoarserThanTheOneAskedForChangesNothing() {
        List<Point> p = points(T, T + 2 * H, H, new StartTotal(T + 17 * M, H, 10), new StartTotal(T + H + 1, 0, 1));
        assertEquals(List.of(new Point(T, 10), new Point(T + H, 1)), p);
    }

    @Test
    void overlappingStepsOfDifferentSizesJoinIntoOnePoint() {
        // a day step from before a change of --downsample-step, and an hour step inside it
        long day = 24 * H;
        long d0 = T / day * day;
        List<Point> p = points(
                d0,
                d0 + day + H,
                H,
                new StartTotal(d0 + 1, day, 50),
                new StartTotal(d0 + 3 * H, H, 5),
                new StartTotal(d0 + day, 0, 1));
        assertEquals(List.of(new Point(d0, 55), new Point(d0 + day, 1)), p);
    }

    @Test
    void json() {
        assertEquals(
                "{\"points\":[[5,1],[7," + Long.MAX_VALUE + "]],\"saturated\":true}",
                new String(
                        Timeline.json(List.of(new Point(5, 1), new Point(7, Long.MAX_VALUE))), StandardCharsets.UTF_8));
    }
}
