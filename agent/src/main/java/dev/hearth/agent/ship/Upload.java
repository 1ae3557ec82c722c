package dev.hearth.agent.ship;

import static dev.hearth.pprof.ingest.IngestApi.FROM;
import static dev.hearth.pprof.ingest.IngestApi.ID;
import static dev.hearth.pprof.ingest.IngestApi.LABELS;
import static dev.hearth.pprof.ingest.IngestApi.SERVICE;
import static dev.hearth.pprof.ingest.IngestApi.TYPE;
import static dev.hearth.pprof.ingest.IngestApi.UNTIL;

import dev.hearth.agent.LabelSet;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One profile ready to ship: its ingest parameters and gzipped pprof body. The id is fixed when
 * the profile is built, so every retry of it (from memory or the spool) lets the collector
 * recognise a profile it already stored.
 */
public record Upload(UUID id, String service, String type, long fromMs, long untilMs, LabelSet labels, byte[] body) {

    public static Upload of(String service, String type, long fromMs, long untilMs, LabelSet labels, byte[] body) {
        return new Upload(UUID.randomUUID(), service, type, fromMs, untilMs, labels, body);
    }

    /** The ingest query string (without '?'); also the header of a spooled upload. */
    public String query() {
        return SERVICE + "=" + enc(service) + "&" + TYPE + "=" + enc(type) + "&" + FROM + "=" + fromMs + "&" + UNTIL
                + "=" + untilMs + "&" + LABELS + "=" + enc(labels.encode()) + "&" + ID + "=" + id;
    }

    /** Reads {@link #query()} back. */
    public static Upload fromQuery(String query, byte[] body) {
        Map<String, List<String>> p = new QueryStringDecoder(query, StandardCharsets.UTF_8, false).parameters();
        return new Upload(
                UUID.fromString(param(p, ID, query)),
                param(p, SERVICE, query),
                param(p, TYPE, query),
                Long.parseLong(param(p, FROM, query)),
                Long.parseLong(param(p, UNTIL, query)),
                LabelSet.parse(param(p, LABELS, query)),
                body);
    }

    private static String param(Map<String, List<String>> params, String name, String query) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("upload header lacks '" + name + "': " + query);
        }
        return values.get(values.size() - 1);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return type + " profile of " + service + " [" + labels + "] " + id;
    }
}
