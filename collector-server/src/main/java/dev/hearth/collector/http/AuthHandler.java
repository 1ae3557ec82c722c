package dev.hearth.collector.http;

import dev.hearth.collector.auth.Authenticator;
import dev.hearth.collector.auth.Scope;
import dev.hearth.collector.auth.Tenant;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;

/**
 * Decides on a request from its head, before its body is read: a request that may not go on is
 * answered at once and its body dropped unread, so no one without a token makes the collector hold
 * a body. An allowed request goes on with its tenant in the channel's {@link #TENANT} attribute
 * (requests on a connection pass one after the other, so it is the tenant of the request the
 * aggregator hands on next).
 */
public final class AuthHandler extends ChannelInboundHandlerAdapter {
    public static final AttributeKey<String> TENANT = AttributeKey.valueOf("hearth.tenant");

    private final Authenticator auth;
    private boolean discarding;

    public AuthHandler(Authenticator auth) {
        this.auth = auth;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            ctx.channel().attr(TENANT).set(null);
            discarding = false;
            Response refused = decide(ctx, req);
            if (refused == null) {
                ctx.fireChannelRead(msg);
                return;
            }
            boolean bodyless = msg instanceof LastHttpContent
                    || (!HttpUtil.isTransferEncodingChunked(req) && HttpUtil.getContentLength(req, 0L) == 0);
            ApiHandler.send(ctx, bodyless && HttpUtil.isKeepAlive(req), refused);
            discarding = !(msg instanceof LastHttpContent);
            ReferenceCountUtil.release(msg);
        } else if (discarding && msg instanceof HttpContent) {
            if (msg instanceof LastHttpContent) discarding = false;
            ReferenceCountUtil.release(msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    /** Null when the request may go on (its tenant then set), else the answer. */
    private Response decide(ChannelHandlerContext ctx, HttpRequest req) {
        ctx.channel().attr(TENANT).set(null); // a grant holds for one request, never for the next on this connection
        if (!req.decoderResult().isSuccess()) return null; // answered 400 by ApiHandler, with no tenant
        String target = ApiHandler.originForm(req.uri()); // the path as ApiHandler will route it
        if (target == null) return null; // answered 400 by ApiHandler
        String path;
        try {
            path = new QueryStringDecoder(target).path();
        } catch (IllegalArgumentException e) {
            return Response.error(400, "malformed request URI: " + e.getMessage());
        }
        Scope scope = Routes.scope(path);
        if (scope == null) return null;
        Authenticator.Decision d = auth.decide(
                scope,
                req.headers().get(HttpHeaderNames.AUTHORIZATION),
                req.headers().get(Tenant.HEADER));
        if (d instanceof Authenticator.Allowed a) {
            ctx.channel().attr(TENANT).set(a.tenant());
            return null;
        }
        Authenticator.Denied denied = (Authenticator.Denied) d;
        Response r = Response.error(denied.status(), denied.message());
        if (denied.status() != 401) return r;
        return new Response(r.status(), r.contentType(), r.body(), Map.of("WWW-Authenticate", Authenticator.CHALLENGE));
    }
}
