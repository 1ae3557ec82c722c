package dev.hearth.collector;

import dev.hearth.collector.auth.Authenticator;
import dev.hearth.collector.auth.Tokens;
import dev.hearth.collector.http.ApiHandler;
import dev.hearth.collector.http.AuthHandler;
import dev.hearth.collector.http.Endpoints;
import dev.hearth.collector.http.HttpsOnly;
import dev.hearth.collector.http.LimitedAggregator;
import dev.hearth.collector.http.StaticAssets;
import dev.hearth.collector.http.TlsContext;
import dev.hearth.collector.storage.Database;
import dev.hearth.collector.storage.StoreReader;
import dev.hearth.collector.storage.StoreWriter;
import dev.hearth.collector.storage.WriteQueue;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A running collector: DuckDB storage, the writer thread, the worker pool and the Netty HTTP
 * server, whose pipeline is: TLS (when configured), HTTP, authentication (from the request head,
 * before any body is held), body aggregation, the API.
 */
public final class CollectorServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CollectorServer.class.getName());

    private final CollectorConfig config;
    private final SecurityConfig security;
    private final Tokens tokens;
    private final Database db;
    private final WriteQueue writes;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService timer;
    private final EventLoopGroup boss, io;
    private final Channel channel;

    private CollectorServer(CollectorConfig config, SecurityConfig security) throws Exception {
        this.config = config;
        this.security = security;
        // the security files first: a mistake there stops the start before the database is touched
        SslContext tls = security.tls() ? TlsContext.server(security.tlsCert(), security.tlsKey()) : null;
        this.tokens = security.tokens() != null ? Tokens.open(security.tokens()) : null;
        Authenticator auth = new Authenticator(tokens);
        try {
            this.db = Database.open(config.dataDir());
        } catch (Exception e) {
            if (tokens != null) tokens.close();
            throw e;
        }
        this.writes = new WriteQueue(new StoreWriter(db), config.queueCapacity());
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(config.workers(), config.workers(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queueCapacity()), r -> {
                    Thread t = new Thread(r, "hearth-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        Endpoints endpoints = new Endpoints(new StoreReader(db), writes, config.maxDecompressedBytes());
        ApiHandler handler = new ApiHandler(endpoints, new StaticAssets(StaticAssets.UI_FOLDER), workers);
        this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.io = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        this.channel = new ServerBootstrap().group(boss, io).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) ch.pipeline().addLast(new HttpsOnly(tls));
                        ch.pipeline().addLast(new HttpServerCodec(), new AuthHandler(auth), new LimitedAggregator(config.maxBodyBytes()), handler);
                    }
                })
                .bind(config.host(), config.port()).sync().channel();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hearth-retention");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::applyRetention, 1, 60, TimeUnit.MINUTES);
    }

    /** A collector without tokens or TLS. */
    public static CollectorServer start(CollectorConfig config) throws Exception {
        return start(config, SecurityConfig.OPEN);
    }

    public static CollectorServer start(CollectorConfig config, SecurityConfig security) throws Exception {
        return new CollectorServer(config, security);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public Database database() {
        return db;
    }

    public CollectorConfig config() {
        return config;
    }

    public SecurityConfig security() {
        return security;
    }

    /** Deletes what is older than the retention, on the writer thread. Returns profiles deleted. */
    public long applyRetention(long nowMs) throws Exception {
        long cutoff = nowMs - config.retention().toMillis();
        return writes.deleteBefore(cutoff).get();
    }

    private void applyRetention() {
        try {
            long deleted = applyRetention(System.currentTimeMillis());
            if (deleted > 0) LOG.info("retention deleted " + deleted + " profiles");
        } catch (Exception e) {
            LOG.log(Level.WARNING, "retention failed", e);
        }
    }

    @Override
    public void close() throws Exception {
        timer.shutdownNow();
        channel.close().sync();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        workers.shutdown();
        workers.awaitTermination(10, TimeUnit.SECONDS);
        writes.close();
        db.close();
        if (tokens != null) tokens.close();
    }
}
