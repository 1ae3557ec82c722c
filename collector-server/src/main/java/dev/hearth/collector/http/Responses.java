package dev.hearth.collector.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponse;

/** What the connection handlers share: telling the end of an answer, and answering then closing. */
final class Responses {
    private Responses() {}

    /** A final (not 1xx) answer: ApiHandler and the aggregator write whole responses. */
    static boolean isFinal(Object msg) {
        return msg instanceof HttpResponse r && r.status().code() >= 200;
    }

    /** Writes the answer from this handler's place in the pipeline and closes the connection after it. */
    static void sendAndClose(ChannelHandlerContext ctx, Response r) {
        ctx.writeAndFlush(ApiHandler.httpResponse(r, false)).addListener(ChannelFutureListener.CLOSE);
    }
}
