package dev.hearth.collector.storage;

import dev.hearth.collector.auth.Tenant;
import java.util.List;

/**
 * The tables. Dictionary tables (strings, functions, locations, stacks, stack_frames, series) hold
 * each content-hashed row once; profiles and samples grow with ingest. Plain column types and no
 * constraints, so the same tables fit ClickHouse (with an engine clause) — uniqueness of dictionary
 * rows is kept by the single writer, not by the database.
 */
final class Schema {
    /** Value columns v0, v1: one per value type of a profile type, in ProfileType.valueTypes() order. */
    static final int VALUE_COLUMNS = 2;

    /** The digest of profiles stored before digests were kept. */
    static final long UNKNOWN_DIGEST = 0;

    static final List<String> TABLES = List.of(
            "CREATE TABLE IF NOT EXISTS strings (id BIGINT NOT NULL, str VARCHAR NOT NULL)",
            "CREATE TABLE IF NOT EXISTS functions (id BIGINT NOT NULL, name_id BIGINT NOT NULL, kind VARCHAR NOT NULL, file_id BIGINT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS locations (id BIGINT NOT NULL, function_id BIGINT NOT NULL, line BIGINT NOT NULL,"
                    + " binary_id BIGINT NOT NULL, build_id BIGINT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS stacks (id BIGINT NOT NULL, labels VARCHAR NOT NULL)",
            // depth 0 is the leaf
            "CREATE TABLE IF NOT EXISTS stack_frames (stack BIGINT NOT NULL, depth INTEGER NOT NULL, location BIGINT NOT NULL)",
            // tenant last: where a migration adds it to an older table (appenders write by position)
            "CREATE TABLE IF NOT EXISTS series (id BIGINT NOT NULL, service VARCHAR NOT NULL, type VARCHAR NOT NULL, labels VARCHAR NOT NULL,"
                    + " tenant VARCHAR NOT NULL)",
            // pkey: dense key given by the writer, cheap to repeat in every sample row; uid: the client's id, unique
            // per
            // tenant and service; digest: a hash of the content, to tell a resent profile from another one under its
            // id;
            // step_ms: 0 as ingested, else the downsampling step whose profiles this one merged
            "CREATE TABLE IF NOT EXISTS profiles (pkey BIGINT NOT NULL, uid VARCHAR NOT NULL, series BIGINT NOT NULL,"
                    + " start_ms BIGINT NOT NULL, end_ms BIGINT NOT NULL, total0 BIGINT NOT NULL, total1 BIGINT NOT NULL,"
                    + " digest BIGINT NOT NULL, step_ms BIGINT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS samples (profile BIGINT NOT NULL, stack BIGINT NOT NULL, v0 BIGINT NOT NULL, v1 BIGINT NOT NULL)",
            // the ids of profiles downsampling merged into another, so a resent one is still known as stored (until
            // retention takes the profile they went into, which ends no earlier than they did)
            "CREATE TABLE IF NOT EXISTS merged_uids (series BIGINT NOT NULL, uid VARCHAR NOT NULL, digest BIGINT NOT NULL,"
                    + " end_ms BIGINT NOT NULL)");

    /**
     * Brings a data directory made before tenants up to date: its profiles belong to the tenant a
     * collector without tokens gives every request, and their content is unknown (digest 0), so
     * resending one of their ids is taken as the same profile, as before. Profiles from before
     * downsampling are as ingested (step 0).
     */
    static final List<String> MIGRATIONS = List.of(
            "ALTER TABLE series ADD COLUMN IF NOT EXISTS tenant VARCHAR DEFAULT '" + Tenant.ANONYMOUS + "'",
            "ALTER TABLE profiles ADD COLUMN IF NOT EXISTS digest BIGINT DEFAULT " + UNKNOWN_DIGEST,
            "ALTER TABLE profiles ADD COLUMN IF NOT EXISTS step_ms BIGINT DEFAULT 0");

    /** Dictionary tables whose ids the writer caches, so it never writes a row twice. */
    static final List<String> DICTIONARIES = List.of("strings", "functions", "locations", "stacks", "series");

    private Schema() {}

    static String valueColumn(int index) {
        if (index < 0 || index >= VALUE_COLUMNS) throw new IllegalArgumentException("no value column " + index);
        return "v" + index;
    }

    static String totalColumn(int index) {
        if (index < 0 || index >= VALUE_COLUMNS) throw new IllegalArgumentException("no total column " + index);
        return "total" + index;
    }
}
