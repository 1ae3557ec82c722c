package dev.hearth.agent.ship;

import dev.hearth.agent.LabelSet;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
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
        return "service=" + enc(service) + "&type=" + enc(type) + "&from=" + fromMs + "&until=" + untilMs
                + "&labels=" + enc(labels.encode()) + "&id=" + id;
    }

    /** Reads {@link #query()} back. */
    public static Upload fromQuery(String query, byte[] body) {
        Map<String, String> p = new HashMap<>();
        for (String kv : query.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) p.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        for (String k : new String[] {"service", "type", "from", "until", "labels", "id"}) {
            if (!p.containsKey(k)) throw new IllegalArgumentException("upload header lacks '" + k + "': " + query);
        }
        return new Upload(UUID.fromString(p.get("id")), p.get("service"), p.get("type"),
                Long.parseLong(p.get("from")), Long.parseLong(p.get("until")), LabelSet.parse(p.get("labels")), body);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return type + " profile of " + service + " [" + labels + "] " + id;
    }
}
