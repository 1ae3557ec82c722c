package dev.hearth.collector.storage;

import dev.hearth.collector.metrics.CollectorMetrics.StoreSize;
import dev.hearth.pprof.ResolvedSample;
import java.sql.SQLException;
import java.util.List;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * What the HTTP layer needs of a store: write a profile, the reads behind services, labels,
 * merge (flame graph, diff, pprof export) and timeline, retention and downsampling. {@link DuckDbStore} is the
 * embedded default, {@link ClickHouseStore} the one several collectors share. Every read names a
 * tenant and sees only that tenant's profiles.
 */
public interface ProfileStore extends AutoCloseable {
    /** A tenant's service: its profile types and label keys. */
    record Service(String name, SortedSet<String> types, SortedSet<String> labelKeys) {}

    /**
     * Queues a profile; the future completes once it is durably stored, or says why it was not.
     *
     * @throws RejectedExecutionException when the store's queue is full or it is closing
     */
    CompletableFuture<WriteOutcome> write(ProfileRows rows);

    /** Deletes profiles that ended at or before {@code cutoffMs}; completes with how many went (or an estimate). */
    CompletableFuture<Long> deleteBefore(long cutoffMs);

    List<Service> services(String tenant) throws SQLException;

    /** Values of one label key among the tenant's service's series. */
    SortedSet<String> labelValues(String tenant, String service, String key) throws SQLException;

    /**
     * Sums the selected profiles per stack: one sample per distinct stack, with the values of
     * {@code valueIndexes} (indexes into the type's value types) in that order. Sums stop at
     * Long.MAX_VALUE rather than wrap; past the deadline, throws {@link QueryDeadline.Exceeded}.
     */
    List<ResolvedSample> merge(Selection sel, int[] valueIndexes, QueryDeadline deadline) throws SQLException;

    /** Sum of one value per profile start time and downsampling step, for timelines. */
    List<StartTotal> totalsByStart(Selection sel, int valueIndex, QueryDeadline deadline) throws SQLException;

    /** One downsampling pass at {@code nowMs} (see {@link Downsampling}); completes with what it did. */
    CompletableFuture<DownsampleResult> downsample(Downsampling settings, long nowMs);

    /** Writes waiting, for /metrics. */
    int queueDepth();

    /** Size of the store for /metrics (may be cached). */
    StoreSize size();

    /** Rows of a table as queries see them (profiles counted once however often stored), for tests and benchmarks. */
    long count(String table) throws SQLException;

    /** Bytes the stored rows take on disk, after flushing what is buffered, for benchmarks. */
    long bytesOnDisk() throws Exception;

    /** Finishes queued writes, then releases the store. */
    @Override
    void close() throws Exception;
}
