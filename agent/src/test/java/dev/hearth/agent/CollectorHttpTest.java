package dev.hearth.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.agent.ship.CollectorHttp;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The asynchronous client on one kept-alive connection: requests queue, each gets its own answer, a silent server times out. */
class CollectorHttpTest {
    @Test
    void requestsSentAtOnceGoOneAfterAnotherAndEachGetsItsOwnAnswer() throws Exception {
        try (IngestReceiver receiver = new IngestReceiver().start(0);
                CollectorHttp http = new CollectorHttp(
                        URI.create("http://127.0.0.1:" + receiver.port()),
                        Duration.ofSeconds(20),
                        null,
                        null,
                        1 << 20)) {
            receiver.answerNext(new IngestReceiver.Answer(503, "{\"error\": \"busy\"}", false));
            List<CompletableFuture<CollectorHttp.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                replies.add(http.send(
                        HttpMethod.POST,
                        "/api/v1/ingest?id=p" + i,
                        ("body " + i).getBytes(StandardCharsets.UTF_8),
                        "application/octet-stream",
                        Map.of()));
            }
            assertEquals(503, replies.get(0).get().status(), "the first answer goes to the first request");
            for (int i = 1; i < 50; i++) assertEquals(200, replies.get(i).get().status());
            List<IngestReceiver.Request> got = receiver.requests();
            assertEquals(50, got.size());
            for (int i = 0; i < 50; i++) {
                assertEquals("p" + i, got.get(i).id(), "in the order sent");
                assertEquals("body " + i, new String(got.get(i).body(), StandardCharsets.UTF_8));
            }
            // the collector went away and came back on the same port: the next request connects anew
            int port = receiver.port();
            receiver.stop();
            assertThrows(
                    IOException.class,
                    () -> http.exchange(HttpMethod.GET, "/api/v1/ingest?id=gone", null, null, Map.of()));
            try (IngestReceiver again = new IngestReceiver().start(port)) {
                assertEquals(
                        200,
                        http.exchange(
                                        HttpMethod.POST,
                                        "/api/v1/ingest?id=back",
                                        new byte[] {1},
                                        "application/octet-stream",
                                        Map.of())
                                .status());
                assertEquals(
                        Set.of("back"),
                        again.requests().stream()
                                .map(IngestReceiver.Request::id)
                                .collect(Collectors.toSet()));
            }
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOutEveryQueuedRequest() throws Exception {
        try (ServerSocket silent = new ServerSocket(0);
                CollectorHttp http = new CollectorHttp(
                        URI.create("http://127.0.0.1:" + silent.getLocalPort()),
                        Duration.ofMillis(500),
                        null,
                        null,
                        1 << 20)) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) accepted.add(silent.accept());
                } catch (IOException closed) {
                    // the test ended
                }
            });
            acceptor.start();
            long t0 = System.nanoTime();
            CompletableFuture<CollectorHttp.Reply> first = http.send(HttpMethod.GET, "/a", null, null, Map.of());
            CompletableFuture<CollectorHttp.Reply> second = http.send(HttpMethod.GET, "/b", null, null, Map.of());
            IOException e =
                    assertThrows(IOException.class, () -> http.exchange(HttpMethod.GET, "/c", null, null, Map.of()));
            assertTrue(e.getMessage().startsWith("no answer within 500 ms"), e.getMessage());
            assertTrue(first.isCompletedExceptionally() && second.isCompletedExceptionally());
            assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "each request waited its own timeout, not forever");
            silent.close();
            acceptor.join(5_000);
            for (Socket s : accepted) s.close();
        }
    }
}
