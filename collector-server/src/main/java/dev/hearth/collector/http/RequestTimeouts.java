package dev.hearth.collector.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Read timeouts of one connection, by phase: idle between requests (closed silently), from a
 * request's first byte to the end of its headers, and from there to the end of its body (both
 * answered 408 and closed). Each is a bound on the whole phase, not on the gap between reads, so a
 * client trickling a byte a second cannot hold the connection. While a request is being handled
 * no read timer runs: the query deadline bounds that.
 *
 * <p>{@link #firstBytes()} goes before the HTTP codec (to see raw bytes of headers not yet
 * decoded); this handler goes after it.
 */
public final class RequestTimeouts extends ChannelDuplexHandler {
    private enum Phase {
        IDLE,
        HEADERS,
        BODY,
        HANDLING
    }

    private final Duration idle, header, body;
    private Phase phase = Phase.IDLE;
    private boolean answeredEarly;
    private ScheduledFuture<?> timer;
    private ChannelHandlerContext ctx;

    public RequestTimeouts(Duration idle, Duration header, Duration body) {
        this.idle = idle;
        this.header = header;
        this.body = body;
    }

    /** The handler that notices a request's first raw bytes. */
    public ChannelHandler firstBytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                if (phase == Phase.IDLE) enter(Phase.HEADERS);
                c.fireChannelRead(msg);
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) enter(Phase.IDLE);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        enter(Phase.IDLE);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            answeredEarly = false;
            enter(Phase.BODY);
        }
        if (msg instanceof LastHttpContent) enter(answeredEarly ? Phase.IDLE : Phase.HANDLING);
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (Responses.isFinal(msg)) {
            if (phase == Phase.HANDLING)
                promise.addListener(f -> {
                    if (phase == Phase.HANDLING) enter(Phase.IDLE);
                });
            else answeredEarly = true; // e.g. 413 or 503 before the body ended
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void enter(Phase p) {
        phase = p;
        cancel();
        Duration d = switch (p) {
            case IDLE -> idle;
            case HEADERS -> header;
            case BODY -> body;
            case HANDLING -> null;
        };
        if (d != null && ctx != null)
            timer = ctx.executor().schedule(() -> expired(p, d), d.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (timer != null) timer.cancel(false);
        timer = null;
    }

    private void expired(Phase p, Duration d) {
        if (phase != p || !ctx.channel().isActive()) return;
        if (p == Phase.IDLE) {
            ctx.close();
            return;
        }
        String what = p == Phase.HEADERS ? "request headers" : "request body";
        Responses.sendAndClose(
                ctx, Response.error(408, "the " + what + " did not arrive within " + d.toMillis() + " ms"));
    }
}
