package dev.hearth.collector.storage;

import dev.hearth.collector.metrics.CollectorMetrics.StoreSize;
import dev.hearth.pprof.ResolvedSample;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;

/** The embedded store: the DuckDB file in the data directory, its single writer thread and the readers. */
public final class DuckDbStore implements ProfileStore {
    /** How stale the store's size on /metrics may be: reading it on every scrape gains nothing. */
    private static final Duration STATS_MAX_AGE = Duration.ofSeconds(15);

    private final Database db;
    private final WriteQueue writes;
    private final StoreReader reader;
    private final StoreStats stats;
    private final DownsampleStore downsampling;

    private DuckDbStore(Database db, StoreWriter writer, WriteQueue writes) {
        this.db = db;
        this.writes = writes;
        this.downsampling = new DuckDbDownsampling(writer);
        this.reader = new StoreReader(db);
        this.stats = new StoreStats(db, STATS_MAX_AGE);
    }

    /** Opens (or creates) the database in {@code dataDir}; {@code queueCapacity} bounds the writes waiting. */
    public static DuckDbStore open(Path dataDir, int queueCapacity) throws Exception {
        Database db = Database.open(dataDir);
        try {
            StoreWriter writer = new StoreWriter(db); // reads the dictionaries back: a damaged file may fail only here
            return new DuckDbStore(db, writer, new WriteQueue(writer, queueCapacity));
        } catch (Exception e) {
            db.close();
            throw e;
        }
    }

    /** The DuckDB file of a data directory, for messages. */
    public static Path file(Path dataDir) {
        return dataDir.resolve(Database.FILE);
    }

    public Database database() {
        return db;
    }

    @Override
    public CompletableFuture<WriteOutcome> write(ProfileRows rows) {
        return writes.write(rows);
    }

    @Override
    public CompletableFuture<Long> deleteBefore(long cutoffMs) {
        return writes.deleteBefore(cutoffMs);
    }

    @Override
    public List<Service> services(String tenant) throws SQLException {
        return reader.services(tenant);
    }

    @Override
    public SortedSet<String> labelValues(String tenant, String service, String key) throws SQLException {
        return reader.labelValues(tenant, service, key);
    }

    @Override
    public List<ResolvedSample> merge(Selection sel, int[] valueIndexes, QueryDeadline deadline) throws SQLException {
        return reader.merge(sel, valueIndexes, deadline);
    }

    @Override
    public List<StartTotal> totalsByStart(Selection sel, int valueIndex, QueryDeadline deadline) throws SQLException {
        return reader.totalsByStart(sel, valueIndex, deadline);
    }

    /** On the writer thread, between batches: it uses the writer's connection and profile keys. */
    @Override
    public CompletableFuture<DownsampleResult> downsample(Downsampling settings, long nowMs) {
        return writes.run(() -> settings.pass(downsampling, nowMs));
    }

    @Override
    public int queueDepth() {
        return writes.depth();
    }

    @Override
    public StoreSize size() {
        return stats.get();
    }

    @Override
    public long count(String table) throws SQLException {
        return db.count(table);
    }

    @Override
    public long bytesOnDisk() throws Exception {
        db.checkpoint();
        return db.bytesOnDisk();
    }

    @Override
    public void close() throws Exception {
        try {
            writes.close();
        } finally {
            db.close();
        }
    }
}
