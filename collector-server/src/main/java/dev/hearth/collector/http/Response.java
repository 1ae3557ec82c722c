package dev.hearth.collector.http;

import dev.hearth.collector.query.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** An HTTP answer: status, content type, body, extra headers. */
public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
    public static final String JSON = "application/json; charset=utf-8";

    public static Response json(String json) {
        return new Response(200, JSON, json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static Response error(int status, String message) {
        return new Response(status, JSON, Json.error(message).getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** 503 with Retry-After: the client should come back, nothing was stored. */
    public static Response busy(String message) {
        return new Response(503, JSON, Json.error(message).getBytes(StandardCharsets.UTF_8), Map.of("Retry-After", "1"));
    }
}
