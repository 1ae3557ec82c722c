package dev.hearth.collector.storage;

import java.util.List;

/** A store's writes, called from {@link WriteQueue}'s single thread: a batch of profiles at a time, and retention. */
interface BatchWriter {
    /**
     * Stores every profile of the batch whose id is not stored yet for its tenant and service: when
     * this returns they are durable; when it throws, none of them counts as stored.
     *
     * @return for each profile, what became of it
     */
    WriteOutcome[] write(List<ProfileRows> batch) throws Exception;

    /** Deletes profiles that ended at or before {@code cutoffMs}; returns how many (or an estimate). */
    long deleteBefore(long cutoffMs) throws Exception;
}
