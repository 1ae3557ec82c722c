package dev.hearth.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.testsupport.Privileges;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnCpuTest {
    @BeforeAll
    static void root() {
        Privileges.assumeRootOrCi("loads BPF programs");
    }

    @Test
    void spinningProcessGetsHzTimesItsCpuSecondsAndASleeperAlmostNone() throws Exception {
        try (Workload spinner = Workload.startRealtime("spin", "5000");
                Workload sleeper = Workload.start("sleep", "5000");
                BpfProfiler p =
                        BpfProfiler.start(ProfilerConfig.defaults().withPids(Set.of(spinner.pid(), sleeper.pid())))) {
            double cpuBefore = spinner.cpuSeconds();
            long nsBefore = spinner.cpuNanos();
            spinner.go();
            sleeper.go();
            spinner.awaitDone();
            sleeper.awaitDone();
            double cpu = spinner.cpuSeconds() - cpuBefore;
            double precise = (spinner.cpuNanos() - nsBefore) / 1e9;
            List<RawSample> samples = p.drain();

            long spun = Samples.sum(samples, spinner.pid(), SampleType.ON_CPU);
            double expected = 99 * cpu;
            System.out.printf(
                    "on-CPU: %d samples for %.2f CPU s (schedstat %.3f s; expected %.0f), sleeper %d%n",
                    spun, cpu, precise, expected, Samples.sum(samples, sleeper.pid(), SampleType.ON_CPU));
            assertTrue(cpu > 0.3, "spinner got too little CPU to judge: " + cpu);
            assertTrue(
                    spun >= 0.9 * expected && spun <= 1.1 * expected,
                    spun + " samples, expected 0.9..1.1 x " + expected);
            assertTrue(Samples.sum(samples, sleeper.pid(), SampleType.ON_CPU) <= 2, "sleeper sampled on CPU");
            long[] spinFn = spinner.functionRange("spin_fn");
            long inSpinFn = Samples.sumWithFrameIn(samples, spinner.pid(), SampleType.ON_CPU, spinFn);
            assertTrue(inSpinFn >= 0.9 * spun, "only " + inSpinFn + " of " + spun + " samples in spin_fn");
            assertTrue(samples.stream()
                    .filter(s -> s.tgid() == spinner.pid())
                    .allMatch(s -> s.comm().equals("workload")));
        }
    }

    @Test
    void otherProcessesAreFilteredOutInTheKernel() throws Exception {
        try (Workload target = Workload.start("spin", "2000");
                Workload other = Workload.start("spin", "1000");
                BpfProfiler p = BpfProfiler.start(ProfilerConfig.defaults().withPids(Set.of(target.pid())))) {
            target.go();
            other.go();
            target.awaitDone();
            other.awaitDone();
            List<RawSample> samples = p.drain();
            assertTrue(Samples.sum(samples, target.pid(), SampleType.ON_CPU) >= 5);
            List<Integer> tgids = new ArrayList<>(
                    samples.stream().map(RawSample::tgid).distinct().toList());
            assertEquals(List.of(target.pid()), tgids);
        }
    }
}
