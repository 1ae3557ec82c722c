package dev.hearth.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.testsupport.Privileges;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** drain() during a run: the sum over many drains is what one profile of the whole run holds. */
class DrainTest {
    @BeforeAll
    static void root() {
        Privileges.assumeRootOrCi("loads BPF programs");
    }

    @Test
    void tenDrainsDuringABusyRunSumToTheExpectedSamples() throws Exception {
        try (Workload w = Workload.startRealtime("spin", "5000");
                BpfProfiler p = BpfProfiler.start(ProfilerConfig.defaults().withPids(Set.of(w.pid())))) {
            long cpuBefore = w.cpuNanos();
            w.go();
            List<RawSample> all = drainTenTimes(p, 500);
            w.awaitDone();
            double cpu = (w.cpuNanos() - cpuBefore) / 1e9;
            all.addAll(p.drain());
            long sum = Samples.sum(all, w.pid(), SampleType.ON_CPU);
            double expected = 99 * cpu;
            System.out.printf(
                    "ten drains: %d samples, expected %.1f (%.2f CPU s), drops %s%n", sum, expected, cpu, p.drops());
            assertTrue(Math.abs(sum - expected) <= 0.02 * expected, sum + " samples, expected " + expected + " ± 2%");
        }
    }

    @Test
    void callsAndTheirLatencyAreExactAcrossDrains() throws Exception {
        try (Workload w = Workload.startRealtime("slowcalls", "100", "20");
                BpfProfiler p = BpfProfiler.start(UprobeTest.uprobes(w, "slow_fn", true))) {
            long[] slowFn = w.functionRange("slow_fn");
            w.go();
            List<RawSample> all = drainTenTimes(p, 200);
            w.awaitDone();
            all.addAll(p.drain());
            assertEquals(100, Samples.sum(all, w.pid(), SampleType.UPROBE_CALLS));
            long ns = Samples.sum(all, w.pid(), SampleType.UPROBE_LATENCY);
            assertTrue(ns >= 2_000_000_000L && ns < 2_400_000_000L, "100 calls of 20 ms took " + ns + " ns");
            // calls that began before a drain and ended after it keep their entry stack
            assertEquals(ns, Samples.sumWithFrameIn(all, w.pid(), SampleType.UPROBE_LATENCY, slowFn));
            assertEquals(0, p.unresolvedStacks());
        }
    }

    @Test
    void blocksSpanningDrainsKeepTheirTimeAndStack() throws Exception {
        assertBlockedInBlockFn(20, 100, 150);
    }

    @Test
    void blocksLongerThanSeveralDrainsKeepTheirStack() throws Exception {
        assertBlockedInBlockFn(3, 400, 100);
    }

    /** {@code n} blocks of {@code ms} in block_fn, ten drains {@code periodMs} apart: all that time, in block_fn */
    private static void assertBlockedInBlockFn(int n, int ms, long periodMs) throws Exception {
        try (Workload w = Workload.startRealtime("block", Integer.toString(n), Integer.toString(ms));
                BpfProfiler p = BpfProfiler.start(ProfilerConfig.defaults()
                        .withOnCpu(false)
                        .withOffCpu(true)
                        .withPids(Set.of(w.pid())))) {
            long[] blockFn = w.functionRange("block_fn");
            w.go();
            List<RawSample> all = drainTenTimes(p, periodMs);
            w.awaitDone();
            all.addAll(p.drain());
            long inBlockFn = Samples.sumWithFrameIn(all, w.pid(), SampleType.OFF_CPU, blockFn);
            double expected = n * ms * 1e6;
            assertTrue(Math.abs(inBlockFn - expected) <= 0.1 * expected, "off-CPU in block_fn " + inBlockFn + " ns");
            assertEquals(0, p.unresolvedStacks());
        }
    }

    @Test
    void stacksUserSpaceKnowsAreNotStoredAgain() throws Exception {
        int n = 500;
        try (Workload w = Workload.start("stacks", Integer.toString(n), "4");
                BpfProfiler p = BpfProfiler.start(ProfilerConfig.defaults()
                        .withOnCpu(false)
                        .withUprobes(List.of(new UprobeSpec(Workload.binary().toString(), "call_fn", false)))
                        .withPids(Set.of(w.pid())))) {
            long[] pick = w.functionRange("pick");
            for (int round = 0; round < 4; round++) {
                w.go();
                w.readLine();
                List<RawSample> samples = p.drain();
                assertEquals(n, Samples.sum(samples, w.pid(), SampleType.UPROBE_CALLS));
                assertEquals(
                        n,
                        samples.stream()
                                .filter(s -> Samples.contains(s.userStack(), pick))
                                .count(),
                        "every call keeps its own stack");
                // read in two drains, then published as recurring
                assertEquals(round < 2 ? n : 0, p.lastDrainTiming().stacksRead(), "stacks read in round " + round);
            }
            assertEquals(0, p.unresolvedStacks());
        }
    }

    @Test
    void aCallWhoseThreadIsKilledIsCountedAsUnendedOnce() throws Exception {
        try (Workload w = Workload.start("slowcalls", "1", "60000");
                BpfProfiler p = BpfProfiler.start(UprobeTest.uprobes(w, "slow_fn", true))) {
            w.go();
            Thread.sleep(300); // inside slow_fn
            w.kill();
            p.drain(); // the entry is seen once: it may still end
            assertEquals(0, p.unendedIntervals());
            p.drain(); // seen again and its thread is gone
            assertEquals(1, p.unendedIntervals());
            p.drain();
            assertEquals(1, p.unendedIntervals(), "removed, not counted again");
        }
    }

    @Test
    void drainIsDueWhenTheActiveMapsFillUp() throws Exception {
        try (Workload w = Workload.start("stacks", "1000");
                BpfProfiler p = BpfProfiler.start(ProfilerConfig.defaults()
                        .withOnCpu(false)
                        .withUprobes(List.of(new UprobeSpec(Workload.binary().toString(), "call_fn", false)))
                        .withPids(Set.of(w.pid()))
                        .withDrainPeriod(Duration.ofSeconds(1)))) {
            assertFalse(p.drainDue());
            w.go();
            w.awaitDone();
            // sized for 1 s: 1024 counts and stacks; 1000 distinct stacks pass three quarters of both
            assertTrue(p.drainDue());
            assertTrue(p.drain().size() > 500);
            assertFalse(p.drainDue(), "the fresh set is empty");
        }
    }

    @Test
    void overflowingMapsAreCountedNotSilent() throws Exception {
        int n = 5000;
        try (Workload w = Workload.start("stacks", Integer.toString(n));
                BpfProfiler p = BpfProfiler.start(ProfilerConfig.defaults()
                        .withOnCpu(false)
                        .withUprobes(List.of(new UprobeSpec(Workload.binary().toString(), "call_fn", false)))
                        .withPids(Set.of(w.pid()))
                        .withDrainPeriod(Duration.ofSeconds(1)))) {
            w.go();
            w.awaitDone();
            List<RawSample> samples = p.drain();
            long counted = Samples.sum(samples, w.pid(), SampleType.UPROBE_CALLS);
            DropCounters d = p.drops();
            assertTrue(d.countsMapFull() > 0 && d.stackMapFull() > 0, d.toString());
            assertEquals(n, counted + d.countsMapFull(), "every call is counted or reported lost: " + d);
            // a counted call whose stack did not fit comes out with an empty stack, and is counted so
            long empty = samples.stream().filter(s -> s.userStack().length == 0).count();
            assertEquals(empty, p.unresolvedStacks());
            assertTrue(empty <= d.stackMapFull(), empty + " empty stacks, " + d);
        }
    }

    private static List<RawSample> drainTenTimes(BpfProfiler p, long periodMs) throws InterruptedException {
        List<RawSample> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Thread.sleep(periodMs);
            all.addAll(p.drain());
        }
        return all;
    }
}
