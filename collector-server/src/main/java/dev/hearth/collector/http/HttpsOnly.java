package dev.hearth.collector.http;

import dev.hearth.collector.query.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * First on a TLS collector's connections: a TLS client gets the TLS handler in its place; a
 * client speaking plain HTTP gets a plain 400 saying to use https, and the connection closes,
 * so nothing it sent is read as a request.
 */
public final class HttpsOnly extends ByteToMessageDecoder {
    /** A TLS record header: enough to tell TLS from anything else. */
    private static final int SNIFF = 5;

    private static final byte[] PLAIN_REFUSAL;

    static {
        byte[] body = Json.error("this collector speaks HTTPS only: use an https:// address");
        String head = "HTTP/1.1 400 Bad Request\r\nContent-Type: " + Response.JSON + "\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        PLAIN_REFUSAL = new byte[h.length + body.length];
        System.arraycopy(h, 0, PLAIN_REFUSAL, 0, h.length);
        System.arraycopy(body, 0, PLAIN_REFUSAL, h.length, body.length);
    }

    private final SslContext tls;

    public HttpsOnly(SslContext tls) {
        this.tls = tls;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < SNIFF) return;
        if (SslHandler.isEncrypted(in, false)) {
            ctx.pipeline().replace(this, "tls", tls.newHandler(ctx.alloc()));
        } else {
            in.skipBytes(in.readableBytes());
            ctx.writeAndFlush(Unpooled.wrappedBuffer(PLAIN_REFUSAL)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
