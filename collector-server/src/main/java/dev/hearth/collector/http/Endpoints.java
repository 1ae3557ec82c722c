package dev.hearth.collector.http;

import dev.hearth.collector.labels.Labels;
import dev.hearth.collector.metrics.CollectorMetrics;
import dev.hearth.collector.metrics.CollectorMetrics.Limit;
import dev.hearth.collector.query.FlameHtml;
import dev.hearth.collector.query.FlameJson;
import dev.hearth.collector.query.FlameNode;
import dev.hearth.collector.query.FlameTree;
import dev.hearth.collector.query.PprofExport;
import dev.hearth.collector.query.Sums;
import dev.hearth.collector.query.Timeline;
import dev.hearth.collector.query.TreePruner;
import dev.hearth.collector.storage.ProfileConverter;
import dev.hearth.collector.storage.ProfileRows;
import dev.hearth.collector.storage.ProfileStore;
import dev.hearth.collector.storage.QueryDeadline;
import dev.hearth.collector.storage.Selection;
import dev.hearth.collector.storage.WriteOutcome;
import dev.hearth.pprof.FoldedFormat;
import dev.hearth.pprof.Gunzip;
import dev.hearth.pprof.InvalidProfileException;
import dev.hearth.pprof.ProfileCodec;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.ResolvedSample;
import dev.hearth.pprof.ValueType;
import dev.hearth.pprof.ingest.IngestApi;
import dev.hearth.pprof.jfr.JfrFormatException;
import dev.hearth.pprof.jfr.JfrProfiles;
import dev.hearth.pprof.jfr.JfrToPprof;
import dev.hearth.pprof.proto.Profile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/** The API's endpoints: parameters in, JSON or pprof out. Runs on worker threads, never on the event loop. */
public final class Endpoints {
    public static final String INGEST_PATH = IngestApi.PATH;
    public static final int DEFAULT_MAX_NODES = 8192;
    public static final String SATURATED_HEADER = "X-Hearth-Saturated";
    private static final int MAX_MAX_NODES = 1_000_000;
    private static final Pattern PROFILE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final ProfileStore store;
    private final long maxDecompressedBytes;
    private final int maxStackDepth;
    private final OtlpIngest otlp;
    private final CollectorMetrics metrics;
    private final FunctionEndpoints functions;
    private final ServiceSummary summary;

    public Endpoints(ProfileStore store, long maxDecompressedBytes, int maxStackDepth, CollectorMetrics metrics) {
        this.store = store;
        this.maxDecompressedBytes = maxDecompressedBytes;
        this.maxStackDepth = maxStackDepth;
        this.otlp = new OtlpIngest(
                (tenant, id, c) ->
                        store(tenant, c.service(), c.labels(), c.type(), c.profile(), id, c.fromMs(), c.untilMs()),
                maxDecompressedBytes,
                maxStackDepth);
        this.metrics = metrics;
        this.functions = new FunctionEndpoints(store);
        this.summary = new ServiceSummary(store);
    }

    /** OTLP profiles ingest, which stores through {@link #store}. */
    OtlpIngest otlp() {
        return otlp;
    }

    CompletableFuture<Response> ingest(String tenant, QueryParams q, byte[] body) throws InvalidProfileException {
        if ("jfr".equals(q.optional(IngestApi.FORMAT))) return ingestJfr(tenant, q, body);
        q.service(); // parameters first: a bad request is refused before its body is decoded
        ProfileType type = q.type();
        if (body.length == 0) throw ApiException.badRequest("empty body: expected a profile");
        Profile p = decode(q, type, body);
        String id = id(q);
        return store(tenant, q, type, p, id)
                .thenApply(rows -> Response.jsonOf(
                        new Answers.Ingested(id, rows.stored(), rows.samples(), rows.truncatedStacks())));
    }

    /**
     * format=jfr: the recording becomes one profile per type it holds (only {@code type} when
     * given), each stored under the id with "-TYPE" appended. A recording whose last chunk was cut
     * short is stored as far as it reads, and the answer names the damage.
     */
    private CompletableFuture<Response> ingestJfr(String tenant, QueryParams q, byte[] body)
            throws InvalidProfileException {
        if (body.length == 0) throw ApiException.badRequest("empty body: expected a JFR recording");
        JfrProfiles jfr = convertJfr(body);
        Map<ProfileType, Profile> profiles = new EnumMap<>(ProfileType.class);
        profiles.putAll(jfr.profiles());
        if (q.has(IngestApi.TYPE)) profiles.keySet().retainAll(List.of(q.type()));
        if (profiles.isEmpty()) {
            throw ApiException.badRequest("no "
                    + (q.has(IngestApi.TYPE) ? q.type().id() + " " : "") + "profiling events in the JFR recording");
        }
        String id = id(q);
        List<String> types = profiles.keySet().stream().map(ProfileType::id).toList();
        List<CompletableFuture<Stored>> parts = new ArrayList<>();
        for (Map.Entry<ProfileType, Profile> e : profiles.entrySet())
            parts.add(store(
                    tenant, q, e.getKey(), e.getValue(), id + "-" + e.getKey().id()));
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<Answers.TypedIngested> answers = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                Stored r = parts.get(i).join();
                answers.add(new Answers.TypedIngested(
                        types.get(i), id + "-" + types.get(i), r.stored(), r.samples(), r.truncatedStacks()));
            }
            return Response.jsonOf(new Answers.JfrIngested(answers, jfr.damage()));
        });
    }

    record Stored(boolean stored, int samples, int truncatedStacks) {}

    private static String id(QueryParams q) {
        String id = q.optional(IngestApi.ID);
        if (id == null) return UUID.randomUUID().toString();
        if (!PROFILE_ID.matcher(id).matches())
            throw ApiException.badRequest("id must be 1–128 of [A-Za-z0-9._:-], got '" + id + "'");
        return id;
    }

    /**
     * Stores one profile under the tenant and the request's service, labels and time window. An id
     * the tenant's service already holds with other content is a 409: the client reused it.
     */
    private CompletableFuture<Stored> store(String tenant, QueryParams q, ProfileType type, Profile p, String id)
            throws InvalidProfileException {
        String service = q.service();
        SortedMap<String, String> labels;
        try {
            labels = new TreeMap<>(Labels.parse(q.optional(IngestApi.LABELS)));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("parameter '" + IngestApi.LABELS + "': " + e.getMessage());
        }
        labels.remove(IngestApi.SERVICE); // the service parameter says it
        long from = q.has(IngestApi.FROM) ? q.longParam(IngestApi.FROM, 0) : p.getTimeNanos() / 1_000_000L;
        long until =
                q.has(IngestApi.UNTIL) ? q.longParam(IngestApi.UNTIL, 0) : from + p.getDurationNanos() / 1_000_000L;
        if (!q.has(IngestApi.FROM) && p.getTimeNanos() == 0) {
            throw ApiException.badRequest("missing parameter '" + IngestApi.FROM + "' (and the profile has no time)");
        }
        return store(tenant, service, labels, type, p, id, from, until);
    }

    /** Stores one profile: the one path every ingest format ends in (tenants, limits, 409 rules, stack depth). */
    CompletableFuture<Stored> store(
            String tenant,
            String service,
            SortedMap<String, String> labels,
            ProfileType type,
            Profile p,
            String id,
            long from,
            long until)
            throws InvalidProfileException {
        QueryParams.checkIngestWindow(IngestApi.FROM, from, IngestApi.UNTIL, until);
        ProfileRows rows = ProfileConverter.convert(
                p, new ProfileConverter.Meta(tenant, id, service, type, from, until, labels), maxStackDepth);
        return store.write(rows).thenApply(outcome -> {
            if (outcome == WriteOutcome.CONFLICT) {
                throw new ApiException(
                        409,
                        "profile id '" + id + "' of service '" + service + "' is already stored with other content;"
                                + " give each profile an id of its own");
            }
            if (outcome == WriteOutcome.STORED) metrics.limitHit(Limit.STACK_DEPTH, rows.truncatedStacks());
            return new Stored(outcome == WriteOutcome.STORED, rows.sampleCount(), rows.truncatedStacks());
        });
    }

    /** The body as a profile, by format: pprof, or folded text (what {@code record} writes; counts go to value {@code value}, else the first). */
    private Profile decode(QueryParams q, ProfileType type, byte[] body) throws InvalidProfileException {
        String f = q.optional(IngestApi.FORMAT) == null ? "pprof" : q.optional(IngestApi.FORMAT);
        return switch (f) {
            case "pprof" -> ProfileCodec.decode(body, maxDecompressedBytes);
            case "folded" -> {
                int value = q.has("value") ? q.valueIndex(type) : 0;
                long[] weights;
                try {
                    weights = FoldedFormat.weights(type, value, q.longParam("hz", RECORD_HZ));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("parameter 'hz': " + e.getMessage());
                }
                yield readFolded(body, type, weights, true);
            }
            default -> throw ApiException.badRequest("unknown format '" + f + "', expected pprof, folded or jfr");
        };
    }

    /** {@code record}'s default sampling rate: what a folded cpu count stands for when no {@code hz} is given. */
    static final long RECORD_HZ = 99;

    /** Folded text (counted) or one stack per line, gzipped or not, as a profile. */
    Profile readFolded(byte[] body, ProfileType type, long[] weights, boolean counted) throws InvalidProfileException {
        byte[] raw = Gunzip.ifGzipped(body, maxDecompressedBytes);
        if (raw.length > maxDecompressedBytes)
            throw ApiException.badRequest("body is over the limit of " + maxDecompressedBytes + " bytes");
        try (Reader r = new InputStreamReader(new ByteArrayInputStream(raw), StandardCharsets.UTF_8)) {
            return counted ? FoldedFormat.read(r, type, weights) : FoldedFormat.readLines(r, type, weights);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long maxDecompressedBytes() {
        return maxDecompressedBytes;
    }

    /** A pprof body (gzipped or not), validated. */
    Profile decodePprof(byte[] body) throws InvalidProfileException {
        return ProfileCodec.decode(body, maxDecompressedBytes);
    }

    /** A JFR recording (gzipped or not) as profiles by type. */
    JfrProfiles convertJfr(byte[] body) {
        try {
            return JfrToPprof.convert(body, maxDecompressedBytes);
        } catch (JfrFormatException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (IOException e) {
            throw new ApiException(500, "cannot convert the JFR recording: " + e.getMessage());
        }
    }

    /** The services; with a window (from, until), how much data each holds in it too. */
    Response services(String tenant, QueryParams q, long now, QueryDeadline deadline) throws SQLException {
        return q.has("from") || q.has("until") ? summary.services(tenant, q, now, deadline) : services(tenant);
    }

    FunctionEndpoints functions() {
        return functions;
    }

    Response services(String tenant) throws SQLException {
        List<Answers.Service> services = new ArrayList<>();
        for (ProfileStore.Service s : store.services(tenant)) {
            services.add(new Answers.Service(s.name(), List.copyOf(s.types()), List.copyOf(s.labelKeys())));
        }
        return Response.jsonOf(new Answers.Services(services));
    }

    Response labels(String tenant, QueryParams q) throws SQLException {
        return Response.jsonOf(
                new Answers.Values(List.copyOf(store.labelValues(tenant, q.service(), q.required("key")))));
    }

    Response flamegraph(String tenant, QueryParams q, long now, QueryDeadline deadline) throws SQLException {
        Selection sel = q.selection(tenant, now);
        int value = q.valueIndex(sel.type());
        int maxNodes = maxNodes(q);
        FlameNode root = FlameTree.build(sel.service(), store.merge(sel, new int[] {value}, deadline));
        deadline.check();
        TreePruner.prune(root, maxNodes, n -> n.total);
        deadline.check();
        ValueType vt = sel.type().valueTypes().get(value);
        saturated(Sums.saturated(root.total));
        String format = q.optional("format");
        if (format == null || format.equals("json"))
            return Response.json(FlameJson.flamegraph(root, vt.unit(), vt.type()));
        if (!format.equals("html")) throw ApiException.badRequest("format must be json or html, got '" + format + "'");
        String title = sel.service() + " " + sel.type().id() + ", " + java.time.Instant.ofEpochMilli(sel.fromMs())
                + " to " + java.time.Instant.ofEpochMilli(sel.untilMs())
                + (q.has(IngestApi.LABELS) ? " {" + q.optional(IngestApi.LABELS) + "}" : "");
        String file = sel.service().replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                + sel.type().id() + ".html";
        // a download, and sandboxed should it be opened from here: its script never runs with the UI's origin (and
        // token)
        return new Response(
                200,
                "text/html; charset=utf-8",
                FlameHtml.render(title, vt.type() + " (" + vt.unit() + ")", root)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of(
                        "Content-Disposition",
                        "attachment; filename=\"" + file + "\"",
                        "Content-Security-Policy",
                        "sandbox allow-scripts; default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'",
                        "X-Content-Type-Options",
                        "nosniff"));
    }

    Response diff(String tenant, QueryParams q, long now, QueryDeadline deadline) throws SQLException {
        Selection compared = q.selection(tenant, now);
        Selection base = FunctionEndpoints.baseline(q, compared);
        int value = q.valueIndex(compared.type());
        int maxNodes = maxNodes(q);
        boolean absolute = q.flag("absolute");
        int[] column = {value};
        FlameNode root = FlameTree.diff(
                compared.service(), store.merge(compared, column, deadline), store.merge(base, column, deadline));
        deadline.check();
        double t = Math.max(1, root.total), b = Math.max(1, root.baseTotal);
        TreePruner.prune(root, maxNodes, n -> Math.max(n.total / t, n.baseTotal / b));
        deadline.check();
        double scale = absolute || root.total == 0 || root.baseTotal == 0 ? 1 : (double) root.total / root.baseTotal;
        ValueType vt = compared.type().valueTypes().get(value);
        saturated(Sums.saturated(root.total) || Sums.saturated(root.baseTotal));
        return Response.json(FlameJson.diff(root, vt.unit(), vt.type(), scale));
    }

    Response timeline(String tenant, QueryParams q, long now, QueryDeadline deadline) throws SQLException {
        Selection sel = q.selection(tenant, now);
        long span = sel.untilMs() - sel.fromMs();
        long step = q.longParam("step", Math.max(10_000, (span / 240 + 999) / 1000 * 1000));
        if (step <= 0 || step > QueryParams.MAX_TIME_MS) {
            throw ApiException.badRequest("step must be between 1 and " + QueryParams.MAX_TIME_MS + " ms, got " + step);
        }
        try {
            Timeline.points(sel.fromMs(), sel.untilMs(), step);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        List<Timeline.Point> points = Timeline.points(
                store.totalsByStart(sel, q.valueIndex(sel.type()), deadline), sel.fromMs(), sel.untilMs(), step);
        saturated(Timeline.saturated(points));
        return Response.json(Timeline.json(points));
    }

    /** A merged pprof; the header {@code X-Hearth-Saturated: true} says a value stopped at Long.MAX_VALUE. */
    Response pprof(String tenant, QueryParams q, long now, QueryDeadline deadline) throws SQLException {
        Selection sel = q.selection(tenant, now);
        int[] all = IntStream.range(0, sel.type().valueTypes().size()).toArray();
        List<ResolvedSample> merged = store.merge(sel, all, deadline);
        deadline.check();
        byte[] gz = PprofExport.gzip(sel.type(), sel.fromMs(), sel.untilMs(), merged);
        String file = sel.service().replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                + sel.type().id() + ".pb.gz";
        boolean saturated = merged.stream()
                .anyMatch(s -> java.util.Arrays.stream(s.values()).anyMatch(Sums::saturated));
        saturated(saturated);
        return new Response(
                200,
                "application/octet-stream",
                gz,
                Map.of(
                        "Content-Disposition",
                        "attachment; filename=\"" + file + "\"",
                        SATURATED_HEADER,
                        String.valueOf(saturated)));
    }

    /** Counts a query whose answer holds a sum stopped at Long.MAX_VALUE. */
    private void saturated(boolean saturated) {
        if (saturated) metrics.limitHit(Limit.SUM_SATURATED, 1);
    }

    static int maxNodes(QueryParams q) {
        long n = q.longParam("maxNodes", DEFAULT_MAX_NODES);
        if (n < 2 || n > MAX_MAX_NODES)
            throw ApiException.badRequest("maxNodes must be between 2 and " + MAX_MAX_NODES + ", got " + n);
        return (int) n;
    }
}
