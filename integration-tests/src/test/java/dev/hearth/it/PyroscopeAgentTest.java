package dev.hearth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.hearth.collector.CollectorProcess;
import dev.hearth.collector.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Pyroscope Java agent ({@code io.pyroscope:agent}, attached with {@code -javaagent})
 * profiles the alpha 3 : beta 1 workload and pushes JFR to a real collector's {@code /ingest} with
 * a Bearer token, as it would push to Pyroscope. Hearth's flame graph shows the split within ±5
 * points, under the service the agent names, with the agent's static labels.
 */
class PyroscopeAgentTest {
    static final String SERVICE = "pyro-shop";

    @TempDir
    Path dir;

    @Test
    void agentPushesAndTheSplitShowsWithItsLabels() throws Exception {
        Path agentJar = Path.of(Class.forName(
                        "io.pyroscope.javaagent.PyroscopeAgent",
                        false,
                        getClass().getClassLoader())
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Path stop = dir.resolve("stop");
        Path log = dir.resolve("workload.log");
        try (CollectorProcess collector = CollectorProcess.start(dir.resolve("data"))) {
            ProcessBuilder pb = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-javaagent:" + agentJar,
                            "-XX:CompileCommand=quiet",
                            "-XX:CompileCommand=dontinline,dev/hearth/it/Workload.*",
                            "-cp",
                            System.getProperty("java.class.path"),
                            Workload.class.getName(),
                            "3",
                            "1",
                            "2",
                            stop.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment()
                    .putAll(Map.of(
                            "PYROSCOPE_APPLICATION_NAME", SERVICE,
                            "PYROSCOPE_SERVER_ADDRESS", "http://127.0.0.1:" + collector.port,
                            "PYROSCOPE_AUTH_TOKEN", collector.token,
                            "PYROSCOPE_UPLOAD_INTERVAL", "2s",
                            "PYROSCOPE_PROFILER_EVENT", "itimer",
                            "PYROSCOPE_LABELS", "env=ci,region=eu",
                            "PYROSCOPE_LOG_LEVEL", "debug"));
            long start = System.currentTimeMillis();
            Process workload = pb.start();
            try {
                Map<String, Double> totals = awaitSamples(collector, workload, log, start, start + 90_000);
                double a = totals.getOrDefault(EndToEndTest.ALPHA, 0.0),
                        b = totals.getOrDefault(EndToEndTest.BETA, 0.0);
                assertEquals(0.75, a / (a + b), 0.05, "alpha's share of alpha + beta (" + a + " : " + b + ")");

                @SuppressWarnings("unchecked")
                List<Map<String, Object>> services = (List<Map<String, Object>>)
                        collector.http.get("/api/v1/services").json().get("services");
                Map<String, Object> shop = services.stream()
                        .filter(s -> SERVICE.equals(s.get("name")))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no service " + SERVICE + " in " + services));
                assertTrue(
                        ((List<?>) shop.get("labels")).containsAll(List.of("env", "region")),
                        "label keys " + shop.get("labels"));
                assertEquals(
                        List.of("ci"),
                        collector
                                .http
                                .get(Http.query("/api/v1/labels", "service", SERVICE, "key", "env"))
                                .json()
                                .get("values"));
                Map<String, Object> eu = collector
                        .http
                        .get(Http.query(
                                "/api/v1/flamegraph",
                                "service",
                                SERVICE,
                                "type",
                                "cpu",
                                "from",
                                start - 60_000,
                                "until",
                                System.currentTimeMillis() + 60_000,
                                "labels",
                                "region=eu"))
                        .json();
                assertTrue(Http.num(eu, "total") > 0, "nothing under region=eu: " + eu);
            } finally {
                Files.writeString(stop, "");
                if (!workload.waitFor(20, TimeUnit.SECONDS))
                    workload.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void dynamicLabelsFromTheLabelsPartSplitTheProfile() throws Exception {
        Path agentJar = Path.of(Class.forName(
                        "io.pyroscope.javaagent.PyroscopeAgent",
                        false,
                        getClass().getClassLoader())
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Path stop = dir.resolve("stop");
        Path log = dir.resolve("labelled.log");
        try (CollectorProcess collector = CollectorProcess.start(dir.resolve("data"))) {
            ProcessBuilder pb = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-javaagent:" + agentJar,
                            "-XX:CompileCommand=quiet",
                            "-XX:CompileCommand=dontinline,dev/hearth/it/Workload.*",
                            "-cp",
                            System.getProperty("java.class.path"),
                            LabelledWorkload.class.getName(),
                            stop.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment()
                    .putAll(Map.of(
                            "PYROSCOPE_APPLICATION_NAME",
                            SERVICE,
                            "PYROSCOPE_SERVER_ADDRESS",
                            "http://127.0.0.1:" + collector.port,
                            "PYROSCOPE_AUTH_TOKEN",
                            collector.token,
                            "PYROSCOPE_UPLOAD_INTERVAL",
                            "2s",
                            "PYROSCOPE_PROFILER_EVENT",
                            "itimer"));
            long start = System.currentTimeMillis();
            Process workload = pb.start();
            try {
                Map<String, Double> alpha = Map.of(), beta = Map.of();
                long deadline = start + 90_000;
                while (System.currentTimeMillis() < deadline) {
                    Thread.sleep(1000);
                    assertTrue(workload.isAlive(), "workload died: " + Files.readString(log));
                    alpha = byPhase(collector, "alpha", start);
                    beta = byPhase(collector, "beta", start);
                    if (alpha.getOrDefault(EndToEndTest.ALPHA, 0.0) >= 100
                            && beta.getOrDefault(EndToEndTest.BETA, 0.0) >= 100) break;
                }
                assertTrue(
                        alpha.getOrDefault(EndToEndTest.ALPHA, 0.0) >= 100
                                && beta.getOrDefault(EndToEndTest.BETA, 0.0) >= 100,
                        "phase=alpha " + alpha + "\nphase=beta " + beta + "\n" + Files.readString(log));
                assertEquals(0.0, alpha.getOrDefault(EndToEndTest.BETA, 0.0), "beta under phase=alpha: " + alpha);
                assertEquals(0.0, beta.getOrDefault(EndToEndTest.ALPHA, 0.0), "alpha under phase=beta: " + beta);
            } finally {
                Files.writeString(stop, "");
                if (!workload.waitFor(20, TimeUnit.SECONDS))
                    workload.destroyForcibly().waitFor();
            }
        }
    }

    private static Map<String, Double> byPhase(CollectorProcess collector, String phase, long start) throws Exception {
        Http.Reply r = collector.http.get(Http.query(
                "/api/v1/flamegraph",
                "service",
                SERVICE,
                "type",
                "cpu",
                "value",
                "samples",
                "from",
                start - 60_000,
                "until",
                System.currentTimeMillis() + 60_000,
                "labels",
                "phase=" + phase));
        return r.status() == 200 ? EndToEndTest.totalsByName(r.json(), "total") : Map.of();
    }

    /** Polls the flame graph until alpha and beta have enough samples; their totals by frame name. */
    private static Map<String, Double> awaitSamples(
            CollectorProcess collector, Process workload, Path log, long start, long deadline) throws Exception {
        Map<String, Double> totals = Map.of();
        while (System.currentTimeMillis() < deadline) {
            Thread.sleep(1000);
            assertTrue(workload.isAlive(), "workload died: " + Files.readString(log));
            Http.Reply r = collector.http.get(Http.query(
                    "/api/v1/flamegraph",
                    "service",
                    SERVICE,
                    "type",
                    "cpu",
                    "value",
                    "samples",
                    "from",
                    start - 60_000,
                    "until",
                    System.currentTimeMillis() + 60_000));
            if (r.status() == 200) {
                totals = EndToEndTest.totalsByName(r.json(), "total");
                if (totals.getOrDefault(EndToEndTest.ALPHA, 0.0) + totals.getOrDefault(EndToEndTest.BETA, 0.0)
                        >= EndToEndTest.MIN_SAMPLES) {
                    return totals;
                }
            }
        }
        return fail("no flame graph with " + EndToEndTest.MIN_SAMPLES
                + " samples of alpha and beta in 90 s; frames seen: " + totals + "\nworkload log:\n"
                + Files.readString(log) + "\ncollector log:\n" + collector.output());
    }
}
