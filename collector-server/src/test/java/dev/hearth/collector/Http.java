package dev.hearth.collector;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import javax.net.ssl.SSLContext;

/** A real HTTP client for a collector at a base URL, for tests. */
public final class Http {
    public record Reply(int status, byte[] body, HttpResponse<byte[]> raw) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public Map<String, Object> json() {
            return Http.json(text());
        }
    }

    /** Flame graph trees nest two levels per frame, and a stored stack may be thousands of frames deep. */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(Integer.MAX_VALUE)
                    .build())
            .build());

    private final String base;
    private final HttpClient client;
    /** Headers sent with every request (a token, a tenant). */
    private final Map<String, String> headers;

    private Http(String base, HttpClient client, Map<String, String> headers) {
        this.base = base;
        this.client = client;
        this.headers = Map.copyOf(headers);
    }

    public Http(String base) {
        this(
                base,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
                Map.of());
    }

    public Http(int port) {
        this("http://127.0.0.1:" + port);
    }

    /** A client for https://127.0.0.1:PORT that trusts what the context trusts. */
    public static Http https(int port, SSLContext tls) {
        return new Http(
                "https://127.0.0.1:" + port,
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(10))
                        .sslContext(tls)
                        .build(),
                Map.of());
    }

    /** The same client, sending this header too (null: no longer sending it). */
    public Http withHeader(String name, String value) {
        Map<String, String> h = new java.util.HashMap<>(headers);
        if (value == null) h.remove(name);
        else h.put(name, value);
        return new Http(base, client, h);
    }

    /** The same client, sending {@code Authorization: Bearer TOKEN} (null: none). */
    public Http withToken(String token) {
        return withHeader("Authorization", token == null ? null : "Bearer " + token);
    }

    /** path?k=v&… with values URL-encoded; params in pairs, null values left out. */
    public static String query(String path, Object... params) {
        StringJoiner q = new StringJoiner("&");
        for (int i = 0; i < params.length; i += 2) {
            if (params[i + 1] == null) continue;
            q.add(params[i] + "=" + URLEncoder.encode(String.valueOf(params[i + 1]), StandardCharsets.UTF_8));
        }
        return q.length() == 0 ? path : path + "?" + q;
    }

    public Reply get(String pathAndQuery) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET());
    }

    public Reply post(String pathAndQuery, byte[] body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private Reply send(HttpRequest.Builder b) throws Exception {
        headers.forEach(b::header);
        HttpResponse<byte[]> r =
                client.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(r.statusCode(), r.body(), r);
    }

    /** A JSON object read with Jackson: objects as maps, arrays as lists, numbers as Integer, Long or Double. */
    public static Map<String, Object> json(String text) {
        try {
            return JSON.readValue(text, new TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON object: " + text, e);
        }
    }

    /** Reads a node of flame graph JSON: its child with this name, or null. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> child(Map<String, Object> node, String name) {
        for (Object c : (Iterable<Object>) node.get("children")) {
            Map<String, Object> m = (Map<String, Object>) c;
            if (name.equals(m.get("name"))) return m;
        }
        return null;
    }

    public static double num(Map<String, Object> node, String key) {
        return ((Number) node.get(key)).doubleValue();
    }
}
