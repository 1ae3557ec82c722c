package dev.hearth.collector;

import java.nio.file.Path;

/** A collector started in-process on a free port with its data in a test folder. */
final class TestCollector implements AutoCloseable {
    final CollectorServer server;
    final Http http;

    TestCollector(Path dir) throws Exception {
        this(CollectorConfig.defaults(dir).withPort(0));
    }

    TestCollector(CollectorConfig config) throws Exception {
        server = CollectorServer.start(config.withPort(0));
        http = new Http(server.port());
    }

    long count(String table) throws Exception {
        return server.database().count(table);
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
