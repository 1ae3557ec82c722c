package dev.hearth.collector.http;

import dev.hearth.collector.metrics.CollectorMetrics;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the request-body bytes held across all connections: a body is reserved against one
 * shared budget as it arrives (all at once when its length is announced) and released when its
 * answer is written or the connection closes. A body that does not fit is answered 503 with
 * Retry-After, the rest of it is dropped unread and the connection closed. Goes after the HTTP
 * codec, before the aggregator; one instance per connection, sharing the budget.
 */
public final class BodyBudget extends ChannelDuplexHandler {
    private final AtomicLong inFlight;
    private final long max;
    private final int maxBody;
    private long held;
    private boolean refused;
    /** The current request announced its length: reserved at its head, not per chunk. */
    private boolean lengthAnnounced;

    /** {@code inFlight} is shared by every connection; bodies over {@code maxBody} are left to the aggregator's 413. */
    public BodyBudget(AtomicLong inFlight, long max, int maxBody) {
        this.inFlight = inFlight;
        this.max = max;
        this.maxBody = maxBody;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        long bytes = 0;
        if (msg instanceof HttpRequest req) {
            long announced = announced(req);
            lengthAnnounced = announced >= 0;
            if (announced > 0 && announced <= maxBody) bytes = announced;
        } else if (msg instanceof HttpContent c && !lengthAnnounced) {
            bytes = c.content().readableBytes();
        }
        if (bytes > 0 && !reserve(bytes)) {
            refused = true;
            ReferenceCountUtil.release(msg);
            ctx.channel().config().setAutoRead(false);
            HttpMetrics.reason(ctx, CollectorMetrics.Limit.BODY_BUDGET.label);
            Responses.sendAndClose(
                    ctx,
                    Response.busy(
                            "request bodies in flight are at the collector's limit of " + max + " bytes; retry later"));
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private static long announced(HttpRequest req) {
        try {
            return HttpUtil.getContentLength(req, -1L);
        } catch (NumberFormatException e) {
            return -1; // the codec refuses such a request; nothing reserved for it
        }
    }

    private boolean reserve(long bytes) {
        for (; ; ) {
            long now = inFlight.get();
            if (now + bytes > max) return false;
            if (inFlight.compareAndSet(now, now + bytes)) {
                held += bytes;
                return true;
            }
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (Responses.isFinal(msg)) release();
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    private void release() {
        if (held > 0) inFlight.addAndGet(-held);
        held = 0;
    }
}
