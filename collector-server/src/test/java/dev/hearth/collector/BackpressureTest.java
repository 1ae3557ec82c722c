package dev.hearth.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When workers and queues are full, the collector answers 503 with Retry-After at once, and loses nothing it acknowledged. */
class BackpressureTest {
    static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void saturationGives503AndAcknowledgedProfilesAreAllStored() throws Exception {
        try (TestCollector c = new TestCollector(CollectorConfig.defaults(dir).withQueues(1, 1))) {
            byte[] body = Fixtures.gz(Fixtures.shop(3, 2, 1));
            ExecutorService clients = Executors.newFixedThreadPool(48);
            try {
                List<Future<Http.Reply>> replies = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    String q = Fixtures.ingest("shop", "cpu", T0, T0 + 10_000, "", "bp-" + i);
                    replies.add(clients.submit(() -> c.http.post(q, body)));
                }
                int ok = 0, busy = 0;
                for (Future<Http.Reply> f : replies) {
                    Http.Reply r = f.get();
                    if (r.status() == 200) {
                        ok++;
                    } else {
                        assertEquals(503, r.status(), r.text());
                        assertEquals(
                                "1", r.raw().headers().firstValue("Retry-After").orElse(null));
                        busy++;
                    }
                }
                assertTrue(busy > 0, "no request was refused");
                assertTrue(ok > 0, "no request got through");
                assertEquals(ok, c.count("profiles"));
            } finally {
                clients.shutdownNow();
            }
        }
    }
}
