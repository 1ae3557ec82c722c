package dev.hearth.collector.storage;

import dev.hearth.collector.metrics.CollectorMetrics.StoreSize;
import dev.hearth.pprof.ResolvedSample;
import java.net.URI;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Profiles in ClickHouse, shared by any number of collectors: this one keeps no state another
 * needs. Writes go through a {@link WriteQueue} (a batch of waiting profiles per INSERT), reads
 * straight to ClickHouse.
 */
public final class ClickHouseStore implements ProfileStore {
    /** How stale the store's size on /metrics may be. */
    private static final long STATS_MAX_AGE_NANOS = 15_000_000_000L;

    private final StoreLocation.ClickHouse location;
    private final ClickHouseHttp http;
    private final WriteQueue writes;
    private final ClickHouseReader reader;
    private StoreSize size;
    private long sizeReadAt;

    private ClickHouseStore(StoreLocation.ClickHouse location, ClickHouseHttp http, int queueCapacity) {
        this.location = location;
        this.http = http;
        boolean cluster = location.cluster() != null;
        this.writes = new WriteQueue(
                new ClickHouseWriter(http, location.shards(), cluster, location.database()),
                queueCapacity,
                ClickHouseWriter.GATHER);
        this.reader = new ClickHouseReader(http, location.shards(), cluster, location.database());
    }

    /** Creates what is missing on every server (database, local tables, Distributed tables), then opens the store. */
    static ClickHouseStore open(StoreLocation.ClickHouse location, int queueCapacity) throws SQLException {
        ClickHouseHttp http = new ClickHouseHttp(location.credentials(), location.database());
        for (URI shard : location.shards()) {
            for (String ddl : ClickHouseSchema.ddl(location.database(), location.cluster())) http.execute(shard, ddl);
        }
        return new ClickHouseStore(location, http, queueCapacity);
    }

    public StoreLocation.ClickHouse location() {
        return location;
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

    /** On the write thread, one shard after the other, each on its own profiles (see {@link ClickHouseDownsampling}). */
    @Override
    public CompletableFuture<DownsampleResult> downsample(Downsampling settings, long nowMs) {
        return writes.run(() -> {
            DownsampleResult all = DownsampleResult.NOTHING;
            for (URI shard : location.shards()) {
                all = all.plus(settings.pass(
                        new ClickHouseDownsampling(http, shard, location.cluster() != null, location.database()),
                        nowMs));
            }
            return all;
        });
    }

    @Override
    public int queueDepth() {
        return writes.depth();
    }

    /** Rows and bytes of the active parts on every shard, read at most every 15 s. */
    @Override
    public synchronized StoreSize size() {
        long now = System.nanoTime();
        if (size != null && now - sizeReadAt < STATS_MAX_AGE_NANOS) return size;
        Map<String, Long> rows = new TreeMap<>();
        long bytes = 0;
        try {
            for (URI shard : location.shards()) {
                for (String[] r : parts(shard)) {
                    rows.merge(r[0].replace("_local", ""), Long.parseLong(r[1]), Long::sum);
                    bytes += Long.parseLong(r[2]);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the store's size: " + e.getMessage(), e);
        }
        size = new StoreSize(bytes, rows);
        sizeReadAt = now;
        return size;
    }

    /** Per table of a shard: rows and bytes on disk of its active parts. */
    private List<String[]> parts(URI shard) throws SQLException {
        return http.query(
                shard,
                "SELECT table, sum(rows), sum(bytes_on_disk) FROM system.parts WHERE active AND database = "
                        + Tsv.literal(location.database()) + " GROUP BY table FORMAT TabSeparated",
                QueryDeadline.NONE);
    }

    @Override
    public long count(String table) throws SQLException {
        return reader.count(table);
    }

    /** Rows of a table held by each shard itself (its local table), for tests that rows are spread. */
    public long[] rowsPerShard(String table) throws SQLException {
        if (!table.matches("[a-z_]+")) throw new IllegalArgumentException(table);
        String local = location.cluster() != null ? table + "_local" : table;
        long[] out = new long[location.shards().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Long.parseLong(http.query(
                            location.shards().get(i),
                            "SELECT count() FROM " + local + " FORMAT TabSeparated",
                            QueryDeadline.NONE)
                    .get(0)[0]);
        }
        return out;
    }

    /** Bytes on disk of every table on every shard, after merging each table's parts as ClickHouse does over time. */
    @Override
    public long bytesOnDisk() throws Exception {
        long bytes = 0;
        for (URI shard : location.shards()) {
            for (ClickHouseSchema.Table t : ClickHouseSchema.TABLES) {
                http.execute(
                        shard,
                        "OPTIMIZE TABLE " + location.database() + "."
                                + ClickHouseSchema.local(t, location.cluster() != null) + " FINAL");
            }
            for (String[] r : parts(shard)) bytes += Long.parseLong(r[2]);
        }
        return bytes;
    }

    @Override
    public void close() throws Exception {
        writes.close();
    }
}
