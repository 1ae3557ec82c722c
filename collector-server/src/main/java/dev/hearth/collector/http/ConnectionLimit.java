package dev.hearth.collector.http;

import dev.hearth.collector.metrics.CollectorMetrics;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/** At most {@code max} open connections: one more is answered 503 with Retry-After and closed. Goes after the HTTP codec. */
@ChannelHandler.Sharable
public final class ConnectionLimit extends ChannelInboundHandlerAdapter {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    public ConnectionLimit(int max) {
        this.max = max;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > max) {
            ctx.channel().config().setAutoRead(false); // nothing it sends is read
            HttpMetrics.reason(ctx, CollectorMetrics.Limit.CONNECTIONS.label);
            Responses.sendAndClose(
                    ctx, Response.busy("the collector has " + max + " open connections, its limit; retry later"));
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        ctx.fireChannelInactive();
    }

    public int open() {
        return open.get();
    }
}
