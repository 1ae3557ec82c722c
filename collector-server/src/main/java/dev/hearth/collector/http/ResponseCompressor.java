package dev.hearth.collector.http;

import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import java.util.regex.Pattern;

/**
 * Gzip (or deflate) for answers whose client accepts it: flame graph JSON of 100,000 nodes is
 * megabytes and shrinks about tenfold. Text only: a pprof export is gzipped already and OTLP
 * answers are small protobuf. Sits right before {@link ApiHandler}, so it sees exactly the
 * requests that handler answers, one answer each.
 */
public final class ResponseCompressor extends HttpContentCompressor {
    /** Below this many bytes the gzip header and the work are not worth it. */
    static final int MIN_BYTES = 1024;

    private static final Pattern TEXT = Pattern.compile("^text/|json|javascript|openmetrics-text");

    public ResponseCompressor() {
        super(MIN_BYTES, StandardCompressionOptions.gzip(), StandardCompressionOptions.deflate());
    }

    @Override
    protected Result beginEncode(HttpResponse res, String acceptEncoding) throws Exception {
        String type = res.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null || !TEXT.matcher(type).find()) return null;
        return super.beginEncode(res, acceptEncoding);
    }
}
