package dev.hearth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.collector.Http;
import dev.hearth.testsupport.Privileges;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./hearth up} and {@code --version} of the launcher in the source tree, with the jars this
 * build packaged: up says it needs no build, passes each flag to the command that takes it, fails
 * when another process holds its port, and stops both processes cleanly on Ctrl-C.
 */
class LauncherUpTest {
    private static final Pattern UP = Pattern.compile(
            "Hearth is up: UI at (http://127\\.0\\.0\\.1:(\\d+))/ +\\(agent metrics on (http://\\S+/metrics);");

    @TempDir
    Path dir;

    static Path project;
    static String target;

    @BeforeAll
    static void findTheProject() throws Exception {
        // this class's folder: <project>/integration-tests/<target>/test-classes
        Path classes = Path.of(LauncherUpTest.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        project = classes.getParent().getParent().getParent();
        target = classes.getParent().getFileName().toString();
    }

    @Test
    void everyCommandPrintsTheVersion() throws Exception {
        for (List<String> args : List.of(
                List.of("--version"),
                List.of("version"),
                List.of("agent", "--version"),
                List.of("record", "--version"),
                List.of("query", "--version"),
                List.of("query", "flamegraph", "--version"),
                List.of("collector", "--version"))) {
            List<String> cmd = new ArrayList<>(List.of(project.resolve("hearth").toString()));
            cmd.addAll(args);
            Process p =
                    launcher(new ProcessBuilder(cmd)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), args + ": " + out);
            assertTrue(
                    out.strip().matches("hearth (collector )?\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"),
                    args + ": '" + out + "'");
        }
    }

    /** An older process holds the port: up fails with the new collector's own words, never "up" against the old one. */
    @Test
    void aCollectorThatCannotListenFailsUp() throws Exception {
        try (ServerSocket old = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Process up = launcher(new ProcessBuilder(
                            project.resolve("hearth").toString(),
                            "up",
                            "--port",
                            Integer.toString(old.getLocalPort()),
                            "--data",
                            dir.resolve("data").toString()))
                    .redirectErrorStream(true)
                    .start();
            String out = new String(up.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(up.waitFor(120, TimeUnit.SECONDS));
            assertEquals(1, up.exitValue(), out);
            assertTrue(out.contains("hearth: the build is up to date"), out);
            assertTrue(
                    out.contains("the collector exited before it was ready") && out.contains("Address already in use"),
                    out);
            assertFalse(out.contains("Hearth is up"), out);
        }
    }

    @Test
    void upPassesEachFlagToItsCommandAndCtrlCStopsBoth() throws Exception {
        Privileges.assumeRootOrCi("the agent loads BPF programs");
        Process target = new ProcessBuilder("sleep", "300").start();
        // Ctrl-C reaches the launcher as SIGINT; a signal ignored when bash starts cannot be trapped, so it starts with
        // the default
        Process up = launcher(new ProcessBuilder(
                        "env",
                        "--default-signal=INT",
                        project.resolve("hearth").toString(),
                        "up",
                        "--port",
                        "0",
                        "--data",
                        dir.resolve("data").toString(),
                        "--offcpu",
                        "--async-profiler-alloc",
                        "512k",
                        "--pid",
                        Long.toString(target.pid()),
                        "--run-dir",
                        dir.resolve("run").toString(),
                        "--spool-dir",
                        dir.resolve("spool").toString(),
                        "--period=2s"))
                .redirectErrorStream(true)
                .start();
        StringBuilder log = new StringBuilder();
        try {
            Matcher m = awaitUp(up, log);
            assertTrue(log.toString().contains("hearth: the build is up to date"), log.toString());
            int port = Integer.parseInt(m.group(2));
            assertEquals(200, new Http(port).get("/api/v1/services").status());
            HttpResponse<String> metrics = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(URI.create(m.group(3))).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(
                    metrics.body().contains("hearth_agent_periods_total"),
                    "the agent's metrics port, a free one, is the one printed");
            List<ProcessHandle> children = up.toHandle().children().toList();
            assertEquals(2, children.size(), children.toString());
            String agent = children.stream()
                    .map(c -> c.info().commandLine().orElse(""))
                    .filter(c -> c.contains("dev.hearth.agent.Main"))
                    .findFirst()
                    .orElseThrow();
            for (String flag : List.of(
                    "--offcpu",
                    "--async-profiler-alloc 512k",
                    "--pid " + target.pid(),
                    "--period=2s",
                    "--metrics-port 0",
                    "--collector http://127.0.0.1:" + port)) {
                assertTrue(agent.contains(flag), flag + " reaches the agent: " + agent);
            }
            String collector = children.stream()
                    .map(c -> c.info().commandLine().orElse(""))
                    .filter(c -> c.contains("dev.hearth.collector.Main"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(
                    collector.contains("--port 0") && collector.contains("--data " + dir.resolve("data")), collector);
            assertFalse(collector.contains("--offcpu"), collector);

            new ProcessBuilder("kill", "-INT", Long.toString(up.pid())).start().waitFor();
            assertTrue(up.waitFor(60, TimeUnit.SECONDS), "Ctrl-C stops up: " + log);
            Thread.sleep(200); // the output reader's last lines
            for (ProcessHandle c : children)
                assertFalse(c.isAlive(), "stopped: " + c.info().commandLine().orElse(""));
            String out;
            synchronized (log) {
                out = log.toString();
            }
            assertTrue(out.contains("hearth: stopped"), out);
            assertFalse(out.contains("unbound variable"), out);
            assertTrue(
                    Files.readString(dir.resolve("logs/agent.log")).contains("hearth agent: stopped"),
                    "the agent stopped on its own terms");
        } finally {
            up.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            target.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private ProcessBuilder launcher(ProcessBuilder pb) {
        pb.environment().put("HEARTH_TARGET", target);
        pb.environment().put("HEARTH_LOG_DIR", dir.resolve("logs").toString());
        return pb;
    }

    private static Matcher awaitUp(Process up, StringBuilder log) throws Exception {
        CompletableFuture<Matcher> ready = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader out =
                            new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = out.readLine()) != null; ) {
                            synchronized (log) {
                                log.append(line).append('\n');
                            }
                            Matcher m = UP.matcher(line);
                            if (m.find()) ready.complete(m);
                        }
                    } catch (Exception gone) {
                        // the launcher went away
                    }
                    ready.completeExceptionally(new IllegalStateException("up ended before it was up:\n" + log));
                },
                "up-output");
        reader.setDaemon(true);
        reader.start();
        Matcher m = ready.get(180, TimeUnit.SECONDS);
        assertNotNull(m);
        return m;
    }
}
