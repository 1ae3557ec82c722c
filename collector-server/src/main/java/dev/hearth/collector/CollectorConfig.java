package dev.hearth.collector;

import dev.hearth.collector.storage.Downsampling;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a collector runs. {@code port} 0 picks a free port. {@code workers} threads decode bodies
 * and run queries; {@code queueCapacity} bounds what may wait for them and for the writer before
 * requests get 503. {@code limits}: timeouts and bounds on requests and connections.
 * {@code downsampling}: when and how old profiles are merged into coarser steps.
 */
public record CollectorConfig(
        String host,
        int port,
        Path dataDir,
        Duration retention,
        int maxBodyBytes,
        long maxDecompressedBytes,
        int workers,
        int queueCapacity,
        CollectorLimits limits,
        Downsampling downsampling) {

    public static final int DEFAULT_MAX_BODY = 16 << 20;
    public static final long DEFAULT_MAX_DECOMPRESSED = 64L << 20;

    public static CollectorConfig defaults(Path dataDir) {
        return new CollectorConfig(
                SecurityConfig.OPEN.defaultHost(),
                4040,
                dataDir,
                Duration.ofDays(30),
                DEFAULT_MAX_BODY,
                DEFAULT_MAX_DECOMPRESSED,
                Math.max(2, Runtime.getRuntime().availableProcessors()),
                512,
                CollectorLimits.defaults(),
                Downsampling.defaults());
    }

    public CollectorConfig withPort(int port) {
        return new CollectorConfig(
                host,
                port,
                dataDir,
                retention,
                maxBodyBytes,
                maxDecompressedBytes,
                workers,
                queueCapacity,
                limits,
                downsampling);
    }

    public CollectorConfig withLimits(int maxBodyBytes, long maxDecompressedBytes) {
        return new CollectorConfig(
                host,
                port,
                dataDir,
                retention,
                maxBodyBytes,
                maxDecompressedBytes,
                workers,
                queueCapacity,
                limits,
                downsampling);
    }

    public CollectorConfig withLimits(CollectorLimits limits) {
        return new CollectorConfig(
                host,
                port,
                dataDir,
                retention,
                maxBodyBytes,
                maxDecompressedBytes,
                workers,
                queueCapacity,
                limits,
                downsampling);
    }

    public CollectorConfig withQueues(int workers, int queueCapacity) {
        return new CollectorConfig(
                host,
                port,
                dataDir,
                retention,
                maxBodyBytes,
                maxDecompressedBytes,
                workers,
                queueCapacity,
                limits,
                downsampling);
    }

    public CollectorConfig withDownsampling(Downsampling downsampling) {
        return new CollectorConfig(
                host,
                port,
                dataDir,
                retention,
                maxBodyBytes,
                maxDecompressedBytes,
                workers,
                queueCapacity,
                limits,
                downsampling);
    }
}
