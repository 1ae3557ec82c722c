package dev.hearth.collector.http;

import dev.hearth.collector.auth.Scope;
import dev.hearth.collector.metrics.CollectorMetrics;
import dev.hearth.collector.metrics.CollectorMetrics.Limit;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Watches one connection's requests and answers and reports them to {@link CollectorMetrics}:
 * ingests by format and result with their body bytes, query latency by endpoint, every 4xx/5xx by
 * status and reason. Goes right after the HTTP codec, so it sees every answer, including those of
 * the connection limits. A handler that refuses for a reason of its own names it with
 * {@link #reason} before answering; otherwise the reason follows from the status.
 */
public final class HttpMetrics extends ChannelDuplexHandler {
    private static final AttributeKey<String> REASON = AttributeKey.valueOf("hearth.rejectReason");
    private static final Set<String> FORMATS = Set.of("pprof", "jfr", "folded", "lines", "otlp");
    /** The format of an ingest path's body when the request names none. */
    private static final Map<String, String> DEFAULT_FORMAT =
            Map.of(Endpoints.INGEST_PATH, "pprof", PyroscopeIngest.PATH, "folded", OtlpIngest.PATH, "otlp");

    private static final String QUERY_PREFIX = "/api/v1/";
    private static final Map<String, Limit> LIMIT_REASONS = Map.of(
            Limit.CONNECTIONS.label,
            Limit.CONNECTIONS,
            Limit.BODY_BUDGET.label,
            Limit.BODY_BUDGET,
            Limit.BODY_SIZE.label,
            Limit.BODY_SIZE,
            Limit.QUERY_DEADLINE.label,
            Limit.QUERY_DEADLINE);

    /** A request seen, waiting for its answer (HTTP/1.1 answers in order). */
    private static final class Pending {
        final long startNanos = System.nanoTime();
        final String ingestFormat; // null: not an ingest
        final String queryEndpoint; // null: not a query
        long bodyBytes;

        Pending(String ingestFormat, String queryEndpoint) {
            this.ingestFormat = ingestFormat;
            this.queryEndpoint = queryEndpoint;
        }
    }

    private final CollectorMetrics metrics;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    public HttpMetrics(CollectorMetrics metrics) {
        this.metrics = metrics;
    }

    /** Names the reason of the refusal this channel is about to send (a constant, low-cardinality label). */
    static void reason(ChannelHandlerContext ctx, String reason) {
        ctx.channel().attr(REASON).set(reason);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) pending.add(classify(req));
        if (msg instanceof HttpContent c && !pending.isEmpty())
            pending.peekLast().bodyBytes += c.content().readableBytes();
        ctx.fireChannelRead(msg);
    }

    private static Pending classify(HttpRequest req) {
        String target = ApiHandler.originForm(req.uri());
        if (target == null) return new Pending(null, null);
        try {
            QueryStringDecoder uri = new QueryStringDecoder(target);
            String path = uri.path();
            Routes.Route route = Routes.find(path);
            if (route == null || !route.method().equals(req.method())) return new Pending(null, null);
            if (route.scope() == Scope.INGEST) {
                List<String> format = uri.parameters().get("format");
                String f =
                        format == null || format.isEmpty() ? DEFAULT_FORMAT.getOrDefault(path, "pprof") : format.get(0);
                return new Pending(FORMATS.contains(f) ? f : "other", null);
            }
            if (path.startsWith(QUERY_PREFIX)) return new Pending(null, path.substring(QUERY_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            // a malformed URI: ApiHandler answers it 400, counted as a reject below
        }
        return new Pending(null, null);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (Responses.isFinal(msg)) answered(ctx, ((HttpResponse) msg).status().code());
        ctx.write(msg, promise);
    }

    private void answered(ChannelHandlerContext ctx, int status) {
        Pending p = pending.poll(); // null for an answer sent before any request (the connection limit)
        String reason = ctx.channel().attr(REASON).getAndSet(null);
        if (p != null && p.ingestFormat != null) metrics.ingest(p.ingestFormat, status, p.bodyBytes);
        if (p != null && p.queryEndpoint != null) metrics.query(p.queryEndpoint, System.nanoTime() - p.startNanos);
        if (status < 400) return;
        if (reason == null) reason = reasonOf(status);
        metrics.rejected(status, reason);
        Limit limit = LIMIT_REASONS.get(reason);
        if (limit != null) metrics.limitHit(limit, 1);
    }

    static String reasonOf(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 409 -> "conflict";
            case 413 -> Limit.BODY_SIZE.label;
            case 429 -> "too_many_requests";
            case 431 -> "headers_too_large";
            case 500 -> "internal_error";
            case 503 -> "unavailable";
            default -> status < 500 ? "client_error" : "server_error";
        };
    }
}
