package dev.hearth.collector.storage;

import dev.hearth.collector.metrics.CollectorMetrics.StoreSize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The store's size for /metrics, cheap to read and cached: the file sizes, and the rows of the
 * tables that grow with ingest from DuckDB's own catalog (its estimate, no table scan), read at most
 * once per {@code maxAge} however often Prometheus scrapes.
 */
public final class StoreStats {
    private static final String TABLES =
            "'profiles', 'samples', 'series', 'stacks', 'locations', 'functions', 'strings', 'merged_uids'";

    private final Database db;
    private final long maxAgeNanos;
    private StoreSize last;
    private long readAt;

    public StoreStats(Database db, Duration maxAge) {
        this.db = db;
        this.maxAgeNanos = maxAge.toNanos();
    }

    public synchronized StoreSize get() {
        long now = System.nanoTime();
        if (last == null || now - readAt > maxAgeNanos) {
            last = read();
            readAt = now;
        }
        return last;
    }

    private StoreSize read() {
        Map<String, Long> rows = new TreeMap<>();
        try {
            Database.query(
                    db.connection(),
                    "SELECT table_name, estimated_size FROM duckdb_tables() WHERE schema_name = 'main'"
                            + " AND table_name IN (" + TABLES + ")",
                    r -> rows.put(r.getString(1), r.getLong(2)));
            return new StoreSize(db.bytesOnDisk(), rows);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the store's size: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
