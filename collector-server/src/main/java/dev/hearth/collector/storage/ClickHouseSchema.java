package dev.hearth.collector.storage;

import java.util.List;

/**
 * The ClickHouse tables, in SQL that ClickHouse 18.16 (2018) and current versions both accept.
 * Dictionary rows are keyed by content hash in ReplacingMergeTree tables: a row written twice (by
 * two collectors) is harmless, and reads take {@code any()} per id. Profiles and samples are
 * partitioned by day, so retention drops whole partitions. A profile's samples carry the
 * {@code batch} that wrote them: a profile id stored twice (sent to two collectors at once) has
 * two batches, and every read takes the samples of one of them.
 *
 * <p>On a cluster, each table is {@code NAME_local} on every shard with a Distributed table
 * {@code NAME} over them; profiles and samples are sharded by {@code pkey}, so a profile and its
 * samples sit on one shard and the choice of one batch per profile is made there.
 */
final class ClickHouseSchema {
    /** One table: its columns, its MergeTree engine clause, and its sharding key on a cluster. */
    record Table(String name, String columns, String engine, String shardingKey) {}

    static final Table STRINGS = new Table("strings", "id Int64, str String", "ReplacingMergeTree() ORDER BY id", "id");
    static final Table FUNCTIONS = new Table(
            "functions",
            "id Int64, name_id Int64, kind String, file_id Int64",
            "ReplacingMergeTree() ORDER BY id",
            "id");
    static final Table LOCATIONS = new Table(
            "locations",
            "id Int64, function_id Int64, line Int64, binary_id Int64, build_id Int64",
            "ReplacingMergeTree() ORDER BY id",
            "id");
    /** frames: location ids, leaf first. */
    static final Table STACKS = new Table(
            "stacks", "id Int64, labels String, frames Array(Int64)", "ReplacingMergeTree() ORDER BY id", "id");

    static final Table SERIES = new Table(
            "series",
            "id Int64, tenant String, service String, type String, labels String",
            "ReplacingMergeTree() ORDER BY (tenant, service, type, id)",
            "id");
    /**
     * pkey: a hash of (tenant, service, uid), the profile's identity; day: of start_ms, the partition;
     * step_ms: 0 as ingested, else the downsampling step whose profiles (members, on the same shard) this one merged.
     */
    static final Table PROFILES = new Table(
            "profiles",
            "day Date, pkey Int64, batch Int64, tenant String, service String, uid String, series Int64, start_ms Int64, end_ms Int64,"
                    + " total0 Int64, total1 Int64, digest Int64, step_ms Int64, members Array(Int64)",
            "ReplacingMergeTree() PARTITION BY day ORDER BY (tenant, service, uid)",
            "pkey");

    static final Table SAMPLES = new Table(
            "samples",
            "day Date, series Int64, pkey Int64, batch Int64, stack Int64, v0 Int64, v1 Int64",
            "MergeTree() PARTITION BY day ORDER BY (series, pkey, stack)",
            "pkey");

    /**
     * The ids of profiles downsampling merged into another, so a resent one is still known; day: of the profile's start, the
     * partition, dropped once every profile of it ended before the retention cutoff (the profile they went into ends no earlier).
     */
    static final Table MERGED_UIDS = new Table(
            "merged_uids",
            "day Date, tenant String, service String, uid String, pkey Int64, digest Int64, end_ms Int64",
            "ReplacingMergeTree() PARTITION BY day ORDER BY (tenant, service, uid)",
            "pkey");

    /** In the order a batch is inserted: what a profile row refers to before it. */
    static final List<Table> TABLES =
            List.of(STRINGS, FUNCTIONS, LOCATIONS, STACKS, SERIES, SAMPLES, PROFILES, MERGED_UIDS);

    /** The tables partitioned by day whose partitions go when the day's profiles all ended (merged_uids: by its own ends). */
    static final List<Table> BY_DAY = List.of(SAMPLES, PROFILES);

    private ClickHouseSchema() {}

    /** The table rows are written to and read from: the Distributed one on a cluster. */
    static String name(Table t) {
        return t.name();
    }

    /** The table holding a shard's own rows. */
    static String local(Table t, boolean cluster) {
        return cluster ? t.name() + "_local" : t.name();
    }

    /** The statements that create the tables on one server (each shard, on a cluster). */
    static List<String> ddl(String database, String cluster) {
        List<String> out = new java.util.ArrayList<>();
        out.add("CREATE DATABASE IF NOT EXISTS " + database);
        for (Table t : TABLES) {
            String local = database + "." + local(t, cluster != null);
            out.add("CREATE TABLE IF NOT EXISTS " + local + " (" + t.columns() + ") ENGINE = " + t.engine());
            if (cluster != null) {
                out.add("CREATE TABLE IF NOT EXISTS " + database + "." + t.name() + " AS " + local
                        + " ENGINE = Distributed(" + cluster + ", " + database + ", " + local(t, true) + ", "
                        + t.shardingKey() + ")");
            }
        }
        return out;
    }
}
