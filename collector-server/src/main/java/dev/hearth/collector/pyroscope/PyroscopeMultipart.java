package dev.hearth.collector.pyroscope;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.HttpData;
import io.netty.handler.codec.http.multipart.HttpPostMultipartRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of a {@code multipart/form-data} body by name, as Pyroscope's clients send them
 * ({@code jfr} and {@code labels}; {@code profile} and {@code sample_type_config}). The body is
 * already in memory and bounded; parts are read into memory, never into files.
 */
public final class PyroscopeMultipart {
    /** More parts than any Pyroscope client sends: a body of many tiny parts is refused. */
    static final int MAX_PARTS = 16;

    private PyroscopeMultipart() {}

    public static boolean isMultipart(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    /** The parts by name (the last of a repeated name wins); IllegalArgumentException for a malformed body. */
    public static Map<String, byte[]> parts(String contentType, byte[] body) {
        FullHttpRequest req =
                new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/", Unpooled.wrappedBuffer(body));
        req.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpPostMultipartRequestDecoder decoder = null;
        try {
            decoder = new HttpPostMultipartRequestDecoder(
                    new DefaultHttpDataFactory(false), req, StandardCharsets.UTF_8, MAX_PARTS, body.length + 1);
            Map<String, byte[]> parts = new HashMap<>();
            for (InterfaceHttpData d : decoder.getBodyHttpDatas()) {
                if (d instanceof HttpData data) parts.put(data.getName(), data.get());
            }
            return parts;
        } catch (IOException | RuntimeException e) { // Netty's decoder exceptions are runtime ones
            throw new IllegalArgumentException("malformed multipart body: " + e.getMessage(), e);
        } finally {
            if (decoder != null) decoder.destroy();
            req.release();
        }
    }
}
