package dev.hearth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hearth.collector.CollectorProcess;
import dev.hearth.collector.Http;
import dev.hearth.collector.PrometheusScrape;
import dev.hearth.collector.TestTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path with real processes: a collector, an agent (eBPF, so root), and two JVM workloads
 * with a known split between two hot methods, labelled version=1 (alpha 3 : beta 1) and version=2
 * (alpha 1 : beta 1). The flame graph shows the split within 30 s of the agent starting, the
 * deploy diff names beta as the largest increase, and the timeline has data only while the
 * workloads ran, and both processes' /metrics count the profiles shipped and the queries made.
 * The agent samples at 499 Hz so that a machine busy with other work still yields enough samples
 * in that time.
 */
class EndToEndTest {
    static final String SERVICE = "e2e-shop";
    static final String ALPHA = "dev.hearth.it.Workload.alpha";
    static final String BETA = "dev.hearth.it.Workload.beta";
    /**
     * Enough samples that ±5 points is four standard deviations of the sampling noise (at 300 it was
     * two: about one run in twenty fell outside by chance).
     */
    static final int MIN_SAMPLES = 1200;

    @TempDir
    Path dir;

    @Test
    void agentToCollectorToApi() throws Exception {
        boolean root = "0"
                .equals(new String(new ProcessBuilder("id", "-u")
                                .start()
                                .getInputStream()
                                .readAllBytes())
                        .trim());
        if (System.getenv("CI") == null) assumeTrue(root, "skipped: the agent needs root for eBPF (CI runs as root)");
        List<Process> started = new ArrayList<>();
        Path stop = dir.resolve("stop");
        Path agentLog = dir.resolve("agent.log");
        try (CollectorProcess collector = CollectorProcess.start(dir.resolve("data"))) {
            long workStart = System.currentTimeMillis();
            Process v1 = start(
                    started,
                    dir.resolve("v1.log"),
                    workload(3, 1, stop),
                    Map.of("HEARTH_SERVICE", SERVICE, "HEARTH_VERSION", "1"));
            Process v2 = start(
                    started,
                    dir.resolve("v2.log"),
                    workload(1, 1, stop),
                    Map.of("HEARTH_SERVICE", SERVICE, "HEARTH_VERSION", "2"));
            Path token = TestTokens.write(dir.resolve("agent.token"), collector.token);
            Process agent = start(
                    started,
                    agentLog,
                    javaCommand(List.of(
                            "dev.hearth.agent.Main",
                            "agent",
                            "--collector",
                            "http://127.0.0.1:" + collector.port,
                            "--token-file",
                            token.toString(),
                            "--period",
                            "2s",
                            "--hz",
                            "499",
                            "--pid",
                            v1.pid() + "," + v2.pid(),
                            "--spool-dir",
                            dir.resolve("spool").toString(),
                            "--run-dir",
                            dir.resolve("run").toString(),
                            "--metrics-port",
                            "0")),
                    Map.of());
            awaitLine(agent, agentLog, "profiling pids");
            long agentReady = System.currentTimeMillis();

            // 1. within 30 s the flame graph shows the service, alpha : beta = 3 : 1 within ±5 points
            Map<String, Double> v1Totals =
                    awaitSamples(collector, agent, agentLog, workStart, "version=1", agentReady + 30_000);
            double a = v1Totals.get(ALPHA), b = v1Totals.get(BETA);
            assertEquals(0.75, a / (a + b), 0.05, "alpha's share of alpha + beta (" + a + " : " + b + ")");

            // 2. version 2 gets enough samples too, then the workloads end; the agent keeps running past them
            awaitSamples(collector, agent, agentLog, workStart, "version=2", agentReady + 90_000);
            // On a quiet machine the samples come within two timeline steps; run long enough to span several.
            Thread.sleep(Math.max(0, agentReady + 16_000 - System.currentTimeMillis()));
            Files.createFile(stop);
            assertTrue(v1.waitFor(60, TimeUnit.SECONDS) && v2.waitFor(60, TimeUnit.SECONDS), "workloads did not stop");
            long workEnd = System.currentTimeMillis();
            Thread.sleep(8_000);
            assertTrue(agent.isAlive(), "agent died: " + Files.readString(agentLog));

            // 3. deploy diff: version 2 against version 1, the largest increase is beta
            Http.Reply d = collector.http.get(Http.query(
                    "/api/v1/diff",
                    "service",
                    SERVICE,
                    "type",
                    "cpu",
                    "from",
                    workStart - 60_000,
                    "until",
                    workEnd + 60_000,
                    "labels",
                    "version=2",
                    "baseLabels",
                    "version=1"));
            assertEquals(200, d.status(), d.text());
            Map<String, Object> diff = d.json();
            double t = Http.num(diff, "total"), bt = Http.num(diff, "baseTotal");
            Map<String, Double> compared = totalsByName(diff, "total"), base = totalsByName(diff, "baseTotal");
            String largest = null;
            double increase = Double.NEGATIVE_INFINITY;
            for (String name : compared.keySet()) {
                double inc = compared.get(name) / t - base.getOrDefault(name, 0.0) / bt;
                if (inc > increase) {
                    increase = inc;
                    largest = name;
                }
            }
            assertEquals(BETA, largest, "largest increase " + increase);

            // 4. timeline: data only where the workloads ran
            long step = 5_000;
            Http.Reply tl = collector.http.get(Http.query(
                    "/api/v1/timeline",
                    "service",
                    SERVICE,
                    "type",
                    "cpu",
                    "from",
                    workStart - 60_000,
                    "until",
                    System.currentTimeMillis() + 30_000,
                    "step",
                    step));
            assertEquals(200, tl.status(), tl.text());
            @SuppressWarnings("unchecked")
            List<List<Number>> points = (List<List<Number>>) tl.json().get("points");
            int withData = 0;
            for (List<Number> p : points) {
                long ms = p.get(0).longValue();
                if (p.get(1).doubleValue() > 0) {
                    withData++;
                    assertTrue(
                            ms >= workStart - step && ms <= workEnd + step,
                            "data at " + ms + " outside the workloads' run [" + workStart + ", " + workEnd + "]: "
                                    + points);
                }
            }
            assertTrue(withData >= 3, "timeline has data in only " + withData + " steps: " + points);

            // 5. both /metrics, read as Prometheus reads them, count what just happened
            Matcher url = Pattern.compile("metrics on (http://\\S+)/metrics").matcher(Files.readString(agentLog));
            assertTrue(url.find(), "the agent's metrics address in its log");
            PrometheusScrape agentMetrics = PrometheusScrape.of(new Http(url.group(1)));
            double shipped = agentMetrics.value("hearth_agent_profiles_shipped_total");
            assertTrue(shipped >= 2, "profiles shipped: " + shipped);
            assertTrue(agentMetrics.value("hearth_agent_cpu_samples_total") >= 2 * MIN_SAMPLES);
            assertTrue(agentMetrics.observations("hearth_agent_cycle_seconds") >= 2, "a period's end is timed");
            assertEquals(0, agentMetrics.value("hearth_agent_profiles_lost_total", "reason", "spool_full"));
            PrometheusScrape collectorMetrics = PrometheusScrape.of(collector.http);
            assertTrue(
                    collectorMetrics.value(
                                    "hearth_collector_ingest_requests_total", "format", "pprof", "result", "stored")
                            >= shipped,
                    "every profile the agent saw stored, the collector counted");
            assertTrue(collectorMetrics.observations("hearth_collector_query_seconds", "endpoint", "flamegraph") >= 2);
            assertEquals(1, collectorMetrics.observations("hearth_collector_query_seconds", "endpoint", "diff"));
            assertEquals(1, collectorMetrics.observations("hearth_collector_query_seconds", "endpoint", "timeline"));
        } finally {
            for (Process p : started) p.destroy();
            for (Process p : started) {
                if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
            }
        }
    }

    /** Polls the flame graph of one version until alpha and beta have MIN_SAMPLES samples; their totals by name. */
    private static Map<String, Double> awaitSamples(
            CollectorProcess collector, Process agent, Path agentLog, long from, String labels, long deadline)
            throws Exception {
        Map<String, Double> totals = Map.of();
        while (System.currentTimeMillis() < deadline) {
            Thread.sleep(1000);
            assertTrue(agent.isAlive(), "agent died: " + Files.readString(agentLog));
            Http.Reply r = collector.http.get(Http.query(
                    "/api/v1/flamegraph",
                    "service",
                    SERVICE,
                    "type",
                    "cpu",
                    "value",
                    "samples",
                    "from",
                    from - 60_000,
                    "until",
                    System.currentTimeMillis() + 60_000,
                    "labels",
                    labels));
            assertEquals(200, r.status(), r.text());
            totals = totalsByName(r.json(), "total");
            if (totals.getOrDefault(ALPHA, 0.0) + totals.getOrDefault(BETA, 0.0) >= MIN_SAMPLES) return totals;
        }
        return fail("no flame graph of " + labels + " with " + MIN_SAMPLES
                + " samples of alpha and beta in time; frames seen: " + totals + "\nagent log:\n"
                + Files.readString(agentLog));
    }

    private static void awaitLine(Process p, Path log, String text) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) return;
            assertTrue(p.isAlive(), "exited: " + Files.readString(log));
            Thread.sleep(200);
        }
        fail("no '" + text + "' within 120 s: " + Files.readString(log));
    }

    private static List<String> workload(int alpha, int beta, Path stop) {
        return javaCommand(List.of(
                "-XX:+PreserveFramePointer",
                "-XX:CompileCommand=quiet",
                "-XX:CompileCommand=dontinline,dev/hearth/it/Workload.*",
                Workload.class.getName(),
                String.valueOf(alpha),
                String.valueOf(beta),
                "2",
                stop.toString()));
    }

    private static List<String> javaCommand(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path")));
        cmd.addAll(args);
        return cmd;
    }

    private static Process start(List<Process> started, Path log, List<String> cmd, Map<String, String> env)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** Sum of one field (total or baseTotal) per frame name over the whole tree. */
    @SuppressWarnings("unchecked")
    static Map<String, Double> totalsByName(Map<String, Object> graph, String field) {
        Map<String, Double> out = new HashMap<>();
        List<Map<String, Object>> stack = new ArrayList<>(List.of((Map<String, Object>) graph.get("root")));
        while (!stack.isEmpty()) {
            Map<String, Object> n = stack.remove(stack.size() - 1);
            out.merge((String) n.get("name"), Http.num(n, field), Double::sum);
            stack.addAll((List<Map<String, Object>>) n.get("children"));
        }
        return out;
    }
}
