package dev.hearth.collector.storage;

import dev.hearth.collector.storage.DownsamplePlan.Candidates;
import dev.hearth.collector.storage.DownsamplePlan.Merge;
import java.util.List;

/**
 * What downsampling needs of a store: list the profiles that may be due, and carry out a plan.
 * {@link #apply} must never let a query count a profile twice or lose one: the merged profile and
 * the removal of its members become visible together, or not at all.
 */
public interface DownsampleStore {
    /**
     * Profiles as ingested that start before {@code dueMs} (oldest first, at most {@code limit}),
     * and the downsampled profiles of the same series and steps, which late arrivals merge into.
     */
    Candidates candidates(long dueMs, long stepMs, int limit) throws Exception;

    /** Merges each plan entry's members into one profile with the same totals per stack, and removes the members. */
    DownsampleResult apply(List<Merge> merges) throws Exception;
}
