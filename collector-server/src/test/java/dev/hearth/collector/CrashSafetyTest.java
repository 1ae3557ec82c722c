package dev.hearth.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** SIGKILL during a stream of ingests loses no acknowledged profile and leaves no partial one. On every store. */
@ParameterizedClass
@EnumSource(TestStore.class)
class CrashSafetyTest {
    @Parameter
    TestStore store;

    static final long T0 = 1_700_000_000_000L;
    // per profile 1 + 100 + 10000 samples: any part of a profile is not a multiple of the whole
    static final long PER_PROFILE = 10_101;

    @TempDir
    Path dir;

    @Test
    void killDuringIngestLosesNothingAcknowledged() throws Exception {
        byte[] body = Fixtures.gz(Fixtures.shop(1, 100, 10_000));
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch someAcked = new CountDownLatch(50);
        String[] storeArgs = TestStore.args(store.fresh(dir)).toArray(String[]::new);
        Thread[] clients = new Thread[6];
        try (CollectorProcess first = CollectorProcess.start(dir, storeArgs)) {
            for (int t = 0; t < clients.length; t++) {
                int client = t;
                clients[t] = new Thread(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        String id = "c" + client + "-" + n;
                        try {
                            Http.Reply r = first.http.post(
                                    Fixtures.ingest("crash", "cpu", T0, T0 + 10_000, "client=" + client, id), body);
                            if (r.status() == 200) {
                                acknowledged.add(id);
                                someAcked.countDown();
                            }
                        } catch (Exception e) {
                            // the collector died under us: this one was not acknowledged
                        }
                    }
                });
                clients[t].start();
            }
            someAcked.await();
            Thread.sleep(300);
            first.kill();
            stop.set(true);
            for (Thread t : clients) t.join();
        }
        assertTrue(acknowledged.size() >= 50);

        try (CollectorProcess second = CollectorProcess.start(dir, storeArgs)) {
            Http.Reply fg = second.http.get(Http.query(
                    "/api/v1/flamegraph",
                    "service",
                    "crash",
                    "type",
                    "cpu",
                    "value",
                    "samples",
                    "from",
                    T0,
                    "until",
                    T0 + 10_000));
            assertEquals(200, fg.status(), fg.text());
            long total = (long) Http.num(fg.json(), "total");
            assertEquals(0, total % PER_PROFILE, "a profile was stored in part: total " + total);
            assertTrue(
                    total / PER_PROFILE >= acknowledged.size(),
                    "stored " + total / PER_PROFILE + " < acknowledged " + acknowledged.size());
            for (String id : acknowledged) {
                int client = Integer.parseInt(id.substring(1, id.indexOf('-')));
                Http.Reply again = second.http.post(
                        Fixtures.ingest("crash", "cpu", T0, T0 + 10_000, "client=" + client, id), body);
                assertEquals(200, again.status(), again.text());
                assertEquals(Boolean.FALSE, again.json().get("stored"), "acknowledged profile " + id + " was lost");
            }
            Map<String, Object> values = second.http
                    .get(Http.query("/api/v1/labels", "service", "crash", "key", "client"))
                    .json();
            assertEquals(List.of("0", "1", "2", "3", "4", "5"), values.get("values"));
        }
    }
}
