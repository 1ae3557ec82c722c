package dev.hearth.collector.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hearth.collector.storage.DownsamplePlan.Candidate;
import dev.hearth.collector.storage.DownsamplePlan.Candidates;
import dev.hearth.collector.storage.DownsamplePlan.Merge;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The planner: steps aligned to the epoch per series, only steps that ended before the cutoff, a
 * step already downsampled left alone unless late profiles arrived in it, a truncated listing's
 * newest step left for later, and the bound on profiles per pass.
 */
class DownsamplePlanTest {
    static final long H = 3_600_000L;
    static final long T = 1_700_000_000_000L / H * H; // an hour boundary

    static Candidate raw(long key, long series, long startMs) {
        return new Candidate(key, series, startMs, startMs + 10_000, 0);
    }

    static Candidates listed(boolean truncated, Candidate... c) {
        return new Candidates(List.of(c), truncated);
    }

    @Test
    void oneMergePerSeriesPerStepOldestFirst() {
        List<Merge> plan = DownsamplePlan.plan(
                listed(
                        false,
                        raw(1, 7, T + 10),
                        raw(2, 7, T + H - 1),
                        raw(3, 8, T + 5),
                        raw(4, 7, T + H),
                        raw(5, 7, T - 1)),
                T + 2 * H,
                H,
                100);
        assertEquals(4, plan.size());
        assertMerge(plan.get(0), 7, T - H, 5);
        assertMerge(plan.get(1), 7, T, 1, 2);
        assertMerge(plan.get(2), 8, T, 3);
        assertMerge(plan.get(3), 7, T + H, 4);
        assertEquals("downsampled/7/" + T + "/" + H, plan.get(1).uid());
    }

    @Test
    void aStepThatHasNotEndedBeforeTheCutoffWaits() {
        // the cutoff falls inside the second hour: only the first is due
        List<Merge> plan =
                DownsamplePlan.plan(listed(false, raw(1, 7, T), raw(2, 7, T + H + 1)), T + H + H / 2, H, 100);
        assertEquals(1, plan.size());
        assertMerge(plan.get(0), 7, T, 1);
    }

    @Test
    void aDownsampledStepIsLeftAloneUntilLateProfilesArrive() {
        Candidate done = new Candidate(9, 7, T + 60_000, T + H, H);
        assertEquals(List.of(), DownsamplePlan.plan(listed(false, done), T + 2 * H, H, 100));
        List<Merge> plan = DownsamplePlan.plan(listed(false, done, raw(10, 7, T + 5)), T + 2 * H, H, 100);
        assertEquals(1, plan.size());
        assertMerge(plan.get(0), 7, T, 9, 10);
    }

    @Test
    void aTruncatedListingsNewestStepIsLeftForTheNextPass() {
        Candidates c = listed(true, raw(1, 7, T), raw(2, 8, T + 1), raw(3, 7, T + H), raw(4, 8, T + H + 1));
        List<Merge> plan = DownsamplePlan.plan(c, T + 5 * H, H, 100);
        assertEquals(2, plan.size());
        assertMerge(plan.get(0), 7, T, 1);
        assertMerge(plan.get(1), 8, T, 2);
        // unless it is all there is: then it goes, and the rest of it merges into it later
        plan = DownsamplePlan.plan(listed(true, raw(3, 7, T + H), raw(4, 7, T + H + 1)), T + 5 * H, H, 100);
        assertEquals(1, plan.size());
        assertMerge(plan.get(0), 7, T + H, 3, 4);
    }

    @Test
    void aPassTakesWholeStepsUpToTheBoundButAlwaysOne() {
        List<Candidate> many = new ArrayList<>();
        for (int i = 0; i < 5; i++) many.add(raw(i, 1, T + i));
        for (int i = 0; i < 3; i++) many.add(raw(10 + i, 2, T + i));
        Candidates c = new Candidates(many, false);
        assertEquals(1, DownsamplePlan.plan(c, T + H, H, 7).size(), "5 + 3 > 7: the second step waits");
        assertEquals(2, DownsamplePlan.plan(c, T + H, H, 8).size());
        List<Merge> one = DownsamplePlan.plan(c, T + H, H, 2);
        assertEquals(1, one.size(), "a step larger than the bound still goes, alone");
        assertEquals(5, one.get(0).members().length);
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> DownsamplePlan.plan(listed(false), T, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> DownsamplePlan.plan(listed(false), T, H, 0));
    }

    static void assertMerge(Merge m, long series, long bucket, long... members) {
        assertEquals(series, m.series(), "series");
        assertEquals(bucket, m.bucketMs(), "step start");
        assertEquals(H, m.stepMs());
        assertArrayEquals(members, m.members());
    }
}
