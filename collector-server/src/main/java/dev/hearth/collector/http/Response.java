package dev.hearth.collector.http;

import dev.hearth.collector.query.Json;
import java.util.Map;

/** An HTTP answer: status, content type, body, extra headers. */
public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
    public static final String JSON = "application/json; charset=utf-8";

    /** 200 with a value (a record, a list, a map) written as JSON by Jackson. */
    public static Response jsonOf(Object value) {
        return json(Json.bytes(value));
    }

    /** 200 with JSON already written (a streamed tree). */
    public static Response json(byte[] json) {
        return new Response(200, JSON, json, Map.of());
    }

    public static Response error(int status, String message) {
        return new Response(status, JSON, Json.error(message), Map.of());
    }

    /** 503 with Retry-After: the client should come back, nothing was stored. */
    public static Response busy(String message) {
        return new Response(503, JSON, Json.error(message), Map.of("Retry-After", "1"));
    }
}
