package dev.hearth.agent;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * A stand-in collector for the agent's tests: a real Netty HTTP server that records every ingest
 * request and answers from a script (status codes to return first), else stores the profile
 * once per id, as the collector contract says, and answers 200.
 */
final class IngestReceiver implements AutoCloseable {
    /** One request as it arrived. */
    record Request(Map<String, String> params, byte[] body, int answered) {
        String id() {
            return params.get("id");
        }
    }

    /** A scripted answer; {@code storeAnyway} stores the profile before failing (the ack is lost). */
    record Answer(int status, String body, boolean storeAnyway) {}

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Request> stored = new LinkedHashMap<>();
    private final Queue<Answer> script = new ArrayDeque<>();
    private Channel server;
    private int port;

    IngestReceiver start(int port) throws InterruptedException {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(16 << 20), new Handler());
                    }
                })
                .bind("127.0.0.1", port)
                .sync()
                .channel();
        this.port = ((java.net.InetSocketAddress) server.localAddress()).getPort();
        return this;
    }

    /** Closes the listening socket and every open connection (the collector went away). */
    void stop() throws InterruptedException {
        server.close().sync();
        synchronized (this) {
            for (Channel c : connections) c.close();
            connections.clear();
        }
    }

    private final List<Channel> connections = new ArrayList<>();

    int port() {
        return port;
    }

    synchronized void answerNext(Answer a) {
        script.add(a);
    }

    synchronized List<Request> requests() {
        return new ArrayList<>(requests);
    }

    synchronized List<Request> stored() {
        return new ArrayList<>(stored.values());
    }

    @Override
    public void close() throws InterruptedException {
        if (server != null && server.isOpen()) stop();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            synchronized (IngestReceiver.this) {
                connections.add(ctx.channel());
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            QueryStringDecoder q = new QueryStringDecoder(req.uri());
            Map<String, String> params = new LinkedHashMap<>();
            q.parameters().forEach((k, v) -> params.put(k, v.get(0)));
            byte[] body = ByteBufUtil.getBytes(req.content());
            int status;
            String text;
            synchronized (IngestReceiver.this) {
                Answer a = q.path().equals("/api/v1/ingest")
                        ? script.poll()
                        : new Answer(404, "{\"error\": \"no such path\"}", false);
                Request r = new Request(params, body, a == null ? 200 : a.status());
                requests.add(r);
                if (a == null || a.storeAnyway()) stored.putIfAbsent(r.id(), r);
                status = r.answered();
                text = a == null ? "{}" : a.body();
            }
            FullHttpResponse resp = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(status),
                    Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
            resp.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes());
            ctx.writeAndFlush(resp);
        }
    }
}
