package dev.hearth.collector.http;

import dev.hearth.collector.auth.Scope;
import dev.hearth.collector.metrics.CollectorMetrics;
import dev.hearth.collector.storage.QueryDeadline;
import io.netty.handler.codec.http.HttpMethod;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Every path the collector serves besides the UI, in one table: its method, the scope a token
 * needs, and its handler. {@link AuthHandler} decides from the scope before the body is read;
 * {@link ApiHandler} calls the handler; {@link HttpMetrics} names ingests and queries from it.
 */
public final class Routes {
    public static final String METRICS_PATH = "/metrics";
    /** Paths under this prefix need the query scope even when no route has them: no one learns which exist without a token. */
    static final String API_PREFIX = "/api/";

    /** What the handlers work on, one set per server. */
    record Targets(Endpoints api, PyroscopeIngest pyroscope, CollectorMetrics metrics) {
        Targets(Endpoints api, CollectorMetrics metrics) {
            this(api, new PyroscopeIngest(api), metrics);
        }
    }

    /** One request to a route: its caller's tenant (authenticated before) and what it sent. */
    record Call(
            String tenant,
            QueryParams params,
            byte[] body,
            String contentType,
            String accept,
            QueryDeadline deadline,
            long nowMs) {}

    interface Handler {
        CompletableFuture<Response> handle(Targets t, Call c) throws Exception;
    }

    record Route(String path, HttpMethod method, Scope scope, Handler handler) {}

    private static final Map<String, Route> TABLE = table(
            new Route(
                    Endpoints.INGEST_PATH,
                    HttpMethod.POST,
                    Scope.INGEST,
                    (t, c) -> t.api().ingest(c.tenant(), c.params(), c.body())),
            new Route(
                    PyroscopeIngest.PATH,
                    HttpMethod.POST,
                    Scope.INGEST,
                    (t, c) -> t.pyroscope().ingest(c.tenant(), c.params(), c.contentType(), c.body(), c.nowMs())),
            new Route(
                    OtlpIngest.PATH,
                    HttpMethod.POST,
                    Scope.INGEST,
                    (t, c) -> t.api().otlp().ingest(c.tenant(), c.body())),
            new Route(
                    "/api/v1/services",
                    HttpMethod.GET,
                    Scope.QUERY,
                    (t, c) -> done(t.api().services(c.tenant(), c.params(), c.nowMs(), c.deadline()))),
            new Route(
                    FunctionEndpoints.FUNCTIONS,
                    HttpMethod.GET,
                    Scope.QUERY,
                    (t, c) -> done(t.api().functions().functions(c.tenant(), c.params(), c.nowMs(), c.deadline()))),
            new Route(
                    FunctionEndpoints.SANDWICH,
                    HttpMethod.GET,
                    Scope.QUERY,
                    (t, c) -> done(t.api().functions().sandwich(c.tenant(), c.params(), c.nowMs(), c.deadline()))),
            new Route(
                    "/api/v1/labels",
                    HttpMethod.GET,
                    Scope.QUERY,
                    (t, c) -> done(t.api().labels(c.tenant(), c.params()))),
            new Route(
                    "/api/v1/flamegraph",
                    HttpMethod.GET,
                    Scope.QUERY,
                    (t, c) -> done(t.api().flamegraph(c.tenant(), c.params(), c.nowMs(), c.deadline()))),
            new Route(
                    "/api/v1/diff",
                    HttpMethod.GET,
                    Scope.QUERY,
                    (t, c) -> done(t.api().diff(c.tenant(), c.params(), c.nowMs(), c.deadline()))),
            new Route(
                    "/api/v1/timeline",
                    HttpMethod.GET,
                    Scope.QUERY,
                    (t, c) -> done(t.api().timeline(c.tenant(), c.params(), c.nowMs(), c.deadline()))),
            new Route(
                    "/api/v1/pprof",
                    HttpMethod.GET,
                    Scope.QUERY,
                    (t, c) -> done(t.api().pprof(c.tenant(), c.params(), c.nowMs(), c.deadline()))),
            // the query scope, though the figures are the whole collector's
            new Route(METRICS_PATH, HttpMethod.GET, Scope.QUERY, (t, c) -> {
                CollectorMetrics.Scrape s = t.metrics().scrape(c.accept());
                return done(new Response(200, s.contentType(), s.body(), Map.of()));
            }));

    private Routes() {}

    private static Map<String, Route> table(Route... routes) {
        Map<String, Route> m = new LinkedHashMap<>();
        for (Route r : routes) {
            if (m.put(r.path(), r) != null) throw new IllegalStateException("two routes for " + r.path());
        }
        return Map.copyOf(m);
    }

    private static CompletableFuture<Response> done(Response r) {
        return CompletableFuture.completedFuture(r);
    }

    /** The route of a path; null for the UI's files and unknown paths. */
    static Route find(String path) {
        return TABLE.get(path);
    }

    /** What a path needs: its route's scope, the query scope for any other path under /api/, null for the UI (it holds no data). */
    static Scope scope(String path) {
        Route r = TABLE.get(path);
        if (r != null) return r.scope();
        return path.startsWith(API_PREFIX) ? Scope.QUERY : null;
    }
}
