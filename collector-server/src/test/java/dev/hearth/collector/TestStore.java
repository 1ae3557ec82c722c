package dev.hearth.collector;

import dev.hearth.collector.storage.ClickHouseCredentials;
import dev.hearth.collector.storage.StoreLocation;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The stores the API suite runs against: DuckDB in a test folder, one ClickHouse server, and a
 * two-shard ClickHouse cluster. Each use of a ClickHouse store gets a database of its own, so test
 * classes sharing the servers never see each other's profiles.
 */
public enum TestStore {
    DUCKDB,
    CLICKHOUSE,
    CLICKHOUSE_CLUSTER;

    private static final AtomicInteger DATABASES = new AtomicInteger();

    /** A fresh store: for DuckDB in {@code dir}, for ClickHouse in a new database (servers started on first use). */
    public StoreLocation fresh(Path dir) throws Exception {
        return switch (this) {
            case DUCKDB -> new StoreLocation.DuckDb(dir);
            case CLICKHOUSE ->
                new StoreLocation.ClickHouse(
                        ClickHouseServers.single(), null, newDatabase(), ClickHouseCredentials.DEFAULT);
            case CLICKHOUSE_CLUSTER ->
                new StoreLocation.ClickHouse(
                        ClickHouseServers.cluster(),
                        ClickHouseServers.CLUSTER,
                        newDatabase(),
                        ClickHouseCredentials.DEFAULT);
        };
    }

    private static String newDatabase() {
        return "test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    }

    /** The collector's command-line arguments for a store. */
    public static List<String> args(StoreLocation location) {
        if (location instanceof StoreLocation.ClickHouse ch) {
            String urls = ch.shards().stream()
                    .map(u -> "http://" + u.getHost() + ":" + u.getPort())
                    .collect(Collectors.joining(","));
            return List.of(
                    "--store",
                    "clickhouse:" + urls + "?" + (ch.cluster() != null ? "cluster=" + ch.cluster() + "&" : "")
                            + "database=" + ch.database());
        }
        return List.of("--store", "duckdb:" + ((StoreLocation.DuckDb) location).dir());
    }
}
