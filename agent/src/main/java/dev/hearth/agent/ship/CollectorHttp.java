package dev.hearth.agent.ship;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
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
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * A kept-alive HTTP/1.1 connection to the collector, used as Netty means it to be: every step
 * (connect, TLS handshake, write, read, time-out) runs on one event loop as callbacks, buffers come
 * from Netty's default pooled allocator, and TLS is a handler in the same pipeline. {@link #send}
 * returns at once with the answer to come; requests queue and go one after the other (HTTP/1.1
 * without pipelining), reconnecting when the collector closed the connection. An https://
 * collector is verified (certificate chain and host name) against the system's trust store or the
 * given CA file; a token goes in {@code Authorization: Bearer}. The agent's shipping and the query
 * command both speak to the collector through this.
 */
public final class CollectorHttp implements AutoCloseable {
    /** What the collector answered. */
    public record Reply(int status, String contentType, byte[] body) {}

    /** Why a request got no answer, in this class's own words. */
    private static final class NoAnswer extends IOException {
        NoAnswer(String message) {
            super(message);
        }
    }

    /** One request and its answer to come; its fields are the event loop's. */
    private static final class Exchange {
        final FullHttpRequest request;
        final CompletableFuture<Reply> reply = new CompletableFuture<>();
        boolean written; // the request is Netty's from here on (it releases it)

        Exchange(FullHttpRequest request) {
            this.request = request;
        }
    }

    private final URI collector;
    private final String host;
    private final int port, defaultPort;
    private final Duration timeout;
    private final BearerToken token;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final Bootstrap bootstrap;
    // the event loop's alone:
    private final ArrayDeque<Exchange> queue = new ArrayDeque<>();
    private Exchange current;
    private Channel channel;
    private boolean closed;

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
        if (caFile != null && !https)
            throw new IllegalArgumentException("a CA file is for an https:// collector, got " + collector);
        this.collector = collector;
        this.host = collector.getHost();
        this.defaultPort = https ? 443 : 80;
        this.port = collector.getPort() > 0 ? collector.getPort() : defaultPort;
        this.timeout = timeout;
        this.token = token;
        SslContext tls = https ? clientTls(caFile) : null;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port));
                        ch.pipeline()
                                .addLast(
                                        new HttpClientCodec(),
                                        new HttpObjectAggregator(maxResponse),
                                        new ResponseHandler());
                    }
                });
    }

    /** The collector's address as given. */
    public URI collector() {
        return collector;
    }

    /**
     * Sends one request to {@code pathAndQuery} under the collector's base path, after those sent
     * before. The answer fails with an IOException when none came (unreachable, TLS refused, timed
     * out, too large), with a message that says why.
     */
    public CompletableFuture<Reply> send(
            HttpMethod method, String pathAndQuery, byte[] body, String contentType, Map<String, String> headers) {
        Exchange x;
        try {
            x = new Exchange(request(method, pathAndQuery, body, contentType, headers));
        } catch (RuntimeException e) { // a header value Netty refuses
            return CompletableFuture.failedFuture(new NoAnswer(describe(e)));
        }
        try {
            loop.execute(() -> {
                if (closed) {
                    fail(x, new NoAnswer("closed"));
                    return;
                }
                queue.add(x);
                next();
            });
        } catch (RejectedExecutionException e) { // closed: the event loop is gone
            x.request.release();
            return CompletableFuture.failedFuture(new NoAnswer("closed"));
        }
        return x.reply;
    }

    /** {@link #send} for a caller that waits for the answer (never the event loop). */
    public Reply exchange(
            HttpMethod method, String pathAndQuery, byte[] body, String contentType, Map<String, String> headers)
            throws IOException {
        try {
            return send(method, pathAndQuery, body, contentType, headers).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof NoAnswer
                    ? new IOException(cause.getMessage(), cause)
                    : new IOException(describe(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private FullHttpRequest request(
            HttpMethod method, String pathAndQuery, byte[] body, String contentType, Map<String, String> headers) {
        String path =
                (collector.getRawPath() == null ? "" : collector.getRawPath().replaceAll("/+$", "")) + pathAndQuery;
        FullHttpRequest req = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1,
                method,
                path,
                body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        if (token != null) req.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token.current());
        req.headers()
                .set(HttpHeaderNames.HOST, port == defaultPort ? host : host + ":" + port)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        if (body != null) {
            req.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                    .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        headers.forEach((k, v) -> req.headers().set(k, v));
        return req;
    }

    /** Starts the next queued request when none is in flight: on the kept connection, or on a new one. */
    private void next() {
        if (current != null || queue.isEmpty()) return;
        Exchange x = current = queue.poll();
        ScheduledFuture<?> timer = loop.schedule(
                () -> fail(x, new NoAnswer("no answer within " + timeout.toMillis() + " ms")),
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
        x.reply.whenComplete((r, e) -> timer.cancel(false));
        if (channel != null && channel.isActive()) {
            write(x);
            return;
        }
        bootstrap.connect(host, port).addListener((ChannelFuture f) -> {
            if (x != current) { // timed out or closed meanwhile
                f.channel().close();
                return;
            }
            if (!f.isSuccess()) {
                fail(x, f.cause());
                return;
            }
            channel = f.channel();
            write(x);
        });
    }

    private void write(Exchange x) {
        x.written = true;
        channel.writeAndFlush(x.request).addListener(f -> {
            if (!f.isSuccess()) fail(x, f.cause());
        });
    }

    /** Ends the request in flight with an answer, and starts the next. */
    private void answer(Exchange x, Reply r, boolean keepAlive) {
        current = null;
        if (!keepAlive) dropConnection();
        x.reply.complete(r);
        next();
    }

    /** Fails a request; the one in flight takes its connection with it, in whatever state the failure left it. */
    private void fail(Exchange x, Throwable cause) {
        if (x.reply.isDone()) return;
        if (!x.written) ReferenceCountUtil.release(x.request);
        x.written = true;
        queue.remove(x);
        if (x == current) {
            current = null;
            dropConnection();
        }
        x.reply.completeExceptionally(cause);
        next();
    }

    private static SslContext clientTls(Path caFile) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
            if (caFile != null) b.trustManager(caFile.toFile());
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "cannot use CA file " + caFile + " (PEM certificates): " + e.getMessage(), e);
        }
    }

    private void dropConnection() {
        if (channel != null) channel.close();
        channel = null;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** Fails what is still queued or in flight, closes the connection and stops the event loop. */
    @Override
    public void close() {
        if (group.isShuttingDown()) return;
        loop.execute(() -> {
            closed = true;
            if (current != null) fail(current, new NoAnswer("closed"));
            while (!queue.isEmpty()) fail(queue.peek(), new NoAnswer("closed"));
            dropConnection();
        });
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Hands answers and failures of the connection it sits on to the request in flight. */
    private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
            if (ctx.channel() != channel || current == null) return; // an answer no one waits for: dropped
            answer(
                    current,
                    new Reply(
                            msg.status().code(),
                            msg.headers().get(HttpHeaderNames.CONTENT_TYPE, ""),
                            ByteBufUtil.getBytes(msg.content())),
                    HttpUtil.isKeepAlive(msg));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == channel && current != null)
                fail(current, new NoAnswer("connection closed before the response"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() == channel && current != null) fail(current, cause);
            ctx.close();
        }
    }
}
