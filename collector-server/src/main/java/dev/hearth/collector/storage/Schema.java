package dev.hearth.collector.storage;

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

    static final List<String> TABLES = List.of(
            "CREATE TABLE IF NOT EXISTS strings (id BIGINT NOT NULL, str VARCHAR NOT NULL)",
            "CREATE TABLE IF NOT EXISTS functions (id BIGINT NOT NULL, name_id BIGINT NOT NULL, kind VARCHAR NOT NULL, file_id BIGINT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS locations (id BIGINT NOT NULL, function_id BIGINT NOT NULL, line BIGINT NOT NULL,"
                    + " binary_id BIGINT NOT NULL, build_id BIGINT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS stacks (id BIGINT NOT NULL, labels VARCHAR NOT NULL)",
            // depth 0 is the leaf
            "CREATE TABLE IF NOT EXISTS stack_frames (stack BIGINT NOT NULL, depth INTEGER NOT NULL, location BIGINT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS series (id BIGINT NOT NULL, service VARCHAR NOT NULL, type VARCHAR NOT NULL, labels VARCHAR NOT NULL)",
            // pkey: dense key given by the writer, cheap to repeat in every sample row; uid: the client's id
            "CREATE TABLE IF NOT EXISTS profiles (pkey BIGINT NOT NULL, uid VARCHAR NOT NULL, series BIGINT NOT NULL,"
                    + " start_ms BIGINT NOT NULL, end_ms BIGINT NOT NULL, total0 BIGINT NOT NULL, total1 BIGINT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS samples (profile BIGINT NOT NULL, stack BIGINT NOT NULL, v0 BIGINT NOT NULL, v1 BIGINT NOT NULL)");

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
