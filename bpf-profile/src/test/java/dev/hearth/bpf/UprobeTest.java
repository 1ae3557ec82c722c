package dev.hearth.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.testsupport.Privileges;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UprobeTest {
    @BeforeAll
    static void root() {
        Privileges.assumeRootOrCi("loads BPF programs");
    }

    @Test
    void nCallsGiveExactlyNCounts() throws Exception {
        int n = 12_345;
        try (Workload w = Workload.start("calls", Integer.toString(n));
                BpfProfiler p = BpfProfiler.start(uprobes(w, "call_fn", false))) {
            long[] mainFn = w.functionRange("main");
            long[] callFn = w.functionRange("call_fn");
            w.go();
            w.awaitDone();
            List<RawSample> samples = p.drain();
            assertEquals(n, Samples.sum(samples, w.pid(), SampleType.UPROBE_CALLS));
            // leaf: call_fn's entry; next: its caller main, which the frame-pointer walk alone would skip
            assertTrue(
                    samples.stream()
                            .filter(s -> s.type() == SampleType.UPROBE_CALLS)
                            .allMatch(s -> s.userStack().length >= 2
                                    && s.userStack()[0] == callFn[0]
                                    && Samples.contains(new long[] {s.userStack()[1]}, mainFn)),
                    "stacks: call_fn <- main");
            assertTrue(samples.stream().allMatch(s -> s.probe() == 0));
        }
    }

    @Test
    void latencyProbesTimeEachCall() throws Exception {
        try (Workload w = Workload.startRealtime("slowcalls", "10", "20");
                BpfProfiler p = BpfProfiler.start(uprobes(w, "slow_fn", true))) {
            w.go();
            w.awaitDone();
            List<RawSample> samples = p.drain();
            assertEquals(10, Samples.sum(samples, w.pid(), SampleType.UPROBE_CALLS));
            long ns = Samples.sum(samples, w.pid(), SampleType.UPROBE_LATENCY);
            assertTrue(ns >= 200_000_000L && ns < 300_000_000L, "10 calls of 20 ms took " + ns + " ns");
            assertEquals(0, p.unendedIntervals());
        }
    }

    static ProfilerConfig uprobes(Workload w, String symbol, boolean latency) throws Exception {
        return ProfilerConfig.defaults()
                .withOnCpu(false)
                .withUprobes(List.of(new UprobeSpec(Workload.binary().toString(), symbol, latency)))
                .withPids(Set.of(w.pid()));
    }
}
