package dev.hearth.collector.http;

import dev.hearth.pprof.InvalidProfileException;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP front: every request's work is handed to the worker pool (and ingest then to the
 * writer), so the event loop only parses and writes. A full pool or queue answers 503 at once.
 */
@ChannelHandler.Sharable
public final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = Logger.getLogger(ApiHandler.class.getName());

    private final Endpoints endpoints;
    private final StaticAssets assets;
    private final Executor workers;

    public ApiHandler(Endpoints endpoints, StaticAssets assets, Executor workers) {
        this.endpoints = endpoints;
        this.assets = assets;
        this.workers = workers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!req.decoderResult().isSuccess()) {
            send(ctx, false, Response.error(400, "malformed HTTP request"));
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.path();
        HttpMethod method = req.method();
        boolean post = method.equals(HttpMethod.POST);
        if (!post && !method.equals(HttpMethod.GET)) {
            send(ctx, keepAlive, Response.error(405, "method " + method + " is not supported"));
            return;
        }
        String tenant = ctx.channel().attr(AuthHandler.TENANT).get();
        byte[] body = ByteBufUtil.getBytes(req.content());
        QueryParams params = new QueryParams(uri.parameters());
        CompletableFuture<Response> answer;
        try {
            answer = CompletableFuture.supplyAsync(() -> route(tenant, path, post, params, body), workers).thenCompose(f -> f);
        } catch (RejectedExecutionException e) {
            send(ctx, keepAlive, Response.busy("the collector is busy, retry later"));
            return;
        }
        answer.whenComplete((r, err) -> send(ctx, keepAlive, err == null ? r : failure(err)));
    }

    private CompletableFuture<Response> route(String tenant, String path, boolean post, QueryParams params, byte[] body) {
        try {
            if (path.startsWith("/api/")) {
                if (tenant == null) throw new ApiException(401, "not authenticated"); // AuthHandler sets it for every /api/ path
                CompletableFuture<Response> r = endpoints.handle(tenant, path, post, params, body);
                return r != null ? r : CompletableFuture.completedFuture(Response.error(404, "no endpoint " + path));
            }
            if (post) return CompletableFuture.completedFuture(Response.error(405, path + " takes GET"));
            return CompletableFuture.completedFuture(assets.get(path).orElseGet(() -> Response.error(404, "not found: " + path)));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    static Response failure(Throwable err) {
        Throwable e = err;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) e = e.getCause();
        if (e instanceof ApiException a) return Response.error(a.status(), a.getMessage());
        if (e instanceof InvalidProfileException) return Response.error(400, "invalid profile: " + e.getMessage());
        if (e instanceof RejectedExecutionException) return Response.busy(e.getMessage());
        LOG.log(Level.WARNING, "request failed", e);
        return Response.error(500, "internal error: " + e);
    }

    static void send(ChannelHandlerContext ctx, boolean keepAlive, Response r) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.wrappedBuffer(r.body()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        r.headers().forEach((k, v) -> res.headers().set(k, v));
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(res);
        } else {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, "connection error", cause);
        ctx.close();
    }
}
