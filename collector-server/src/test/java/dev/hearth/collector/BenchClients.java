package dev.hearth.collector;

import io.netty.bootstrap.Bootstrap;
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
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The benchmark's ingest clients: {@code n} kept-alive HTTP/1.1 connections over loopback, each
 * with one request in flight at a time, as the agent's shipper sends. All share one Netty event
 * loop thread, named {@link #THREAD_PREFIX}, so their CPU time can be told apart from the
 * collector's. A 503 is retried after 50 ms; any other non-200 answer fails the run. With
 * {@link Secure}, each connection speaks TLS and every request carries the token, as an agent does.
 */
final class BenchClients {
    static final String THREAD_PREFIX = "bench-client";

    /** The path and query, and the body, of request {@code i}. */
    record Request(String uri, byte[] body) {}

    private BenchClients() {}

    /** How a run went: 503 answers retried, the CPU time of the clients' thread, each request's latency (first send to its 200). */
    record Result(long busy, long cpuNanos, long[] latencyNanos) {
        /** The latency below which {@code q} (0–1) of the requests were answered, in milliseconds. */
        double latencyMs(double q) {
            long[] sorted = latencyNanos.clone();
            java.util.Arrays.sort(sorted);
            return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)] / 1e6;
        }
    }

    /** What the clients add for a collector with tokens (and TLS, trusting the collector's CA, when {@code tls} is given). */
    record Secure(String token, SslContext tls) {}

    /** Sends requests 0 … total-1 over {@code n} connections. */
    static Result run(int port, int n, int total, IntFunction<Request> requests) throws Exception {
        return run(port, n, total, requests, null);
    }

    /** The same, with a token over TLS when {@code secure} is given. */
    static Result run(int port, int n, int total, IntFunction<Request> requests, Secure secure) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong busy = new AtomicLong();
        long[] latencies = new long[total]; // written on the clients' one event loop thread
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(
                1, (ThreadFactory) r -> new Thread(r, THREAD_PREFIX), NioIoHandler.newFactory());
        try {
            Bootstrap b = new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true);
            CompletableFuture<?>[] done = new CompletableFuture<?>[n];
            for (int c = 0; c < n; c++) {
                CompletableFuture<Void> finished = new CompletableFuture<>();
                done[c] = finished;
                Channel ch = b.handler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel s) {
                                if (secure != null && secure.tls() != null)
                                    s.pipeline().addLast(secure.tls().newHandler(s.alloc(), "127.0.0.1", port));
                                s.pipeline()
                                        .addLast(
                                                new HttpClientCodec(),
                                                new HttpObjectAggregator(1 << 20),
                                                new Connection(
                                                        port,
                                                        total,
                                                        next,
                                                        busy,
                                                        latencies,
                                                        requests,
                                                        finished,
                                                        secure == null ? null : secure.token()));
                            }
                        })
                        .connect("127.0.0.1", port)
                        .sync()
                        .channel();
                ch.eventLoop().execute(() -> ch.pipeline().get(Connection.class).sendNext(ch));
            }
            CompletableFuture.allOf(done).get(30, TimeUnit.MINUTES);
            long cpu = group.submit(() -> ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime())
                    .get();
            return new Result(busy.get(), cpu, latencies);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** One connection: sends the next request when the answer to the last one came. */
    private static final class Connection extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final String host;
        private final int total;
        private final AtomicInteger next;
        private final AtomicLong busy;
        private final long[] latencies;
        private final IntFunction<Request> requests;
        private final CompletableFuture<Void> finished;
        private final String token;
        private Request current;
        private int currentIndex;
        private long sentAt;

        Connection(
                int port,
                int total,
                AtomicInteger next,
                AtomicLong busy,
                long[] latencies,
                IntFunction<Request> requests,
                CompletableFuture<Void> finished,
                String token) {
            this.token = token;
            this.host = "127.0.0.1:" + port;
            this.total = total;
            this.next = next;
            this.busy = busy;
            this.latencies = latencies;
            this.requests = requests;
            this.finished = finished;
        }

        void sendNext(Channel ch) {
            int i = next.getAndIncrement();
            if (i >= total) {
                ch.close();
                finished.complete(null);
                return;
            }
            current = requests.apply(i);
            currentIndex = i;
            sentAt = System.nanoTime();
            send(ch);
        }

        private void send(Channel ch) {
            FullHttpRequest req = new DefaultFullHttpRequest(
                    HttpVersion.HTTP_1_1, HttpMethod.POST, current.uri(), Unpooled.wrappedBuffer(current.body()));
            req.headers()
                    .set(HttpHeaderNames.HOST, host)
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, current.body().length)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            if (token != null) req.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
            ch.writeAndFlush(req).addListener(f -> {
                if (!f.isSuccess()) finished.completeExceptionally(f.cause());
            });
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
            int status = r.status().code();
            if (status == 200) {
                latencies[currentIndex] = System.nanoTime() - sentAt;
                sendNext(ctx.channel());
            } else if (status == 503) {
                busy.incrementAndGet();
                ctx.executor().schedule(() -> send(ctx.channel()), 50, TimeUnit.MILLISECONDS);
            } else {
                finished.completeExceptionally(
                        new IllegalStateException(status + " " + r.content().toString(StandardCharsets.UTF_8)));
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!finished.isDone())
                finished.completeExceptionally(new IllegalStateException("the collector closed the connection"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            finished.completeExceptionally(cause);
            ctx.close();
        }
    }
}
