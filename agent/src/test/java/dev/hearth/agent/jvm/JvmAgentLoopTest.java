package dev.hearth.agent.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.agent.AgentLoop;
import dev.hearth.agent.BpfSampleSource;
import dev.hearth.agent.LabelSet;
import dev.hearth.agent.Metrics;
import dev.hearth.agent.SymbolizingResolver;
import dev.hearth.agent.proc.ProcessInfo;
import dev.hearth.agent.proc.ProcessScanner;
import dev.hearth.agent.ship.Upload;
import dev.hearth.bpf.ProfilerConfig;
import dev.hearth.pprof.ProfileCodec;
import dev.hearth.pprof.ProfileReader;
import dev.hearth.pprof.proto.Profile;
import dev.hearth.symbolizer.Symbolizer;
import dev.hearth.symbolizer.SymbolizerOptions;
import dev.hearth.testsupport.Privileges;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The agent's loop with real eBPF sampling and two JVMs in auto mode: one gets async-profiler,
 * the other (attach disabled) stays with eBPF. Each JVM's on-CPU time arrives from one source.
 */
class JvmAgentLoopTest {
    static final Duration PERIOD = Duration.ofSeconds(2);

    @Test
    void autoModeProfilesEachJvmFromOneSourceAndLabelsWhich() throws Exception {
        Privileges.assumeRootOrCi("eBPF sampling");
        try (WorkloadJvm attachable = WorkloadJvm.jdk17("-XX:+PreserveFramePointer");
                WorkloadJvm disabled = WorkloadJvm.jdk17("-XX:+PreserveFramePointer", "-XX:+DisableAttachMechanism")) {
            Set<Integer> pids = Set.of(attachable.pid(), disabled.pid());
            Metrics metrics = new Metrics();
            AsyncProfilerOptions options = new AsyncProfilerOptions(
                    Duration.ofMillis(10), 512 * 1024, Duration.ofMillis(10), null, Duration.ofSeconds(1));
            AsyncProfilerLibrary library = AsyncProfilerLibrary.fromClasspath();
            PerfMapRequests perfMaps = new PerfMapRequests();
            JvmProfileSources sources = new JvmProfileSources(
                    new JvmModeSelector(
                            JvmMode.AUTO, pid -> AsyncProfilerSession.start(JvmTarget.of(pid), library, options)),
                    pids,
                    metrics,
                    perfMaps);
            List<Upload> uploads = Collections.synchronizedList(new ArrayList<>());
            attachable.send("cpu 100000");
            disabled.send("cpu 100000");
            try (Symbolizer symbolizer =
                            new Symbolizer(new SymbolizerOptions(true, 64, Duration.ofSeconds(1)), perfMaps);
                    BpfSampleSource bpf = BpfSampleSource.start(
                            ProfilerConfig.defaults().withPids(pids).withDrainPeriod(PERIOD))) {
                AgentLoop loop = new AgentLoop(
                        new AgentLoop.Settings(PERIOD, 0, "test-host", LabelSet.EMPTY, 99, List.of()),
                        bpf,
                        new SymbolizingResolver(symbolizer),
                        ProcessScanner.system(),
                        sources,
                        uploads::add,
                        metrics);
                Thread t = new Thread(loop, "agent-loop");
                t.start();
                long attachedAt = waitForLabel(sources, attachable.pid(), "async-profiler");
                waitForLabel(sources, disabled.pid(), "ebpf");
                long deadline = System.currentTimeMillis() + 40_000;
                while (System.currentTimeMillis() < deadline
                        && (cpuAfter(uploads, attachable.pid(), attachedAt).size() < 2
                                || cpuAfter(uploads, disabled.pid(), attachedAt).size() < 2)) {
                    Thread.sleep(100);
                }
                loop.stop();
                t.join(10_000);
                sources.close();

                // Periods that began once the choice was made; before it, eBPF reported the JVM.
                List<Upload> viaAsync = cpuAfter(uploads, attachable.pid(), attachedAt);
                List<Upload> viaEbpf = cpuAfter(uploads, disabled.pid(), attachedAt);
                assertFalse(viaAsync.isEmpty(), "no cpu profile of the attached JVM");
                assertFalse(viaEbpf.isEmpty(), "no cpu profile of the JVM with attach disabled");
                assertTrue(viaAsync.stream()
                        .allMatch(u -> "async-profiler".equals(u.labels().get(JvmChoice.LABEL))));
                assertTrue(viaEbpf.stream()
                        .allMatch(u -> "ebpf".equals(u.labels().get(JvmChoice.LABEL))));
                List<Upload> allOfAttachable = cpuAfter(uploads, attachable.pid(), 0);
                assertEquals(
                        allOfAttachable.size(),
                        allOfAttachable.stream()
                                .map(Upload::fromMs)
                                .collect(Collectors.toSet())
                                .size(),
                        "two cpu profiles of one JVM in one period, the one async-profiler started in too");
                assertTrue(
                        allOfAttachable.stream().noneMatch(u -> u.labels().get(FrameAdvice.LABEL) != null),
                        "its frames are named");
                assertTrue(
                        viaEbpf.stream()
                                .allMatch(u -> FrameAdvice.ATTACH_DISABLED.equals(
                                        u.labels().get(FrameAdvice.LABEL))),
                        "the JVM that cannot be attached says why its Java frames are [jit]");
                assertTrue(viaAsync.stream().anyMatch(u -> names(u).contains(JvmWorkload.class.getName() + ".heavy")));
                assertTrue(metrics.render().contains("hearth_agent_jfr_recordings_total{result=\"converted\"}"));
            }
            assertFalse(
                    Files.exists(JvmTarget.of(attachable.pid())
                            .hostPath(AsyncProfilerLibrary.TARGET_DIR + "/" + attachable.pid())),
                    "session files left");
        }
    }

    static List<Upload> cpuAfter(List<Upload> uploads, int pid, long fromMs) {
        synchronized (uploads) {
            return uploads.stream()
                    .filter(u -> u.fromMs() >= fromMs
                            && u.type().equals("cpu")
                            && Integer.toString(pid).equals(u.labels().get("pid")))
                    .toList();
        }
    }

    static Set<String> names(Upload u) {
        try {
            Profile p = ProfileCodec.decode(u.body(), ProfileCodec.DEFAULT_MAX_DECOMPRESSED);
            return ProfileReader.samples(p).stream()
                    .flatMap(s -> s.stack().stream())
                    .map(f -> f.name())
                    .collect(Collectors.toSet());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Waits for the JVM's choice; returns when it was seen. */
    static long waitForLabel(JvmProfileSources sources, int pid, String profiler) throws InterruptedException {
        ProcessInfo p = new ProcessInfo(pid, 0, "java", "java", null, true, false);
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (profiler.equals(sources.labels(p).get(JvmChoice.LABEL))) return System.currentTimeMillis();
            Thread.sleep(50);
        }
        throw new AssertionError("JVM " + pid + " never chose " + profiler + ": " + sources.labels(p));
    }
}
