package dev.hearth.agent;

import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;

/**
 * Serves {@code GET /metrics} on a local port, for Prometheus to scrape the agent's health: the
 * Prometheus client's own server, which answers in the format the scraper asks for (text,
 * OpenMetrics or protobuf). The agent's one inbound HTTP endpoint; outbound, to the collector, is
 * Netty ({@link dev.hearth.agent.ship.CollectorHttp}). docs/agent.md tells why each.
 */
public final class MetricsServer implements AutoCloseable {
    private final HTTPServer server;

    public MetricsServer(String address, int port, Metrics metrics) throws IOException {
        server = HTTPServer.builder()
                .hostname(address)
                .port(port)
                .registry(metrics.registry())
                .defaultHandler(
                        MetricsServer::notFound) // not the client's HTML page: only /metrics and /-/healthy are served
                .buildAndStart();
    }

    private static void notFound(HttpExchange ex) throws IOException {
        try (ex) {
            ex.sendResponseHeaders(404, -1);
        }
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
