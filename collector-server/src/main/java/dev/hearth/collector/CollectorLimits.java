package dev.hearth.collector;

import java.time.Duration;

/**
 * What one request or connection may cost the collector; docs/security.md lists each with its
 * flag. {@code queryTimeout}: a query's deadline, then it is cancelled and answered 503.
 * {@code maxStackDepth}: frames kept per stack at ingest. {@code idleTimeout}: a kept-alive
 * connection with no request in progress is closed after it. {@code headerTimeout}: from a
 * request's first byte to the end of its headers. {@code bodyTimeout}: from the end of the headers
 * to the end of the body. {@code maxConnections}: open connections; more are answered 503 and
 * closed. {@code maxBodyBytesInFlight}: request bodies held across all connections at once; a
 * body that would pass it is answered 503 with Retry-After.
 */
public record CollectorLimits(
        Duration queryTimeout,
        int maxStackDepth,
        Duration idleTimeout,
        Duration headerTimeout,
        Duration bodyTimeout,
        int maxConnections,
        long maxBodyBytesInFlight) {

    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_STACK_DEPTH = 1024;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    public static final long DEFAULT_MAX_BODY_BYTES_IN_FLIGHT = 256L << 20;

    public CollectorLimits {
        for (Duration d : new Duration[] {queryTimeout, idleTimeout, headerTimeout, bodyTimeout}) {
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("timeouts must be positive, got " + d);
        }
        if (maxStackDepth < 2)
            throw new IllegalArgumentException("the stack depth limit must be at least 2, got " + maxStackDepth);
        if (maxConnections < 1)
            throw new IllegalArgumentException("the connection limit must be at least 1, got " + maxConnections);
        if (maxBodyBytesInFlight < 1) throw new IllegalArgumentException("the in-flight body limit must be positive");
    }

    public static CollectorLimits defaults() {
        return new CollectorLimits(
                DEFAULT_QUERY_TIMEOUT,
                DEFAULT_MAX_STACK_DEPTH,
                DEFAULT_IDLE_TIMEOUT,
                DEFAULT_HEADER_TIMEOUT,
                DEFAULT_BODY_TIMEOUT,
                DEFAULT_MAX_CONNECTIONS,
                DEFAULT_MAX_BODY_BYTES_IN_FLIGHT);
    }

    public CollectorLimits withQueryTimeout(Duration d) {
        return new CollectorLimits(
                d, maxStackDepth, idleTimeout, headerTimeout, bodyTimeout, maxConnections, maxBodyBytesInFlight);
    }

    public CollectorLimits withMaxStackDepth(int n) {
        return new CollectorLimits(
                queryTimeout, n, idleTimeout, headerTimeout, bodyTimeout, maxConnections, maxBodyBytesInFlight);
    }

    public CollectorLimits withTimeouts(Duration idle, Duration header, Duration body) {
        return new CollectorLimits(
                queryTimeout, maxStackDepth, idle, header, body, maxConnections, maxBodyBytesInFlight);
    }

    public CollectorLimits withConnections(int max, long bodyBytesInFlight) {
        return new CollectorLimits(
                queryTimeout, maxStackDepth, idleTimeout, headerTimeout, bodyTimeout, max, bodyBytesInFlight);
    }
}
