package dev.hearth.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.pprof.FoldedFormat;
import dev.hearth.pprof.ProfileCodec;
import dev.hearth.pprof.ProfileMerger;
import dev.hearth.pprof.proto.Profile;
import dev.hearth.testsupport.Privileges;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent, with the launcher's JVM options (its 512 KiB thread stacks, 128 MB heap), profiling a
 * program (run as nobody) whose hot functions carry mangled names built to break a demangler, next to
 * a victim.
 */
class AgentHostileSymbolsTest {
    /** What the doubling names print as, up to where they are cut. */
    private static final String DOUBLING_START =
            "f(P<A, A>, P<P<A, A>, P<A, A> >, P<P<P<A, A>, P<A, A> >, P<P<A, A>, P<A, A> > >";

    private static final String NESTED = "_Z1f" + "P".repeat(5000) + "v";

    @TempDir
    Path tmp;

    @BeforeEach
    void needsBpf() {
        Privileges.assumeRootOrCi("loads BPF programs");
    }

    @Test
    void hostileSymbolsAreCutOrKeptRawAndCountedWhileTheAgentGoesOn() throws Exception {
        Process hostile = Workloads.hostile(tmp, 120);
        Process victim = Workloads.c(tmp, 120);
        Process agent = null;
        Path log = tmp.resolve("agent.log");
        try (IngestReceiver receiver = new IngestReceiver().start(0)) {
            List<String> cmd = new ArrayList<>(List.of(Workloads.javaBin()));
            cmd.addAll(launcherAgentJavaOpts());
            cmd.addAll(List.of(
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
                    hostile.pid() + "," + victim.pid(),
                    "--jvm-mode",
                    "ebpf",
                    "--spool-dir",
                    tmp.resolve("spool").toString(),
                    "--run-dir",
                    tmp.resolve("run").toString(),
                    "--metrics-port",
                    "0"));
            agent = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            long deadline = System.currentTimeMillis() + 60_000;
            while (count(receiver, "hostile") < 3 || count(receiver, "split") < 3) {
                assertTrue(agent.isAlive(), "agent died: " + Files.readString(log));
                assertTrue(System.currentTimeMillis() < deadline, "no uploads: " + Files.readString(log));
                Thread.sleep(200);
            }
            assertTrue(agent.isAlive(), "agent keeps running: " + Files.readString(log));
            assertEquals(
                    "65534",
                    Files.readAllLines(Path.of("/proc/" + hostile.pid() + "/status")).stream()
                            .filter(l -> l.startsWith("Uid:"))
                            .findFirst()
                            .orElseThrow()
                            .split("\\s+")[1],
                    "the hostile program runs as nobody");
            String metrics = metrics(Files.readString(log));

            List<String> folded = FoldedFormat.write(merged(receiver, "hostile"), 0, false);
            List<String> doubling = Workloads.linesWith(folded, DOUBLING_START);
            assertFalse(doubling.isEmpty(), "the doubling names are sampled: " + brief(folded));
            for (String line : doubling) {
                List<String> frames = frames(line);
                String name = frames.stream()
                        .filter(f -> f.startsWith(DOUBLING_START))
                        .findFirst()
                        .orElseThrow();
                assertTrue(
                        name.endsWith("...") && name.length() <= 16 * 1024 + 3,
                        "cut with a mark: " + name.length() + " characters");
                assertTrue(
                        frames.contains("main") && frames.contains("__libc_start_call_main"),
                        "the rest of the stack is named: " + brief(List.of(line)));
            }
            List<String> nested = Workloads.linesWith(folded, NESTED.substring(0, 100));
            assertFalse(nested.isEmpty(), "the nested name is sampled: " + brief(folded));
            for (String line : nested) {
                List<String> frames = frames(line);
                String name = frames.stream()
                        .filter(f -> f.startsWith(NESTED.substring(0, 100)))
                        .findFirst()
                        .orElseThrow();
                // not demangled: the raw symbol, as much of it as the symbol reader keeps
                assertTrue(NESTED.startsWith(name), "kept raw, perhaps cut: " + name.length() + " characters");
                assertTrue(frames.contains("main"), "the rest of the stack is named: " + brief(List.of(line)));
            }
            System.out.println("hostile program, as the agent named it:\n  "
                    + brief(folded).replace("\n", "\n  "));

            long cut = metric(metrics, "hearth_agent_symbols_cut_total");
            assertTrue(cut >= 3, "the three names are counted: " + cut);
            assertEquals(0, metric(metrics, "hearth_agent_frame_failures_total"), "the bounds left nothing to catch");

            double[] s = Workloads.share(
                    FoldedFormat.write(merged(receiver, "split"), 0, false), "hot_seventy", "hot_thirty");
            assertEquals(0.70, s[0], 0.07, "the victim is still profiled (" + (long) s[1] + " samples)");
            String tail = Files.readString(log);
            assertFalse(tail.contains("StackOverflowError") || tail.contains("OutOfMemoryError"), tail);
        } finally {
            if (agent != null) agent.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            hostile.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            victim.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The JVM options the ./hearth launcher gives the agent. */
    static List<String> launcherAgentJavaOpts() throws Exception {
        Path launcher = Path.of("..", "hearth");
        Matcher m = Pattern.compile("(?m)^AGENT_JAVA_OPTS=\\$\\{AGENT_JAVA_OPTS:-\"([^\"]+)\"}")
                .matcher(Files.readString(launcher));
        assertTrue(m.find(), "AGENT_JAVA_OPTS in " + launcher.toAbsolutePath());
        List<String> opts = Arrays.asList(m.group(1).trim().split("\\s+"));
        assertTrue(opts.contains("-Xss512k"), "the launcher's stack size: " + opts);
        return opts;
    }

    private static long count(IngestReceiver r, String service) {
        return r.stored().stream()
                .filter(q -> service.equals(q.params().get("service")))
                .count();
    }

    private static Profile merged(IngestReceiver r, String service) throws Exception {
        List<Profile> ps = new ArrayList<>();
        for (IngestReceiver.Request q : r.stored()) {
            if (service.equals(q.params().get("service"))) ps.add(ProfileCodec.decode(q.body(), 64 << 20));
        }
        return ProfileMerger.merge(ps);
    }

    /** A folded line's frames, root first. */
    private static List<String> frames(String line) {
        return List.of(line.substring(0, line.lastIndexOf(' ')).split(";"));
    }

    /** Folded lines with long frames shortened, one a line, for messages. */
    private static String brief(List<String> folded) {
        return String.join(
                "\n",
                folded.stream()
                        .map(l -> l.replaceAll("([^;]{60})[^;]{20,}", "$1…"))
                        .toList());
    }

    private static String metrics(String log) throws Exception {
        Matcher m = Pattern.compile("metrics on (http://\\S+/metrics)").matcher(log);
        assertTrue(m.find(), "metrics address in the log: " + log);
        try (InputStream in = URI.create(m.group(1)).toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static long metric(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics);
        assertTrue(m.find(), name + " in " + metrics);
        return (long) Double.parseDouble(m.group(1));
    }
}
