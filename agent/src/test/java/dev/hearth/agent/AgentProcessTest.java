package dev.hearth.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.pprof.FoldedFormat;
import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.ProfileCodec;
import dev.hearth.pprof.ProfileMerger;
import dev.hearth.pprof.ProfileReader;
import dev.hearth.pprof.proto.Profile;
import dev.hearth.testsupport.Privileges;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricFamily;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricType;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real agent process (real BPF, symbolizer, shipper) profiling real workloads into a test receiver. */
class AgentProcessTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void needsBpf() {
        Privileges.assumeRootOrCi("loads BPF programs");
    }

    @Test
    void shipsLabelledProfilesOfJavaAndCWorkloadsAndFlushesOnSigterm() throws Exception {
        Process jvm = Workloads.jvm(120);
        Process c = Workloads.c(tmp, 120);
        Process agent = null;
        try (IngestReceiver receiver = new IngestReceiver().start(0)) {
            // The eBPF path with perf maps: async-profiler (auto mode) would take the JVM over.
            agent = new ProcessBuilder(
                            Workloads.javaBin(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            Main.class.getName(),
                            "agent",
                            "--collector",
                            "http://127.0.0.1:" + receiver.port(),
                            "--period",
                            "2s",
                            "--hz",
                            "499",
                            "--pid",
                            jvm.pid() + "," + c.pid(),
                            "--jvm-mode",
                            "ebpf",
                            "--label",
                            "env=test",
                            "--host",
                            "test-host",
                            "--spool-dir",
                            tmp.resolve("spool").toString(),
                            "--run-dir",
                            tmp.resolve("run").toString(),
                            "--metrics-port",
                            "0")
                    .redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("agent.log").toFile())
                    .start();
            long deadline = System.currentTimeMillis() + 60_000;
            while (services(receiver).stream().filter(s -> s.equals("split")).count() < 3) {
                assertTrue(agent.isAlive(), "agent died: " + Files.readString(tmp.resolve("agent.log")));
                assertTrue(
                        System.currentTimeMillis() < deadline,
                        "no uploads: " + Files.readString(tmp.resolve("agent.log")));
                Thread.sleep(200);
            }
            int before = receiver.stored().size();
            Map<String, MetricFamily> metrics = scrape(Files.readString(tmp.resolve("agent.log")));
            double shipped = metrics.get("hearth_agent_profiles_shipped_total")
                    .getMetric(0)
                    .getCounter()
                    .getValue();
            int storedSince = receiver.stored().size(); // the agent counts a profile once the receiver has answered it
            assertTrue(
                    shipped >= 1 && shipped <= storedSince,
                    "shipped " + shipped + ", the receiver stored " + storedSince);
            assertTrue(metrics.get("hearth_agent_cpu_samples_total")
                            .getMetric(0)
                            .getCounter()
                            .getValue()
                    > 0);
            assertTrue(metrics.get("hearth_agent_cycle_seconds")
                            .getMetric(0)
                            .getHistogram()
                            .getSampleCount()
                    >= 1);
            assertEquals(
                    MetricType.HISTOGRAM,
                    metrics.get("hearth_agent_cycle_seconds").getType());
            assertTrue(
                    metrics.get("hearth_agent_unwind_complete_stacks_total")
                                    .getMetric(0)
                                    .getCounter()
                                    .getValue()
                            > 0,
                    "user stacks walked by table to their end");
            assertEquals(
                    Set.of("no_table", "table_budget", "depth", "read_fault"),
                    metrics.get("hearth_agent_unwind_incomplete_stacks_total").getMetricList().stream()
                            .map(m -> m.getLabel(0).getValue())
                            .collect(Collectors.toSet()));
            long termAt = System.currentTimeMillis();
            new ProcessBuilder("kill", "-TERM", Long.toString(agent.pid()))
                    .start()
                    .waitFor();
            assertTrue(agent.waitFor(30, TimeUnit.SECONDS), "agent stops on SIGTERM");
            String log = Files.readString(tmp.resolve("agent.log"));
            List<IngestReceiver.Request> got = receiver.stored();
            assertTrue(got.size() > before, "the last period was shipped on SIGTERM: " + log);
            long lastUntil = got.stream()
                    .mapToLong(r -> Long.parseLong(r.params().get("until")))
                    .max()
                    .orElseThrow();
            assertTrue(lastUntil >= termAt, "the last profile ends at the stop, not a period earlier");

            List<Profile> cProfiles = new ArrayList<>();
            List<Profile> jvmProfiles = new ArrayList<>();
            for (IngestReceiver.Request r : got) {
                LabelSet l = LabelSet.parse(r.params().get("labels"));
                assertEquals("cpu", r.params().get("type"));
                assertEquals("test-host", l.get("host"));
                assertEquals("test", l.get("env"));
                Profile p = ProfileCodec.decode(r.body(), 64 << 20);
                if (l.get("pid").equals(Long.toString(c.pid()))) {
                    assertEquals("split", l.get("service"));
                    assertEquals("split", l.get("comm"));
                    cProfiles.add(p);
                } else {
                    assertEquals(Long.toString(jvm.pid()), l.get("pid"));
                    assertEquals(
                            "dev.hearth.agent.workload.SplitWorkload",
                            l.get("service"),
                            "a JVM is named by its main class");
                    assertEquals("java", l.get("comm"));
                    jvmProfiles.add(p);
                }
            }
            Profile cAll = ProfileMerger.merge(cProfiles);
            double[] cs = Workloads.share(FoldedFormat.write(cAll, 0, false), "hot_seventy", "hot_thirty");
            assertEquals(0.70, cs[0], 0.07, "C split through the agent (" + (long) cs[1] + " samples)");
            assertTrue(ProfileReader.samples(cAll).stream()
                    .allMatch(s -> "split".equals(s.labels().get("thread"))));

            Profile jAll = ProfileMerger.merge(jvmProfiles);
            var hot = ProfileReader.samples(jAll).stream()
                    .filter(s -> s.stack().get(0).name().endsWith("SplitWorkload.hotSeventy"))
                    .toList();
            assertFalse(hot.isEmpty(), "JIT frames are named: " + FoldedFormat.write(jAll, 0, true));
            assertTrue(hot.stream().allMatch(s -> s.stack().get(0).kind() == FrameKind.JIT));
            // The main thread keeps the launcher's comm. A JIT address reused between two perf map reads can
            // name a stray sample on another thread, so the check is on the share, not on every sample.
            var byThread = hot.stream()
                    .collect(Collectors.groupingBy(
                            s -> s.labels().getOrDefault("thread", ""), Collectors.summingLong(s -> s.values()[0])));
            long onMain = byThread.getOrDefault("java", 0L),
                    all = byThread.values().stream().mapToLong(Long::longValue).sum();
            assertTrue(onMain >= 0.95 * all, "hotSeventy runs on the JVM main thread, comm 'java': " + byThread);
            assertTrue(log.contains("stopped"), log);
        } finally {
            if (agent != null) agent.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            jvm.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            c.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * The agent's /metrics as Prometheus reads it: its protobuf exposition, parsed with the
     * Prometheus client's own model (the Java client has no text-format parser).
     */
    private static Map<String, MetricFamily> scrape(String log) throws Exception {
        Matcher m = Pattern.compile("metrics on (http://\\S+/metrics)").matcher(log);
        assertTrue(m.find(), "metrics address in the log: " + log);
        HttpResponse<byte[]> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(m.group(1)))
                                .header(
                                        "Accept",
                                        "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited")
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        Map<String, MetricFamily> families = new HashMap<>();
        InputStream in = new ByteArrayInputStream(r.body());
        for (MetricFamily f; (f = MetricFamily.parseDelimitedFrom(in)) != null; ) families.put(f.getName(), f);
        return families;
    }

    private static List<String> services(IngestReceiver r) {
        return r.stored().stream().map(q -> q.params().get("service")).toList();
    }
}
