package dev.hearth.agent.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.agent.Units;
import dev.hearth.agent.ship.CollectorCredentials;
import dev.hearth.agent.ship.CollectorHttp;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How the query command reaches the collector: the same address, token file and CA file as the agent's. */
public final class CollectorOptions {
    /** Merged profiles can be large; a bigger answer is refused rather than held in memory. */
    static final int MAX_ANSWER = 256 << 20;

    @Option(
            names = "--collector",
            paramLabel = "URL",
            required = true,
            description = "the collector, e.g. http://collector:4040 or https://collector:4040")
    URI collector;

    @Mixin
    CollectorCredentials credentials;

    @Option(
            names = "--tenant",
            paramLabel = "ID",
            description = "the tenant (X-Scope-OrgID) of a collector without tokens; with tokens the token decides")
    String tenant;

    @Option(
            names = "--timeout",
            paramLabel = "TIME",
            defaultValue = "60s",
            description = "how long to wait for an answer (default: ${DEFAULT-VALUE})")
    String timeout;

    /** GETs {@code path} with {@code params} (null values left out); the body of a 200, else an IOException with the collector's reason. */
    byte[] get(String path, Map<String, String> params) throws IOException {
        StringJoiner query = new StringJoiner("&");
        params.forEach((k, v) -> {
            if (v != null) query.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        String target = query.length() == 0 ? path : path + "?" + query;
        Duration wait = Units.duration(timeout);
        try (CollectorHttp http =
                new CollectorHttp(collector, wait, credentials.token(), credentials.caFile(), MAX_ANSWER)) {
            CollectorHttp.Reply r;
            try {
                r = http.exchange(
                        HttpMethod.GET,
                        target,
                        null,
                        null,
                        tenant == null ? Map.of() : Map.of("X-Scope-OrgID", tenant));
            } catch (IOException e) {
                throw new IOException("no answer from " + collector + ": " + e.getMessage(), e);
            }
            if (r.status() != 200) throw new IOException("the collector answered " + r.status() + ": " + reason(r));
            return r.body();
        }
    }

    private static String reason(CollectorHttp.Reply r) {
        String text = new String(r.body(), StandardCharsets.UTF_8);
        try {
            JsonNode error = Json.MAPPER.readTree(text).get("error");
            if (error != null && error.isTextual()) return error.asText();
        } catch (IOException notJson) {
            // the body as it came, cut short
        }
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
