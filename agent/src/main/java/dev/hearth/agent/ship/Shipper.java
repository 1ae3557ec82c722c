package dev.hearth.agent.ship;

import dev.hearth.pprof.ingest.IngestApi;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Ships uploads to the collector's ingest endpoint through one {@link CollectorHttp} connection. */
public final class Shipper implements Transport {
    public static final String INGEST_PATH = IngestApi.PATH;
    private static final int MAX_RESPONSE = 1 << 20;

    private final CollectorHttp http;

    public Shipper(URI collector, Duration timeout) {
        this(collector, timeout, null, null);
    }

    /**
     * @param token  the token to send, or null
     * @param caFile PEM certificates to trust for an https:// collector instead of the system's, or null
     */
    public Shipper(URI collector, Duration timeout, BearerToken token, Path caFile) {
        this.http = new CollectorHttp(collector, timeout, token, caFile, MAX_RESPONSE);
    }

    @Override
    public Outcome send(Upload u) {
        try {
            CollectorHttp.Reply r = http.exchange(
                    HttpMethod.POST,
                    INGEST_PATH + "?" + u.query(),
                    u.body(),
                    HttpHeaderValues.APPLICATION_OCTET_STREAM.toString(),
                    Map.of());
            return Outcome.ofStatus(r.status(), new String(r.body(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Outcome.unreachable(e.getMessage());
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
