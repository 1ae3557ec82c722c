package dev.hearth.agent;

import dev.hearth.bpf.BpfProfiler;
import dev.hearth.bpf.ProfilerConfig;
import dev.hearth.bpf.ProgramStats;
import dev.hearth.bpf.RawSample;
import dev.hearth.bpf.UnwindStats;
import dev.hearth.bpf.Unwinding;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Figures of the kernel's table walk (run by ./hearth bench bpf and ./hearth bench agent; root).
 * {@code bpf}: BPF time per on-CPU sample of a 22-frame native stack walked by table against by
 * frame pointer, alternating, and the map memory with every process profiled. {@code agent}: the
 * CPU of a one-minute `hearth record` of every process with tables and without, against
 * `perf record --call-graph dwarf -F 99 -a` plus `perf script --no-inline` over a minute.
 */
public final class UnwindBench {
    private UnwindBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("hearth-unwind-bench");
        switch (args.length > 0 ? args[0] : "bpf") {
            case "bpf" -> bpf(dir);
            case "agent" -> agent(args.length > 1 ? Integer.parseInt(args[1]) : 60);
            default -> throw new IllegalArgumentException("bpf or agent");
        }
    }

    private static void bpf(Path dir) throws Exception {
        Path exe = NativeProgram.compile(dir, "deep.c", "-O2", "-fno-omit-frame-pointer");
        try (AutoCloseable stats = BpfProfiler.enableStats()) {
            for (int round = 1; round <= 2; round++) {
                for (boolean tables : new boolean[] {false, true}) {
                    try (NativeProgram w = NativeProgram.start(exe, 12);
                            BpfProfiler p = BpfProfiler.start(
                                    ProfilerConfig.defaults().withPids(Set.of(w.pid())),
                                    tables ? new UnwindFlags().unwinding() : null)) {
                        Thread.sleep(1500); // tables load on the first samples
                        p.drain();
                        ProgramStats before = onCpu(p);
                        Thread.sleep(8000);
                        ProgramStats after = onCpu(p);
                        List<RawSample> samples = p.drain();
                        double frames = samples.stream()
                                        .filter(s -> s.tgid() == w.pid())
                                        .mapToDouble(s -> s.userStack().length * (double) s.value())
                                        .sum()
                                / Math.max(
                                        1,
                                        samples.stream()
                                                .filter(s -> s.tgid() == w.pid())
                                                .mapToLong(RawSample::value)
                                                .sum());
                        long runs = after.runCount() - before.runCount();
                        System.out.printf(
                                "round %d, %s: %.2f us per on-CPU sample (%d runs, %.1f user frames a stack)%s%n",
                                round,
                                tables ? "by table        " : "by frame pointer",
                                (after.runTimeNs() - before.runTimeNs()) / 1e3 / Math.max(1, runs),
                                runs,
                                frames,
                                tables ? "; " + p.unwindStats() : "");
                    }
                }
            }
        }
        try (BpfProfiler p = BpfProfiler.start(
                ProfilerConfig.defaults().withDrainPeriod(Duration.ofSeconds(10)),
                new Unwinding(new UnwindFlags().unwinding().source(), Unwinding.DEFAULT_BUDGET))) {
            for (int i = 0; i < 3; i++) {
                Thread.sleep(5000);
                p.drain();
            }
            UnwindStats u = p.unwindStats();
            System.out.printf(
                    "every process, 15 s at 99 Hz with tables: map memory %.1f MiB, of it %d tables %.1f MiB "
                            + "for %d processes; walks: %d whole, cut: %d no table, %d budget, %d depth, %d read fault%n",
                    p.mapMemoryBytes() / 1048576.0,
                    u.tables(),
                    u.tableBytes() / 1048576.0,
                    u.processes(),
                    u.complete(),
                    u.noTable(),
                    u.budget(),
                    u.depth(),
                    u.readFault());
        }
    }

    private static ProgramStats onCpu(BpfProfiler p) {
        return p.programStats().stream()
                .filter(s -> s.name().equals("on_cpu"))
                .findFirst()
                .orElseThrow();
    }

    /** user + system CPU seconds of a shell command and everything it started */
    private static double[] cpuOf(String command) throws Exception {
        Process sh = new ProcessBuilder("bash", "-c", command + " >/dev/null 2>&1; times").start();
        List<String> out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .toList();
        sh.waitFor();
        if (out.size() < 2)
            throw new IllegalStateException("no CPU times from: " + command + " (exit " + sh.exitValue() + ")");
        String[] children = out.get(out.size() - 1).trim().split("\\s+");
        return new double[] {seconds(children[0]), seconds(children[1])};
    }

    private static double seconds(String t) {
        int m = t.indexOf('m');
        return Integer.parseInt(t.substring(0, m)) * 60 + Double.parseDouble(t.substring(m + 1, t.length() - 1));
    }

    private static void agent(int seconds) throws Exception {
        String java = Workloads.javaBin();
        String cp = System.getProperty("java.class.path");
        String opts = System.getenv().getOrDefault("AGENT_JAVA_OPTS", "");
        Path data = Files.createTempDirectory("hearth-perf").resolve("perf.data");
        for (String mode : new String[] {"", "--no-unwind-tables"}) {
            double[] c = cpuOf(java + " " + opts + " -cp '" + cp + "' " + Main.class.getName() + " record --duration "
                    + seconds + "s --hz 99 " + mode + " -o /dev/null");
            System.out.printf(
                    "hearth record, every process, %d s at 99 Hz %s: %.2f s user + %.2f s system = %.2f CPU s%n",
                    seconds, mode.isEmpty() ? "with tables" : "by frame pointer", c[0], c[1], c[0] + c[1]);
        }
        // ended by SIGINT after the minute: perf ending its own `-- sleep` workload signals the shell around it too
        double[] rec = cpuOf(
                "timeout -s INT " + seconds + " perf record -q --call-graph dwarf -F 99 -a -e cpu-clock -o " + data);
        // --no-inline: perf's default resolves inlined frames with an addr2line per library, which took
        // over ten CPU minutes here (large libraries with debug information); this is perf's cheapest
        double[] script = cpuOf("perf script --no-inline -i " + data);
        System.out.printf(
                "perf record --call-graph dwarf -F 99 -a, %d s: %.2f CPU s; perf script --no-inline: %.2f CPU s; together %.2f CPU s "
                        + "(%.0f MiB of samples)%n",
                seconds,
                rec[0] + rec[1],
                script[0] + script[1],
                rec[0] + rec[1] + script[0] + script[1],
                Files.size(data) / 1048576.0);
        Files.delete(data);
    }
}
