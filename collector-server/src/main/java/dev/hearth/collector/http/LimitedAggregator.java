package dev.hearth.collector.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Collects request bodies up to the limit; a larger body is answered with a JSON 413. When the
 * length was announced the rest of the body is skipped and the connection kept; a chunked body
 * that grows past the limit has its connection closed.
 */
public final class LimitedAggregator extends HttpObjectAggregator {
    private final int maxBytes;

    public LimitedAggregator(int maxBytes) {
        super(maxBytes);
        this.maxBytes = maxBytes;
    }

    /** Netty answers a failed Expect (417, or 413 for an announced oversized body) with an empty body; ours say why in JSON. */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object r = super.newContinueResponse(start, maxContentLength, pipeline);
        if (r instanceof FullHttpResponse f && f.status().code() >= 400) {
            int status = f.status().code();
            f.release();
            String message = status == 413
                    ? "request body is larger than the limit of " + maxBytes + " bytes"
                    : "unsupported Expect header: only 100-continue is understood";
            return ApiHandler.httpResponse(Response.error(status, message), HttpUtil.isKeepAlive(start));
        }
        return r;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        boolean keep = HttpUtil.isKeepAlive(oversized) && HttpUtil.getContentLength(oversized, -1L) >= 0;
        ApiHandler.send(
                ctx, keep, Response.error(413, "request body is larger than the limit of " + maxBytes + " bytes"));
    }
}
