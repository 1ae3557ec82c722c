package dev.hearth.collector.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a collector keeps its profiles: what {@code --store} names, either {@code duckdb:DIR} or
 * {@code clickhouse:http://HOST:PORT[,http://HOST:PORT...][?cluster=NAME&database=DB]}.
 */
public sealed interface StoreLocation {
    /** ClickHouse identifiers we accept for cluster and database names: they go into DDL unquoted. */
    Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    String DEFAULT_DATABASE = "hearth";
    int MAX_SHARDS = 256;

    /** Opens (or creates) the store; {@code queueCapacity} bounds the writes that may wait. */
    ProfileStore open(int queueCapacity) throws Exception;

    /** The embedded DuckDB file in a data directory. */
    record DuckDb(Path dir) implements StoreLocation {
        @Override
        public ProfileStore open(int queueCapacity) throws Exception {
            return DuckDbStore.open(dir, queueCapacity);
        }

        @Override
        public String toString() {
            return "DuckDB in " + dir.toAbsolutePath();
        }
    }

    /**
     * ClickHouse over its HTTP interface: one server ({@code cluster} null), or one URL per shard of
     * the cluster of that name in the servers' {@code remote_servers}.
     */
    record ClickHouse(List<URI> shards, String cluster, String database, ClickHouseCredentials credentials)
            implements StoreLocation {
        public ClickHouse {
            shards = List.copyOf(shards);
            if (shards.isEmpty()) throw new IllegalArgumentException("no ClickHouse URL");
            if (cluster == null && shards.size() > 1) {
                throw new IllegalArgumentException(
                        "several ClickHouse URLs are the shards of a cluster: add ?cluster=NAME"
                                + " (its name in the servers' remote_servers)");
            }
        }

        @Override
        public ProfileStore open(int queueCapacity) throws Exception {
            return ClickHouseStore.open(this, queueCapacity);
        }

        @Override
        public String toString() {
            return "ClickHouse " + shards + (cluster != null ? " cluster " + cluster : "") + " database " + database;
        }
    }

    /**
     * Parses a {@code --store} value; ClickHouse gets {@code credentials}.
     *
     * @throws IllegalArgumentException saying what is wrong and what is expected
     */
    static StoreLocation parse(String spec, ClickHouseCredentials credentials) {
        if (spec.startsWith("duckdb:")) {
            String dir = spec.substring("duckdb:".length());
            if (dir.isEmpty()) throw new IllegalArgumentException("--store duckdb:DIR needs a directory");
            return new DuckDb(Path.of(dir));
        }
        if (!spec.startsWith("clickhouse:")) {
            throw new IllegalArgumentException(
                    "--store is duckdb:DIR or clickhouse:http://HOST:PORT[,...][?cluster=NAME&database=DB], got '"
                            + spec + "'");
        }
        String rest = spec.substring("clickhouse:".length());
        String cluster = null, database = DEFAULT_DATABASE;
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String param : rest.substring(q + 1).split("&", -1)) {
                int eq = param.indexOf('=');
                String key = eq < 0 ? param : param.substring(0, eq), value = eq < 0 ? "" : param.substring(eq + 1);
                if (!IDENTIFIER.matcher(value).matches()) {
                    throw new IllegalArgumentException("--store: " + key
                            + " must be a name of [A-Za-z0-9_] starting with a letter, got '" + value + "'");
                }
                switch (key) {
                    case "cluster" -> cluster = value;
                    case "database" -> database = value;
                    default ->
                        throw new IllegalArgumentException(
                                "--store: unknown parameter '" + key + "' (cluster, database)");
                }
            }
            rest = rest.substring(0, q);
        }
        List<URI> shards = new ArrayList<>();
        for (String url : rest.split(",", -1)) {
            if (shards.size() == MAX_SHARDS)
                throw new IllegalArgumentException("--store: more than " + MAX_SHARDS + " ClickHouse URLs");
            shards.add(serverUrl(url));
        }
        return new ClickHouse(shards, cluster, database, credentials);
    }

    /** An http(s)://HOST:PORT URL with nothing else: credentials never go in it. */
    private static URI serverUrl(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--store: '" + url + "' is not a URL like http://HOST:8123");
        }
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
                || u.getHost() == null
                || u.getPort() < 0) {
            throw new IllegalArgumentException(
                    "--store: '" + url + "' is not a URL like http://HOST:8123 (scheme, host and port)");
        }
        if (u.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "--store: no credentials in the URL (the command line is visible to every user);"
                            + " use --store-credentials FILE or " + ClickHouseCredentials.USER_ENV + " and "
                            + ClickHouseCredentials.PASSWORD_ENV);
        }
        if ((u.getRawPath() != null
                        && !u.getRawPath().isEmpty()
                        && !u.getRawPath().equals("/"))
                || u.getRawFragment() != null) {
            throw new IllegalArgumentException("--store: '" + url + "' has a path; give only http://HOST:PORT");
        }
        return URI.create(u.getScheme() + "://" + u.getHost() + ":" + u.getPort() + "/");
    }
}
