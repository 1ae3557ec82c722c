package dev.hearth.agent.ship;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * One kept-alive HTTP/1.1 connection to the collector, reconnecting when the collector closed it;
 * one request at a time, the caller's thread waits. An https:// collector is verified
 * (certificate chain and host name) against the system's trust store or the given CA file; a
 * token goes in {@code Authorization: Bearer}. The agent's shipping and the query command both
 * speak to the collector through this.
 */
public final class CollectorHttp implements AutoCloseable {
    /** What the collector answered. */
    public record Reply(int status, String contentType, byte[] body) {}

    private final URI collector;
    private final String host;
    private final int port, defaultPort;
    private final Duration timeout;
    private final BearerToken token;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Bootstrap bootstrap;
    private Channel channel;
    private volatile CompletableFuture<FullHttpResponse> pending;

    /**
     * @param token       the token to send, or null
     * @param caFile      PEM certificates to trust for an https:// collector instead of the system's, or null
     * @param maxResponse the largest answer body taken, in bytes
     */
    public CollectorHttp(URI collector, Duration timeout, BearerToken token, Path caFile, int maxResponse) {
        boolean https = "https".equals(collector.getScheme());
        if (!(https || "http".equals(collector.getScheme())) || collector.getHost() == null) {
            throw new IllegalArgumentException("collector must be an http(s)://HOST[:PORT] address, got " + collector);
        }
        if (caFile != null && !https) throw new IllegalArgumentException("a CA file is for an https:// collector, got " + collector);
        this.collector = collector;
        this.host = collector.getHost();
        this.defaultPort = https ? 443 : 80;
        this.port = collector.getPort() > 0 ? collector.getPort() : defaultPort;
        this.timeout = timeout;
        this.token = token;
        SslContext tls = https ? clientTls(caFile) : null;
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port));
                        ch.pipeline().addLast(new HttpClientCodec(),
                                new HttpObjectAggregator(maxResponse), new ResponseHandler());
                    }
                });
    }

    /** The collector's address as given. */
    public URI collector() {
        return collector;
    }

    /**
     * Sends one request to {@code pathAndQuery} under the collector's base path. IOException when
     * no answer came (unreachable, TLS refused, timed out, too large), with a message that says why.
     */
    public synchronized Reply exchange(HttpMethod method, String pathAndQuery, byte[] body, String contentType,
            Map<String, String> headers) throws IOException {
        String path = (collector.getRawPath() == null ? "" : collector.getRawPath().replaceAll("/+$", "")) + pathAndQuery;
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path,
                body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        if (token != null) req.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token.current());
        req.headers().set(HttpHeaderNames.HOST, port == defaultPort ? host : host + ":" + port)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        if (body != null) {
            req.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType).set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        headers.forEach((k, v) -> req.headers().set(k, v));
        CompletableFuture<FullHttpResponse> response = new CompletableFuture<>();
        try {
            Channel ch = connect();
            pending = response;
            ch.writeAndFlush(req).addListener(f -> {
                if (!f.isSuccess()) response.completeExceptionally(f.cause());
            });
            FullHttpResponse r = response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                if (!HttpUtil.isKeepAlive(r)) dropConnection();
                return new Reply(r.status().code(), r.headers().get(HttpHeaderNames.CONTENT_TYPE, ""), ByteBufUtil.getBytes(r.content()));
            } finally {
                r.release();
            }
        } catch (TimeoutException e) {
            dropConnection();
            throw new IOException("no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            dropConnection();
            throw new IOException(describe(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dropConnection();
            throw new IOException("interrupted");
        } catch (RuntimeException e) {
            dropConnection();
            throw new IOException(describe(e), e);
        }
    }

    private static SslContext clientTls(Path caFile) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
            if (caFile != null) b.trustManager(caFile.toFile());
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use CA file " + caFile + " (PEM certificates): " + e.getMessage(), e);
        }
    }

    private Channel connect() throws InterruptedException, ExecutionException {
        if (channel != null && channel.isActive()) return channel;
        var f = bootstrap.connect(host, port).await();
        if (!f.isSuccess()) throw new ExecutionException(f.cause());
        channel = f.channel();
        return channel;
    }

    private void dropConnection() {
        if (channel != null) channel.close();
        channel = null;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    @Override
    public synchronized void close() {
        dropConnection();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
            CompletableFuture<FullHttpResponse> p = pending;
            if (p != null && !p.complete(msg.retain())) msg.release();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            CompletableFuture<FullHttpResponse> p = pending;
            if (p != null) p.completeExceptionally(new IllegalStateException("connection closed before the response"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            CompletableFuture<FullHttpResponse> p = pending;
            if (p != null) p.completeExceptionally(cause);
            ctx.close();
        }
    }
}
