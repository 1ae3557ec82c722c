package dev.hearth.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.agent.proc.ProcessScanner;
import dev.hearth.agent.proc.ServiceNamer;
import dev.hearth.agent.ship.Upload;
import dev.hearth.bpf.ProfilerConfig;
import dev.hearth.symbolizer.Symbolizer;
import dev.hearth.symbolizer.SymbolizerOptions;
import dev.hearth.testsupport.Privileges;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The agent's loop with real eBPF over the whole host while a script runs many short commands:
 * they are shipped under the one short-lived service with their comm, the script under its own.
 */
class ShortLivedServiceTest {
    @Test
    void aScriptsShortCommandsShareOneService() throws Exception {
        Privileges.assumeRootOrCi("eBPF sampling");
        Duration period = Duration.ofSeconds(1);
        List<Upload> uploads = Collections.synchronizedList(new ArrayList<>());
        // each dash burns about 50-100 ms of CPU, well within a period
        Process script = new ProcessBuilder(
                        "bash",
                        "-c",
                        "for n in $(seq 40); do dash -c 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done'; done")
                .start();
        try (Symbolizer symbolizer = new Symbolizer(SymbolizerOptions.defaults());
                BpfSampleSource bpf =
                        BpfSampleSource.start(ProfilerConfig.defaults().withDrainPeriod(period))) {
            AgentLoop loop = new AgentLoop(
                    new AgentLoop.Settings(period, 0, "test-host", LabelSet.EMPTY, 99, List.of()),
                    bpf,
                    new SymbolizingResolver(symbolizer),
                    ProcessScanner.system(),
                    ProfileSources.EBPF,
                    uploads::add,
                    new Metrics());
            Thread t = new Thread(loop, "agent-loop");
            t.start();
            script.waitFor(60, TimeUnit.SECONDS);
            loop.stop();
            t.join(10_000);
        } finally {
            script.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        List<Upload> dash;
        synchronized (uploads) {
            dash = uploads.stream()
                    .filter(u -> "dash".equals(u.labels().get("comm")))
                    .toList();
        }
        assertFalse(dash.isEmpty(), "the short commands were sampled");
        long bucketed = dash.stream()
                .filter(u -> ServiceNamer.SHORT_LIVED_SERVICE.equals(u.service()))
                .count();
        assertTrue(
                bucketed * 2 > dash.size(),
                "most short commands are in the short-lived service: " + bucketed + " of " + dash.size());
        assertTrue(
                dash.stream()
                        .allMatch(u -> u.service().equals(ServiceNamer.SHORT_LIVED_SERVICE)
                                || u.service().equals("dash")),
                "else under their executable: "
                        + dash.stream().map(Upload::service).distinct().toList());
    }
}
