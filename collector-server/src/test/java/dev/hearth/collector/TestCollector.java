package dev.hearth.collector;

import dev.hearth.collector.storage.StoreLocation;
import java.nio.file.Path;

/**
 * A collector started in-process on a free port with its data in a test folder. It runs with
 * tokens (a file in the data folder with one token of {@link TestTokens#TENANT} that may ingest and
 * query), and {@link #http} sends that token, so every API test runs with authentication on.
 */
final class TestCollector implements AutoCloseable {
    final CollectorServer server;
    final Http http;
    final String token;
    final Path tokens;

    TestCollector(Path dir) throws Exception {
        this(CollectorConfig.defaults(dir).withPort(0));
    }

    TestCollector(CollectorConfig config) throws Exception {
        this(config, new StoreLocation.DuckDb(config.dataDir()));
    }

    /** On a fresh store of the kind given (DuckDB in {@code dir}). */
    TestCollector(Path dir, TestStore store) throws Exception {
        this(CollectorConfig.defaults(dir), store.fresh(dir));
    }

    TestCollector(CollectorConfig config, StoreLocation store) throws Exception {
        java.nio.file.Files.createDirectories(config.dataDir());
        tokens = config.dataDir().resolve("tokens");
        token = TestTokens.writeFullAccess(tokens);
        server = CollectorServer.start(config.withPort(0), new SecurityConfig(tokens, null, null), store);
        http = new Http(server.port()).withToken(token);
    }

    long count(String table) throws Exception {
        return server.store().count(table);
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
