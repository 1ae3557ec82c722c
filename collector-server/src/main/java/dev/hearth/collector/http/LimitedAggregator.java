package dev.hearth.collector.http;

import io.netty.channel.ChannelHandlerContext;
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

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        boolean keep = HttpUtil.isKeepAlive(oversized) && HttpUtil.getContentLength(oversized, -1L) >= 0;
        ApiHandler.send(ctx, keep, Response.error(413, "request body is larger than the limit of " + maxBytes + " bytes"));
    }
}
