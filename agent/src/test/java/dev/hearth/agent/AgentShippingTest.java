package dev.hearth.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.agent.proc.ProcessScanner;
import dev.hearth.agent.ship.Backoff;
import dev.hearth.agent.ship.Delivery;
import dev.hearth.agent.ship.Shipper;
import dev.hearth.agent.ship.Spool;
import dev.hearth.agent.ship.Upload;
import dev.hearth.bpf.RawSample;
import dev.hearth.bpf.SampleType;
import dev.hearth.pprof.ProfileCodec;
import dev.hearth.pprof.ProfileReader;
import dev.hearth.pprof.ResolvedSample;
import dev.hearth.pprof.proto.Profile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent from drained samples to a collector: a real /proc, the real Netty shipper and spool,
 * against a Netty test receiver. Only the kernel side is scripted.
 */
class AgentShippingTest {
    static final Duration PERIOD = Duration.ofMillis(200);

    @TempDir
    Path spoolDir;

    IngestReceiver receiver;
    Process workload;
    Spool spool;
    Delivery delivery;
    Metrics metrics = new Metrics();
    final List<UUID> built = Collections.synchronizedList(new ArrayList<>());
    final FakeStacks stacks = new FakeStacks(Map.of(1L, "nanosleep", 2L, "main"));

    @BeforeEach
    void setUp() throws Exception {
        receiver = new IngestReceiver().start(0);
        ProcessBuilder pb = new ProcessBuilder("sleep", "120");
        pb.environment().put("HEARTH_SERVICE", "checkout");
        pb.environment().put("HEARTH_VERSION", "9.9.0");
        workload = pb.start();
        spool = new Spool(spoolDir, 1 << 20);
        delivery = new Delivery(
                new Shipper(URI.create("http://127.0.0.1:" + receiver.port()), Duration.ofSeconds(2)),
                spool,
                new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)),
                64);
        DeliveryMetrics.register(metrics, delivery, spool);
    }

    @AfterEach
    void tearDown() throws Exception {
        delivery.close();
        receiver.close();
        workload.destroy();
        workload.waitFor(5, TimeUnit.SECONDS);
    }

    int pid() {
        return (int) workload.pid();
    }

    /** A loop whose kernel side reports 5 on-CPU samples of the workload per drain. */
    AgentLoop loop(ScriptedSource source) {
        AgentLoop.Settings s =
                new AgentLoop.Settings(PERIOD, 0, "test-host", LabelSet.EMPTY.with("env", "test"), 100, List.of());
        return new AgentLoop(
                s,
                source,
                stacks,
                ProcessScanner.system(),
                ProfileSources.EBPF,
                u -> {
                    built.add(u.id());
                    delivery.submit(u);
                },
                metrics);
    }

    ScriptedSource workloadSamples() {
        return new ScriptedSource(
                () -> List.of(new RawSample(pid(), "sleep", SampleType.ON_CPU, 0, new long[] {1, 2}, new long[0], 5)));
    }

    static Thread run(AgentLoop loop) {
        Thread t = new Thread(loop, "agent-loop");
        t.start();
        return t;
    }

    @Test
    void uploadsEveryPeriodWithTheProcessLabelsAndShipsTheLastPeriodOnStop() throws Exception {
        ScriptedSource source = workloadSamples();
        AgentLoop loop = loop(source);
        Thread t = run(loop);
        waitFor(() -> receiver.stored().size() >= 3, 10_000);
        loop.stop();
        t.join(5000);
        delivery.close(Duration.ofSeconds(5));

        List<IngestReceiver.Request> got = receiver.stored();
        assertEquals(built.size(), got.size(), "every period's profile arrived, the last one included");
        for (IngestReceiver.Request r : got) {
            assertEquals("checkout", r.params().get("service"));
            assertEquals("cpu", r.params().get("type"));
            assertEquals(
                    Map.of(
                            "service",
                            "checkout",
                            "host",
                            "test-host",
                            "pid",
                            Integer.toString(pid()),
                            "comm",
                            "sleep",
                            "version",
                            "9.9.0",
                            "env",
                            "test"),
                    LabelSet.parse(r.params().get("labels")).asMap());
            Profile p = ProfileCodec.decode(r.body(), 1 << 20);
            ResolvedSample s = ProfileReader.samples(p).get(0);
            assertEquals("sleep", s.labels().get("thread"));
            assertEquals("nanosleep", s.stack().get(0).name());
        }
        long total = got.stream()
                .mapToLong(r -> {
                    try {
                        return ProfileReader.samples(ProfileCodec.decode(r.body(), 1 << 20))
                                .get(0)
                                .values()[0];
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                })
                .sum();
        assertEquals(5L * source.drains.get(), total, "every drained sample is in exactly one profile");
        for (int i = 1; i < got.size(); i++) {
            assertEquals(
                    got.get(i - 1).params().get("until"), got.get(i).params().get("from"), "periods are contiguous");
        }
    }

    @Test
    void anExitedProcessIsForgottenAfterItsLastPeriod() throws Exception {
        AgentLoop loop = loop(new ScriptedSource(List::of));
        Thread t = run(loop);
        Thread.sleep(PERIOD.toMillis() * 2);
        // other processes of the machine may come and go meanwhile: only the workload matters here
        assertFalse(stacks.forgotten.contains(pid()), "forgotten while it runs");
        workload.destroy();
        workload.waitFor(5, TimeUnit.SECONDS);
        waitFor(() -> stacks.forgotten.contains(pid()), 5_000);
        loop.stop();
        t.join(5000);
    }

    @Test
    void retriesAfterA5xxWithTheSameId() throws Exception {
        receiver.answerNext(new IngestReceiver.Answer(503, "{\"error\": \"busy\"}", false));
        // the collector stored it but the answer was lost: the retry must be recognisable
        receiver.answerNext(new IngestReceiver.Answer(500, "{\"error\": \"ack lost\"}", true));
        Upload u = Upload.of(
                "checkout", "cpu", 1, 2, LabelSet.EMPTY.with("pid", "1"), ProfileCodec.encodeGzip(emptyCpu()));
        delivery.submit(u);
        waitFor(() -> receiver.requests().size() >= 3 && delivery.stored() == 1, 10_000);
        List<IngestReceiver.Request> reqs = receiver.requests();
        assertEquals(3, reqs.size());
        assertEquals(
                List.of(503, 500, 200),
                reqs.stream().map(IngestReceiver.Request::answered).toList());
        assertTrue(
                reqs.stream().allMatch(r -> r.id().equals(u.id().toString())), "every retry carries the profile's id");
        assertEquals(1, receiver.stored().size(), "stored once");
        assertEquals(2, delivery.failures());
        assertTrue(spool.isEmpty(), "delivered uploads leave the spool");
    }

    @Test
    void aRefusedUploadIsNotRetried() throws Exception {
        receiver.answerNext(new IngestReceiver.Answer(400, "{\"error\": \"unknown profile type\"}", false));
        Upload bad = Upload.of("checkout", "nonsense", 1, 2, LabelSet.EMPTY, new byte[] {1});
        Upload good = Upload.of("checkout", "cpu", 1, 2, LabelSet.EMPTY, ProfileCodec.encodeGzip(emptyCpu()));
        delivery.submit(bad);
        delivery.submit(good);
        waitFor(() -> delivery.stored() == 1, 10_000);
        Thread.sleep(300);
        assertEquals(2, receiver.requests().size());
        assertEquals(1, delivery.rejected());
        assertEquals(0, delivery.failures());
        assertEquals(good.id().toString(), receiver.stored().get(0).id());
    }

    @Test
    void spoolsWhileTheCollectorIsDownAndDeliversEverythingOnceWhenItReturns() throws Exception {
        AgentLoop loop = loop(workloadSamples());
        Thread t = run(loop);
        waitFor(() -> receiver.stored().size() >= 1, 10_000);
        int port = receiver.port();
        receiver.stop();
        waitFor(() -> spool.size() >= 3, 10_000);
        assertTrue(spool.bytes() > 0);
        assertTrue(
                metrics.render().matches("(?s).*\\nhearth_agent_spool_bytes [1-9][\\d.E]*\\n.*"),
                "spool bytes are published");
        receiver.start(port);
        waitFor(() -> spool.isEmpty() && delivery.stored() >= 5, 15_000);
        loop.stop();
        t.join(5000);
        delivery.close(Duration.ofSeconds(5));

        Set<String> builtIds = built.stream().map(UUID::toString).collect(Collectors.toSet());
        List<String> delivered = receiver.requests().stream()
                .filter(r -> r.answered() == 200)
                .map(IngestReceiver.Request::id)
                .toList();
        assertEquals(delivered.size(), new HashSet<>(delivered).size(), "no profile was delivered twice");
        assertEquals(builtIds, new HashSet<>(delivered), "every profile built was delivered");
        assertTrue(delivery.failures() >= 1);
        assertEquals(0, spool.dropped());
    }

    @Test
    void metricsEndpointServesTheAgentsHealth() throws Exception {
        AgentLoop loop = loop(workloadSamples());
        Thread t = run(loop);
        waitFor(() -> delivery.stored() >= 2, 10_000);
        loop.stop();
        t.join(5000);
        try (MetricsServer server = new MetricsServer("127.0.0.1", 0, metrics)) {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            String text = r.body();
            assertTrue(text.contains("# TYPE hearth_agent_cpu_samples_total counter"), text);
            assertTrue(text.matches("(?s).*\\nhearth_agent_profiles_shipped_total [1-9][\\d.E]*\\n.*"), text);
            assertTrue(text.contains("hearth_agent_bpf_drops_total{reason=\"missing_user_stack\"} 3.0\n"), text);
            assertTrue(text.contains("hearth_agent_stack_entries_total{type=\"on_cpu\"}"), text);
            assertTrue(text.contains("hearth_agent_spool_bytes 0.0\n"), text);
            assertTrue(text.contains("# TYPE hearth_agent_cycle_seconds histogram\n"), text);
            HttpResponse<String> other = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(404, other.statusCode(), "only /metrics is served");
        }
    }

    static Profile emptyCpu() {
        return new dev.hearth.pprof.ProfileBuilder(dev.hearth.pprof.ProfileType.CPU).build();
    }

    static void waitFor(BooleanSupplier cond, long ms) throws InterruptedException {
        long end = System.currentTimeMillis() + ms;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > end) throw new AssertionError("condition not met within " + ms + " ms");
            Thread.sleep(20);
        }
    }
}
