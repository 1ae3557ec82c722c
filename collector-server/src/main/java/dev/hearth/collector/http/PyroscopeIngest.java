package dev.hearth.collector.http;

import dev.hearth.collector.labels.Labels;
import dev.hearth.collector.pyroscope.PyroscopeLabels;
import dev.hearth.collector.pyroscope.PyroscopeMultipart;
import dev.hearth.collector.pyroscope.PyroscopeName;
import dev.hearth.collector.pyroscope.PyroscopeTime;
import dev.hearth.collector.pyroscope.PyroscopeTypes;
import dev.hearth.pprof.FoldedFormat;
import dev.hearth.pprof.Gunzip;
import dev.hearth.pprof.InvalidProfileException;
import dev.hearth.pprof.ProfileReader;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.ValueType;
import dev.hearth.pprof.proto.Profile;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Pyroscope's ingest API, {@code POST /ingest}, as its server reads it: the service, type suffix
 * and labels from {@code name}, times in seconds, ms, µs or ns or relative to now, and a body in
 * one of the formats its clients send. Every profile is stored through {@link Endpoints}' one
 * store path. Bad input is a 400, a full collector a 503: Pyroscope's clients retry on 429 and 5xx.
 */
final class PyroscopeIngest {
    static final String PATH = "/ingest";
    /** Pyroscope's default when a client sends no {@code sampleRate}. */
    static final long DEFAULT_SAMPLE_RATE = 100;
    /** The label Pyroscope keeps the client's {@code spyName} in. */
    static final String SPY_LABEL = "pyroscope_spy";

    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Set<String> AGGREGATIONS = Set.of("sum", "average");

    private final Endpoints endpoints;

    PyroscopeIngest(Endpoints endpoints) {
        this.endpoints = endpoints;
    }

    CompletableFuture<Response> ingest(String tenant, QueryParams q, String contentType, byte[] body, long nowMs)
            throws InvalidProfileException {
        PyroscopeName name;
        try {
            name = PyroscopeName.parse(q.optional("name"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("name: " + e.getMessage());
        }
        long from = time(q, "from", nowMs);
        long until = time(q, "until", nowMs);
        if (until == from) until = from + 1; // second-precision clients may send one second for both
        long sampleRate = q.longParam("sampleRate", DEFAULT_SAMPLE_RATE);
        SortedMap<String, String> labels = new TreeMap<>(name.labels());
        String spy = word(q, "spyName");
        if (spy != null) labels.put(SPY_LABEL, spy);
        word(q, "units"); // every type Hearth stores is a sum of its unit: both are checked, not needed
        String aggregation = word(q, "aggregationType");
        if (aggregation != null && !AGGREGATIONS.contains(aggregation)) {
            throw ApiException.badRequest("aggregationType must be sum or average, got '" + aggregation + "'");
        }
        if (body.length == 0) throw ApiException.badRequest("empty body: expected a profile");

        String format = q.optional("format");
        List<Item> items = new ArrayList<>();
        boolean multipart = PyroscopeMultipart.isMultipart(contentType);
        byte[] payload = body;
        Map<String, byte[]> parts = Map.of();
        if (multipart) {
            byte[] raw = Gunzip.ifGzipped(body, endpointsLimit());
            try {
                parts = PyroscopeMultipart.parts(contentType, raw);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
        }
        switch (format == null ? (multipart ? "pprof" : "groups") : format) {
            case "jfr" -> {
                Map<Long, SortedMap<String, String>> contexts = Map.of();
                if (multipart) {
                    payload = part(parts, "jfr");
                    byte[] snapshot = parts.get("labels");
                    if (snapshot != null && snapshot.length > 0) {
                        contexts = contexts(Gunzip.ifGzipped(snapshot, endpointsLimit()));
                    }
                }
                for (Map.Entry<ProfileType, Profile> e :
                        new EnumMap<>(endpoints.convertJfr(payload).profiles()).entrySet()) {
                    Map<SortedMap<String, String>, Profile> byLabels;
                    try {
                        byLabels = PyroscopeLabels.split(e.getValue(), contexts);
                    } catch (IllegalArgumentException x) {
                        throw ApiException.badRequest(x.getMessage());
                    }
                    byLabels.forEach((dynamic, p) -> items.add(new Item(e.getKey(), merged(labels, dynamic), p)));
                }
            }
            case "pprof" -> {
                if (multipart) payload = part(parts, "profile");
                Profile p = endpoints.decodePprof(payload);
                items.add(new Item(name.suffix() != null ? target(name.suffix()).type() : typeOf(p), labels, p));
            }
            case "groups", "folded", "lines" -> {
                PyroscopeTypes.Target t = target(name.suffix());
                long[] weights;
                try {
                    weights = FoldedFormat.weights(t.type(), t.valueIndex(), sampleRate);
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("sampleRate: " + e.getMessage());
                }
                items.add(new Item(
                        t.type(), labels, endpoints.readFolded(payload, t.type(), weights, !"lines".equals(format))));
            }
            default ->
                throw ApiException.badRequest(
                        "format '" + format + "' is not accepted; send pprof, jfr, folded (groups) or lines");
        }
        List<CompletableFuture<Endpoints.Stored>> stored = new ArrayList<>();
        for (Item i : items)
            stored.add(endpoints.store(
                    tenant,
                    name.service(),
                    i.labels(),
                    i.type(),
                    i.profile(),
                    UUID.randomUUID().toString(),
                    from,
                    until));
        return CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<Answers.PyroscopeProfile> profiles = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                Endpoints.Stored s = stored.get(i).join();
                profiles.add(new Answers.PyroscopeProfile(items.get(i).type().id(), s.samples(), s.truncatedStacks()));
            }
            return Response.jsonOf(new Answers.PyroscopeIngested(name.service(), profiles));
        });
    }

    /** One profile to store: its type and labels. */
    private record Item(ProfileType type, SortedMap<String, String> labels, Profile profile) {}

    private static Map<Long, SortedMap<String, String>> contexts(byte[] snapshot) {
        try {
            return PyroscopeLabels.parse(snapshot);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** The name's labels with a sample context's; the name's service and spy labels stay. */
    private static SortedMap<String, String> merged(
            SortedMap<String, String> fromName, SortedMap<String, String> dynamic) {
        if (dynamic.isEmpty()) return fromName;
        SortedMap<String, String> out = new TreeMap<>(dynamic);
        out.keySet().removeAll(List.of("service", "service_name", SPY_LABEL));
        out.putAll(fromName);
        if (out.size() > Labels.MAX_PAIRS)
            throw ApiException.badRequest("over " + Labels.MAX_PAIRS + " labels with the dynamic ones");
        return out;
    }

    private long endpointsLimit() {
        return endpoints.maxDecompressedBytes();
    }

    private static long time(QueryParams q, String param, long nowMs) {
        String v = q.optional(param);
        if (v == null) return nowMs;
        try {
            return PyroscopeTime.parseMs(v, nowMs);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(param + ": " + e.getMessage());
        }
    }

    private static String word(QueryParams q, String param) {
        String v = q.optional(param);
        if (v != null && !WORD.matcher(v).matches())
            throw ApiException.badRequest(param + " must be 1-64 of [A-Za-z0-9_.-], got '" + v + "'");
        return v;
    }

    private static byte[] part(Map<String, byte[]> parts, String name) {
        byte[] b = parts.get(name);
        if (b == null || b.length == 0) {
            throw ApiException.badRequest(
                    "the multipart body has no '" + name + "' part (it has " + parts.keySet() + ")");
        }
        return b;
    }

    private static PyroscopeTypes.Target target(String suffix) {
        try {
            return PyroscopeTypes.target(suffix);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("name: " + e.getMessage());
        }
    }

    /** The first profile type whose sample types the pprof profile all has (it has no type suffix to say). */
    private static ProfileType typeOf(Profile p) {
        Set<String> have =
                ProfileReader.valueTypes(p).stream().map(ValueType::type).collect(Collectors.toSet());
        for (ProfileType t : ProfileType.values()) {
            if (have.containsAll(t.valueTypes().stream().map(ValueType::type).toList())) return t;
        }
        throw ApiException.badRequest("the pprof profile's sample types " + have + " match no Hearth profile type;"
                + " name its type with a suffix (app.cpu, app.alloc_space, …)");
    }
}
