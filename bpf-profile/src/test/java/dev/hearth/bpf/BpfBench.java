package dev.hearth.bpf;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * bench/bpf.sh: kernel-side cost of the programs (BPF stats), drain time, map memory and the
 * in-kernel fold ratio, each next to a baseline measured in the same run.
 */
public final class BpfBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private BpfBench() {}

    public static void main(String[] args) throws Exception {
        try (AutoCloseable stats = BpfProfiler.enableStats()) {
            Path java = Path.of(args.length > 0 ? args[0] : "java");
            for (int hz : new int[] {99, 999}) {
                onCpu(hz);
                double filtered = filteredNs(hz);
                perRecordedSample(hz, "one C process (5-frame user stack)", filtered, cProcess());
                perRecordedSample(hz, "one JVM (-XX:+PreserveFramePointer)", filtered, jvm(java));
            }
            offCpu();
            drain(10_000, true);
            drain(10_000, false);
            memory();
            foldRatio(java);
        }
    }

    /** every process sampled while one spinner runs: BPF time per program run, as the issue defines it */
    static void onCpu(int hz) throws Exception {
        try (Workload spin = Workload.start("spin", "5000");
                BpfProfiler p = BpfProfiler.start(ProfilerConfig.defaults().withHz(hz))) {
            long t0 = System.nanoTime();
            spin.go();
            spin.awaitDone();
            double wall = (System.nanoTime() - t0) / 1e9;
            ProgramStats s = stats(p, "on_cpu");
            List<RawSample> drained = p.drain();
            long recorded = drained.stream().mapToLong(RawSample::value).sum();
            double cpuShare = s.runTimeNs() / (wall * 1e9 * Cpus.online().size());
            System.out.printf(
                    "on-CPU %d Hz, every process (a C spinner and whatever else runs): %.0f ns per run "
                            + "(%d runs, %d samples recorded; %d keys); BPF share of all CPU time %.4f%%%n",
                    hz, s.nsPerRun(), s.runCount(), recorded, drained.size(), 100 * cpuShare);
        }
    }

    /** the baseline: BPF time of a sample filtered out by pid (the target sleeps throughout) */
    static double filteredNs(int hz) throws Exception {
        try (Workload idle = Workload.start("sleep", "1");
                BpfProfiler p =
                        BpfProfiler.start(ProfilerConfig.defaults().withHz(hz).withPids(Set.of(idle.pid())))) {
            Thread.sleep(3000);
            return stats(p, "on_cpu").nsPerRun();
        }
    }

    /** a process to profile alone: started paused, {@code run} lets it work for the measured time */
    interface Target extends AutoCloseable {
        int pid();

        void run() throws Exception;
    }

    /**
     * BPF time per recorded sample of one target process: all runs minus the filtered-out ones (at
     * the cost {@link #filteredNs} measured), divided by the samples drained for the target.
     */
    static void perRecordedSample(int hz, String what, double filteredNs, Target target) throws Exception {
        try (target;
                BpfProfiler p =
                        BpfProfiler.start(ProfilerConfig.defaults().withHz(hz).withPids(Set.of(target.pid())))) {
            target.run();
            ProgramStats s = stats(p, "on_cpu");
            long recorded = Samples.sum(p.drain(), target.pid(), SampleType.ON_CPU);
            double ns = (s.runTimeNs() - filteredNs * (s.runCount() - recorded)) / recorded;
            System.out.printf(
                    "on-CPU %d Hz, %s: %.0f ns per recorded sample (%d samples); baseline, a sample "
                            + "filtered out by pid: %.0f ns%n",
                    hz, what, ns, recorded, filteredNs);
        }
    }

    /** the test workload spinning 4 s under SCHED_FIFO: spin_fn <- main <- libc start-up */
    static Target cProcess() throws Exception {
        Workload w = Workload.startRealtime("spin", "4000");
        return new Target() {
            public int pid() {
                return w.pid();
            }

            public void run() throws Exception {
                w.go();
                w.awaitDone();
            }

            public void close() throws Exception {
                w.close();
            }
        };
    }

    /** a JVM sorting, hashing and formatting text; measured for 4 s after 2 s of start-up */
    static Target jvm(Path javaBin) throws Exception {
        Process jvm = new ProcessBuilder(
                        javaBin.toString(),
                        "-XX:+PreserveFramePointer",
                        "-cp",
                        System.getProperty("java.class.path"),
                        JvmWorkload.class.getName(),
                        "8")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        Thread.sleep(2000);
        return new Target() {
            public int pid() {
                return (int) jvm.pid();
            }

            public void run() throws Exception {
                Thread.sleep(4000);
            }

            public void close() throws Exception {
                jvm.destroy();
                jvm.waitFor(5, TimeUnit.SECONDS);
            }
        };
    }

    /** ping-pong threads: round trips per second without profiling, with off-CPU on them, and on another pid */
    static void offCpu() throws Exception {
        double base = pingpong(null);
        double targeted = pingpong(true);
        double filtered = pingpong(false);
        System.out.printf(
                "off-CPU ping-pong: %.0f round trips/s unprofiled; %.0f (%.2fx) profiled; "
                        + "%.0f (%.2fx) with the profiler filtering for another pid%n",
                base, targeted, targeted / base, filtered, filtered / base);
    }

    private static double pingpong(Boolean targetIt) throws Exception {
        try (Workload w = Workload.start("pingpong", "3000")) {
            BpfProfiler p = targetIt == null
                    ? null
                    : BpfProfiler.start(ProfilerConfig.defaults()
                            .withOnCpu(false)
                            .withOffCpu(true)
                            .withPids(Set.of(
                                    targetIt
                                            ? w.pid()
                                            : Math.toIntExact(
                                                    ProcessHandle.current().pid()))));
            try {
                w.go();
                long trips = Long.parseLong(w.readLine().split(" ")[1]);
                w.awaitDone();
                if (p != null) {
                    ProgramStats s = stats(p, "off_cpu");
                    List<RawSample> samples = p.drain();
                    System.out.printf(
                            "  off-CPU (%s): %.0f ns per sched_switch (%d switches, %.0f/s), %d keys, drops %s%n",
                            targetIt ? "targeted" : "filtered out",
                            s.nsPerRun(),
                            s.runCount(),
                            s.runCount() / 3.0,
                            samples.size(),
                            p.drops());
                }
                return trips / 3.0;
            } finally {
                if (p != null) {
                    p.close();
                }
            }
        }
    }

    /**
     * n distinct stacks through a uprobe per round, drained after each round: with {@code fresh},
     * new stacks every round (as a JVM's unique leaf addresses make them); otherwise the same
     * stacks again, as in a steady state where user space knows them already.
     */
    static void drain(int n, boolean fresh) throws Exception {
        UprobeSpec probe = new UprobeSpec(Workload.binary().toString(), "call_fn", false);
        int rounds = fresh ? 4 : 6;
        try (Workload w = Workload.start(
                        "stacks", Integer.toString(n), Integer.toString(rounds), fresh ? "fresh" : "same");
                BpfProfiler p = BpfProfiler.start(ProfilerConfig.defaults()
                        .withOnCpu(false)
                        .withUprobes(List.of(probe))
                        .withPids(Set.of(w.pid()))
                        .withDrainPeriod(Duration.ofSeconds(60)))) {
            for (int r = 0; r < rounds; r++) {
                w.go();
                String line = w.readLine();
                if (!line.equals(r == rounds - 1 ? "done" : "round")) {
                    throw new IllegalStateException("workload said " + line);
                }
                long cpu0 = THREADS.getCurrentThreadCpuTime();
                List<RawSample> samples = p.drain();
                long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
                Drainer.Timing t = p.lastDrainTiming();
                System.out.printf(
                        "drain %d of %d keys and %d stacks read (%s): %.1f ms CPU; wall %.1f ms reading "
                                + "maps + %.1f ms RCU grace%n",
                        r + 1,
                        samples.size(),
                        t.stacksRead(),
                        fresh || r == 0 ? "new stacks" : "same stacks",
                        cpu / 1e6,
                        t.readNanos() / 1e6,
                        t.graceNanos() / 1e6);
            }
            System.out.println("  drops: " + p.drops());
        }
    }

    static void memory() {
        for (ProfilerConfig c :
                List.of(ProfilerConfig.defaults(), ProfilerConfig.defaults().withOffCpu(true))) {
            try (BpfProfiler p = BpfProfiler.start(c)) {
                System.out.printf(
                        "map memory (on-CPU%s, %d CPUs, 99 Hz, 10 s): %.1f MiB (%s)%n",
                        c.offCpu() ? " + off-CPU" : "",
                        Cpus.online().size(),
                        p.mapMemoryBytes() / 1048576.0,
                        p.sizingSummary());
            }
        }
    }

    /** samples per counts entry for a JVM run with frame pointers, one 10 s drain period */
    static void foldRatio(Path javaBin) throws Exception {
        String cp = System.getProperty("java.class.path");
        Process jvm = new ProcessBuilder(
                        javaBin.toString(), "-XX:+PreserveFramePointer", "-cp", cp, JvmWorkload.class.getName(), "12")
                .redirectErrorStream(true)
                .start();
        try (BpfProfiler p = BpfProfiler.start(ProfilerConfig.defaults().withPids(Set.of((int) jvm.pid())))) {
            Thread.sleep(2000); // past JVM start-up
            p.drain();
            Thread.sleep(10_000);
            List<RawSample> samples = p.drain();
            long total = samples.stream().mapToLong(RawSample::value).sum();
            long userStacks =
                    samples.stream().map(s -> List.of(s.userStack())).distinct().count();
            long withoutLeaf = samples.stream()
                    .map(s -> s.userStack().length == 0
                            ? ""
                            : Arrays.toString(Arrays.copyOfRange(s.userStack(), 1, s.userStack().length)))
                    .distinct()
                    .count();
            System.out.printf(
                    "fold ratio, JVM (-XX:+PreserveFramePointer), 10 s at 99 Hz: %d samples in %d keys = "
                            + "%.2f samples/key; %d distinct user stacks; %d when the leaf address is ignored (%.2f samples each)%n",
                    total,
                    samples.size(),
                    total / (double) samples.size(),
                    userStacks,
                    withoutLeaf,
                    total / (double) withoutLeaf);
        } finally {
            jvm.destroy();
            jvm.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static ProgramStats stats(BpfProfiler p, String name) {
        return p.programStats().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
