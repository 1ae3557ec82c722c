package dev.hearth.bpf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.testsupport.Privileges;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OffCpuTest {
    @BeforeAll
    static void root() {
        Privileges.assumeRootOrCi("loads BPF programs");
    }

    @Test
    void twentySleepsOf100msInAFunctionGiveTwoSecondsOnItsStack() throws Exception {
        try (Workload w = Workload.startRealtime("block", "20", "100");
                BpfProfiler p = BpfProfiler.start(ProfilerConfig.defaults()
                        .withOnCpu(false)
                        .withOffCpu(true)
                        .withPids(Set.of(w.pid())))) {
            long[] blockFn = w.functionRange("block_fn");
            w.go();
            w.awaitDone();
            List<RawSample> samples = p.drain();
            long inBlockFn = Samples.sumWithFrameIn(samples, w.pid(), SampleType.OFF_CPU, blockFn);
            System.out.printf(
                    "off-CPU in block_fn: %.3f s of %.3f s total; unended intervals %d%n",
                    inBlockFn / 1e9, Samples.sum(samples, w.pid(), SampleType.OFF_CPU) / 1e9, p.unendedIntervals());
            assertTrue(
                    inBlockFn >= 1.8e9 && inBlockFn <= 2.2e9,
                    "off-CPU in block_fn " + inBlockFn + " ns, expected 2 s ± 10%");
            assertTrue(
                    samples.stream()
                            .filter(s -> s.type() == SampleType.OFF_CPU)
                            .allMatch(s -> s.kernelStack().length > 0),
                    "off-CPU samples carry the kernel stack");
        }
    }

    @Test
    void blocksShorterThanTheMinimumAreNotCounted() throws Exception {
        try (Workload w = Workload.startRealtime("block", "20", "10");
                BpfProfiler p = BpfProfiler.start(ProfilerConfig.defaults()
                        .withOnCpu(false)
                        .withOffCpu(true)
                        .withMinBlockNs(50_000_000)
                        .withPids(Set.of(w.pid())))) {
            long[] blockFn = w.functionRange("block_fn");
            w.go();
            w.awaitDone();
            List<RawSample> samples = p.drain();
            assertTrue(
                    Samples.sumWithFrameIn(samples, w.pid(), SampleType.OFF_CPU, blockFn) == 0,
                    "10 ms blocks counted despite a 50 ms minimum");
        }
    }
}
