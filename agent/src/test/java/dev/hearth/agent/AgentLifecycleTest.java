package dev.hearth.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.testsupport.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents and record on one host, as real processes around one real JVM: a second agent exits at once
 * naming the first, which keeps profiling; record leaves the agent's profiler alone and records the
 * JVM through eBPF; only once an agent is gone does the next one stop the profiler it left running.
 */
class AgentLifecycleTest {
    static final long PERIOD_MS = 2000;

    @TempDir
    Path tmp;

    @BeforeEach
    void needsBpf() {
        Privileges.assumeRootOrCi("loads BPF programs and attaches to JVMs");
    }

    @Test
    void oneAgentPerHostAndRecordNeverTakesOverAnAgentsJvm() throws Exception {
        Path run = tmp.resolve("run");
        Process jvm = Workloads.jvm(180);
        List<Process> agents = new ArrayList<>();
        try (IngestReceiver receiver = new IngestReceiver().start(0)) {
            Process first = agent(agents, receiver, run, jvm, "first");
            awaitAsyncProfiles(receiver, jvm, System.currentTimeMillis() - 60_000, first, "first");

            // a second agent on the same host: it exits at once, non-zero, naming the first
            long secondAt = System.currentTimeMillis();
            Process second = agent(agents, receiver, run, jvm, "second");
            assertTrue(second.waitFor(30, TimeUnit.SECONDS), "the second agent keeps running");
            String secondLog = log("second");
            assertNotEquals(0, second.exitValue(), secondLog);
            assertTrue(
                    secondLog.contains("another agent is running on this host (pid " + first.pid() + ";"), secondLog);
            assertFalse(secondLog.contains("profiling pids"), "the second agent started profiling: " + secondLog);
            // the first goes on: profiles of its JVM from async-profiler begun after the second one came and went
            awaitAsyncProfiles(receiver, jvm, secondAt, first, "first");

            // record against that JVM: through eBPF, saying so, the agent's profiler left running
            Path folded = tmp.resolve("record.folded");
            Process record = new ProcessBuilder(
                            Workloads.javaBin(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            Main.class.getName(),
                            "record",
                            "--pid",
                            Long.toString(jvm.pid()),
                            "--duration",
                            "3s",
                            "--run-dir",
                            run.toString(),
                            "-o",
                            folded.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("record.log").toFile())
                    .start();
            assertTrue(record.waitFor(60, TimeUnit.SECONDS), "record ends");
            String recordLog = Files.readString(tmp.resolve("record.log"));
            assertEquals(0, record.exitValue(), recordLog);
            assertTrue(
                    recordLog.contains("JVM " + jvm.pid() + " is profiled by the running agent (pid " + first.pid()
                            + ") with async-profiler; recording through eBPF"),
                    recordLog);
            assertFalse(
                    Workloads.linesWith(Files.readAllLines(folded), "SplitWorkload.hot")
                            .isEmpty(),
                    "record sampled the JVM");
            long afterRecord = System.currentTimeMillis();
            awaitAsyncProfiles(receiver, jvm, afterRecord, first, "first");
            assertFalse(log("first").contains("left running"), log("first"));

            // the first agent dies without stopping its profiler; the next agent, seeing it gone, takes the JVM over
            first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            long killedAt = System.currentTimeMillis();
            Process third = agent(agents, receiver, run, jvm, "third");
            awaitAsyncProfiles(receiver, jvm, killedAt, third, "third");
            assertTrue(
                    log("third")
                            .contains(
                                    "JVM " + jvm.pid() + ": stopping a profiler left running by an agent that is gone"),
                    log("third"));
        } finally {
            for (Process a : agents) a.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process agent(List<Process> agents, IngestReceiver receiver, Path run, Process jvm, String name)
            throws Exception {
        Process p = new ProcessBuilder(
                        Workloads.javaBin(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "agent",
                        "--collector",
                        "http://127.0.0.1:" + receiver.port(),
                        "--period",
                        PERIOD_MS / 1000 + "s",
                        "--pid",
                        Long.toString(jvm.pid()),
                        "--jvm-mode",
                        "async-profiler",
                        "--run-dir",
                        run.toString(),
                        "--spool-dir",
                        tmp.resolve("spool-" + name).toString(),
                        "--metrics-port",
                        "-1")
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile())
                .start();
        agents.add(p);
        return p;
    }

    /** Waits for two cpu profiles of the JVM from async-profiler whose period began at {@code fromMs} or later. */
    private void awaitAsyncProfiles(IngestReceiver receiver, Process jvm, long fromMs, Process agent, String name)
            throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        for (; ; ) {
            long n = receiver.stored().stream()
                    .filter(r -> Long.parseLong(r.params().get("from")) >= fromMs
                            && "cpu".equals(r.params().get("type")))
                    .map(r -> LabelSet.parse(r.params().get("labels")))
                    .filter(l -> Long.toString(jvm.pid()).equals(l.get("pid"))
                            && "async-profiler".equals(l.get("jvm_profiler")))
                    .count();
            if (n >= 2) return;
            assertTrue(agent.isAlive(), "agent " + name + " died: " + log(name));
            assertTrue(
                    System.currentTimeMillis() < deadline,
                    "no async-profiler profiles from agent " + name + ": " + log(name));
            Thread.sleep(200);
        }
    }

    private String log(String name) throws Exception {
        return Files.readString(tmp.resolve(name + ".log"));
    }
}
