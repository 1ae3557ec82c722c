package dev.hearth.collector.http;

import dev.hearth.collector.metrics.CollectorMetrics;
import dev.hearth.collector.storage.QueryDeadline;
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
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP front: every request's work is handed to the worker pool (and ingest then to the
 * writer), so the event loop only parses and writes. A full pool or queue answers 503 at once. A
 * query has a deadline: when it passes, the answer is 503 and the query's statement is cancelled.
 */
@ChannelHandler.Sharable
public final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());
    /** Reject reason: the worker pool or the storage queue is full. */
    private static final String BUSY = "busy";

    private final Routes.Targets targets;
    private final StaticAssets assets;
    private final Executor workers;
    private final Duration queryTimeout;

    public ApiHandler(
            Endpoints endpoints,
            StaticAssets assets,
            Executor workers,
            Duration queryTimeout,
            CollectorMetrics metrics) {
        this.targets = new Routes.Targets(endpoints, metrics);
        this.assets = assets;
        this.workers = workers;
        this.queryTimeout = queryTimeout;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!req.decoderResult().isSuccess()) {
            send(ctx, false, Response.error(400, "malformed HTTP request"));
            return;
        }
        HttpMethod method = req.method();
        boolean post = method.equals(HttpMethod.POST);
        if (!post && !method.equals(HttpMethod.GET)) {
            send(ctx, keepAlive, Response.error(405, "method " + method + " is not supported"));
            return;
        }
        String tenant = ctx.channel().attr(AuthHandler.TENANT).get();
        String target = originForm(req.uri());
        if (target == null) { // "*" (OPTIONS only, and not served), "example.com:443" (CONNECT)
            send(ctx, keepAlive, Response.error(400, "the request target must be a path starting with '/'"));
            return;
        }
        String path;
        QueryParams params;
        try { // the decoder throws on a malformed %-escape: answer it here, on the event loop, not with silence
            QueryStringDecoder uri = new QueryStringDecoder(target);
            path = uri.path();
            params = new QueryParams(uri.parameters());
        } catch (IllegalArgumentException e) {
            send(ctx, keepAlive, Response.error(400, "malformed URL: " + e.getMessage()));
            return;
        }
        byte[] body = ByteBufUtil.getBytes(req.content());
        String accept = req.headers().get(HttpHeaderNames.ACCEPT);
        String contentType = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        QueryDeadline deadline = post ? QueryDeadline.NONE : QueryDeadline.after(queryTimeout);
        CompletableFuture<Response> answer;
        try {
            answer = CompletableFuture.supplyAsync(
                            () -> route(
                                    path,
                                    method,
                                    new Routes.Call(
                                            tenant,
                                            params,
                                            body,
                                            contentType,
                                            accept,
                                            deadline,
                                            System.currentTimeMillis())),
                            workers)
                    .thenCompose(f -> f);
        } catch (RejectedExecutionException e) {
            HttpMetrics.reason(ctx, BUSY);
            send(ctx, keepAlive, Response.busy("the collector is busy, retry later"));
            return;
        }
        CompletableFuture<Response> first = new CompletableFuture<>();
        answer.whenComplete((r, err) -> {
            if (err != null && !first.isDone()) HttpMetrics.reason(ctx, reason(err));
            first.complete(err == null ? r : failure(err));
        });
        if (deadline != QueryDeadline.NONE) {
            ScheduledFuture<?> timer = ctx.executor()
                    .schedule(
                            () -> {
                                deadline.expire();
                                if (!first.isDone())
                                    HttpMetrics.reason(ctx, CollectorMetrics.Limit.QUERY_DEADLINE.label);
                                first.complete(timedOut(queryTimeout));
                            },
                            queryTimeout.toNanos(),
                            TimeUnit.NANOSECONDS);
            first.whenComplete((r, err) -> timer.cancel(false));
        }
        first.whenComplete((r, err) -> send(ctx, keepAlive, r));
    }

    private static final Pattern ABSOLUTE_FORM = Pattern.compile("(?i)https?://[^/?#]*([/?].*)?", Pattern.DOTALL);

    /** The path and query of a request target; the absolute form ("http://host/path") as HTTP/1.1 requires; null for others. */
    static String originForm(String uri) {
        if (uri.startsWith("/")) return uri;
        Matcher m = ABSOLUTE_FORM.matcher(uri);
        if (!m.matches()) return null;
        String rest = m.group(1);
        return rest == null ? "/" : rest.startsWith("?") ? "/" + rest : rest;
    }

    static Response timedOut(Duration timeout) {
        return Response.busy("the query ran past its deadline of " + timeout.toMillis() + " ms and was cancelled;"
                + " narrow the time range or the labels");
    }

    private CompletableFuture<Response> route(String path, HttpMethod method, Routes.Call call) {
        try {
            Routes.Route route = Routes.find(path);
            if (Routes.scope(path) != null) {
                if (call.tenant() == null)
                    throw new ApiException(401, "not authenticated"); // AuthHandler sets it for every such path
                if (route == null) throw new ApiException(404, "no endpoint " + path);
                if (!route.method().equals(method)) throw new ApiException(405, path + " takes " + route.method());
                return route.handler().handle(targets, call);
            }
            if (!method.equals(HttpMethod.GET))
                return CompletableFuture.completedFuture(Response.error(405, path + " takes GET"));
            return CompletableFuture.completedFuture(
                    assets.get(path).orElseGet(() -> Response.error(404, "not found: " + path)));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The reject reason of a failure where its status alone does not say it; null where it does. */
    private static String reason(Throwable err) {
        Throwable e = cause(err);
        if (e instanceof QueryDeadline.Exceeded) return CollectorMetrics.Limit.QUERY_DEADLINE.label;
        if (e instanceof RejectedExecutionException) return BUSY;
        return null;
    }

    private static Throwable cause(Throwable err) {
        Throwable e = err;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null)
            e = e.getCause();
        return e;
    }

    static Response failure(Throwable err) {
        Throwable e = cause(err);
        if (e instanceof ApiException a) return Response.error(a.status(), a.getMessage());
        if (e instanceof InvalidProfileException) return Response.error(400, "invalid profile: " + e.getMessage());
        if (e instanceof RejectedExecutionException) return Response.busy(e.getMessage());
        if (e instanceof QueryDeadline.Exceeded) return Response.busy(e.getMessage());
        LOG.log(Level.WARNING, "request failed", e);
        return Response.error(500, "internal error: " + e);
    }

    static void send(ChannelHandlerContext ctx, boolean keepAlive, Response r) {
        FullHttpResponse res = httpResponse(r, keepAlive);
        if (keepAlive) ctx.writeAndFlush(res);
        else ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    static FullHttpResponse httpResponse(Response r, boolean keepAlive) {
        FullHttpResponse res = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(r.body()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        r.headers().forEach((k, v) -> res.headers().set(k, v));
        res.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        return res;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, "connection error", cause);
        ctx.close();
    }
}
