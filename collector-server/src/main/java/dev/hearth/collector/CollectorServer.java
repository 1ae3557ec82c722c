package dev.hearth.collector;

import dev.hearth.collector.auth.Authenticator;
import dev.hearth.collector.auth.Tokens;
import dev.hearth.collector.http.ApiHandler;
import dev.hearth.collector.http.AuthHandler;
import dev.hearth.collector.http.BodyBudget;
import dev.hearth.collector.http.ConnectionLimit;
import dev.hearth.collector.http.Endpoints;
import dev.hearth.collector.http.HttpMetrics;
import dev.hearth.collector.http.HttpsOnly;
import dev.hearth.collector.http.LimitedAggregator;
import dev.hearth.collector.http.RequestTimeouts;
import dev.hearth.collector.http.ResponseCompressor;
import dev.hearth.collector.http.StaticAssets;
import dev.hearth.collector.http.TlsContext;
import dev.hearth.collector.metrics.CollectorMetrics;
import dev.hearth.collector.storage.DownsampleResult;
import dev.hearth.collector.storage.Downsampling;
import dev.hearth.collector.storage.ProfileStore;
import dev.hearth.collector.storage.StoreLocation;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A running collector: its store (DuckDB or ClickHouse), the worker pool and the Netty HTTP server. */
public final class CollectorServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CollectorServer.class.getName());
    /** Downsampling passes per wake-up (every 10 minutes): catching up on a large store is spread out. */
    private static final int MAX_DOWNSAMPLE_PASSES = 100;

    private final CollectorConfig config;
    private final SecurityConfig security;
    private final Tokens tokens;
    private final Authenticator auth;
    private final SslContext tls;
    private final EventLoopGroup boss, io;
    private final Channel channel;
    private final ProfileStore store;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService timer;
    private final ApiHandler handler;
    private final ConnectionLimit connections;
    private final AtomicLong bodiesInFlight = new AtomicLong();
    private final CollectorMetrics metrics = new CollectorMetrics();

    /**
     * The security files are read first and the port is taken next, not yet accepting, so a bad
     * file or a busy port is reported before the database is opened or created; the database
     * next; connections are accepted once everything is ready.
     */
    private CollectorServer(CollectorConfig config, SecurityConfig security, StoreLocation location) throws Exception {
        this.config = config;
        this.security = security;
        this.tls = security.tls() ? TlsContext.server(security.tlsCert(), security.tlsKey()) : null;
        this.tokens = security.tokens() != null ? Tokens.open(security.tokens()) : null;
        this.auth = new Authenticator(tokens);
        this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.io = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        try {
            this.channel = bind();
        } catch (Exception e) {
            shutDownGroups();
            if (tokens != null) tokens.close();
            throw StartupException.cannotListen(config.host(), config.port(), e);
        }
        try {
            this.store = location.open(config.queueCapacity());
        } catch (Exception e) {
            channel.close().sync();
            shutDownGroups();
            if (tokens != null) tokens.close();
            throw StartupException.cannotOpenStore(location, e);
        }
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(
                config.workers(),
                config.workers(),
                0,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queueCapacity()),
                r -> {
                    Thread t = new Thread(r, "hearth-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        CollectorLimits limits = config.limits();
        metrics.queues(store::queueDepth, () -> workers.getQueue().size());
        metrics.store(store::size);
        Endpoints endpoints = new Endpoints(store, config.maxDecompressedBytes(), limits.maxStackDepth(), metrics);
        this.handler = new ApiHandler(
                endpoints, new StaticAssets(StaticAssets.UI_FOLDER), workers, limits.queryTimeout(), metrics);
        this.connections = new ConnectionLimit(limits.maxConnections());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hearth-retention");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::applyRetention, 1, 60, TimeUnit.MINUTES);
        if (config.downsampling().enabled()) timer.scheduleWithFixedDelay(this::downsample, 2, 10, TimeUnit.MINUTES);
        channel.config().setAutoRead(true);
    }

    /** The listening socket, bound but not accepting until the server is ready. */
    private Channel bind() throws InterruptedException {
        return new ServerBootstrap()
                .group(boss, io)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        CollectorLimits limits = config.limits();
                        RequestTimeouts timeouts =
                                new RequestTimeouts(limits.idleTimeout(), limits.headerTimeout(), limits.bodyTimeout());
                        ch.pipeline().addLast(timeouts.firstBytes());
                        if (tls != null) ch.pipeline().addLast(new HttpsOnly(tls));
                        // refused before the body is read: an unauthenticated upload takes no body budget
                        ch.pipeline()
                                .addLast(
                                        new HttpServerCodec(),
                                        new HttpMetrics(metrics),
                                        connections,
                                        timeouts,
                                        new AuthHandler(auth),
                                        new BodyBudget(
                                                bodiesInFlight, limits.maxBodyBytesInFlight(), config.maxBodyBytes()));
                        ch.pipeline()
                                .addLast(
                                        new LimitedAggregator(config.maxBodyBytes()),
                                        new ResponseCompressor(),
                                        handler);
                    }
                })
                .bind(config.host(), config.port())
                .sync()
                .channel();
    }

    private void shutDownGroups() throws InterruptedException {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
    }

    /** A collector without tokens or TLS. */
    public static CollectorServer start(CollectorConfig config) throws Exception {
        return start(config, SecurityConfig.OPEN);
    }

    /** A collector on DuckDB in the config's data directory. */
    public static CollectorServer start(CollectorConfig config, SecurityConfig security) throws Exception {
        return start(config, security, new StoreLocation.DuckDb(config.dataDir()));
    }

    public static CollectorServer start(CollectorConfig config, SecurityConfig security, StoreLocation store)
            throws Exception {
        return new CollectorServer(config, security, store);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public ProfileStore store() {
        return store;
    }

    public CollectorConfig config() {
        return config;
    }

    public SecurityConfig security() {
        return security;
    }

    public CollectorMetrics metrics() {
        return metrics;
    }

    /** Deletes what is older than the retention, on the writer thread. Returns profiles deleted. */
    public long applyRetention(long nowMs) throws Exception {
        long cutoff = nowMs - config.retention().toMillis();
        try {
            long deleted = store.deleteBefore(cutoff).get();
            metrics.retentionRun(true, deleted);
            return deleted;
        } catch (Exception e) {
            metrics.retentionRun(false, 0);
            throw e;
        }
    }

    private void applyRetention() {
        try {
            long deleted = applyRetention(System.currentTimeMillis());
            if (deleted > 0) LOG.log(Level.INFO, "retention deleted " + deleted + " profiles");
        } catch (Exception e) {
            LOG.log(Level.WARNING, "retention failed", e);
        }
    }

    /** One downsampling pass on the writer thread (see {@link Downsampling}); what it did. */
    public DownsampleResult downsample(long nowMs) throws Exception {
        long t0 = System.nanoTime();
        try {
            DownsampleResult r = store.downsample(config.downsampling(), nowMs).get();
            metrics.downsamplingRun(true, r.merged(), r.rowsSaved(), System.nanoTime() - t0);
            return r;
        } catch (Exception e) {
            metrics.downsamplingRun(false, 0, 0, System.nanoTime() - t0);
            throw e;
        }
    }

    /** Passes until nothing is due (a bounded number per wake-up); writes queued meanwhile go between them. */
    private void downsample() {
        try {
            DownsampleResult all = DownsampleResult.NOTHING;
            for (int pass = 0; pass < MAX_DOWNSAMPLE_PASSES; pass++) {
                DownsampleResult r = downsample(System.currentTimeMillis());
                if (r.merged() == 0) break;
                all = all.plus(r);
            }
            if (all.merged() > 0)
                LOG.log(
                        Level.INFO,
                        "downsampling merged " + all.merged() + " profiles, " + all.rowsSaved() + " rows fewer");
        } catch (Exception e) {
            LOG.log(Level.WARNING, "downsampling failed", e);
        }
    }

    @Override
    public void close() throws Exception {
        timer.shutdownNow();
        channel.close().sync();
        shutDownGroups();
        workers.shutdown();
        workers.awaitTermination(10, TimeUnit.SECONDS);
        store.close();
        if (tokens != null) tokens.close();
    }
}
