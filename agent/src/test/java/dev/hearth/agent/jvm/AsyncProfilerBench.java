package dev.hearth.agent.jvm;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Overhead of async-profiler (cpu 10 ms + alloc 512 KiB, JFR rotating every 2 s) on a JVM's
 * throughput, and the agent's CPU for reading and converting the JFR. One workload JVM runs
 * throughout; windows without and with the profiler alternate (ABBA), so machine noise hits both
 * alike. Throughput is given per wall second and per CPU second of the whole JVM (profiler threads
 * and signal handlers included): on a shared machine the second is what stays comparable. The
 * first second of each window (attach, detach) is not counted.
 */
public final class AsyncProfilerBench {
    static final int WINDOW_SECONDS = 6;

    public static void main(String[] args) throws Exception {
        String java = args.length > 0
                ? args[0]
                : Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        AsyncProfilerOptions options =
                new AsyncProfilerOptions(Duration.ofMillis(10), 512 * 1024, null, null, Duration.ofSeconds(2));
        AsyncProfilerLibrary library = AsyncProfilerLibrary.fromClasspath();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Process p = new ProcessBuilder(
                        java,
                        "-Xms256m",
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        "-cp",
                        Paths.get(BenchWorkload.class
                                        .getProtectionDomain()
                                        .getCodeSource()
                                        .getLocation()
                                        .toURI())
                                .toString(),
                        BenchWorkload.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            int pid = (int) p.pid();
            window(out, pid, 8); // JIT warm-up
            List<Window> off = new ArrayList<>();
            List<Window> on = new ArrayList<>();
            long convertCpu = 0;
            long profiledNanos = 0;
            long recordings = 0;
            for (int i = 0; i < pairs; i++) {
                // ABBA order, so a drift in machine load does not favour one side.
                boolean profiledFirst = i % 2 == 1;
                for (boolean profiled : new boolean[] {profiledFirst, !profiledFirst}) {
                    if (!profiled) {
                        off.add(window(out, pid, WINDOW_SECONDS));
                        continue;
                    }
                    long start = System.nanoTime();
                    try (AsyncProfilerSession s = AsyncProfilerSession.start(JvmTarget.of(pid), library, options)) {
                        out.readLine(); // the second the attach happened in
                        long ticks = cpuTicks(pid);
                        long sum = 0;
                        for (int sec = 0; sec < WINDOW_SECONDS; sec++) {
                            sum += ops(out.readLine());
                            long cpu = threads.getCurrentThreadCpuTime();
                            recordings += s.collect().recordings().size();
                            convertCpu += threads.getCurrentThreadCpuTime() - cpu;
                        }
                        on.add(new Window(sum, cpuTicks(pid) - ticks, WINDOW_SECONDS));
                        s.stop();
                        long cpu = threads.getCurrentThreadCpuTime();
                        recordings += s.collect().recordings().size();
                        convertCpu += threads.getCurrentThreadCpuTime() - cpu;
                    }
                    profiledNanos += System.nanoTime() - start;
                }
            }
            System.out.printf("workload: %s, %d windows of %d s each way (ABBA)%n", java, pairs, WINDOW_SECONDS);
            double a = perWall(off);
            double b = perWall(on);
            System.out.printf(
                    "per wall second: without %.0f ops/s, with %.0f ops/s: loss %.2f %% (noisy on a shared machine)%n",
                    a, b, 100 * (a - b) / a);
            double ac = perCpu(off);
            double bc = perCpu(on);
            System.out.printf(
                    "per JVM CPU second: without %.0f ops, with async-profiler cpu=10ms alloc=512k %.0f ops: loss %.2f %% (target <= 2 %%)%n",
                    ac, bc, 100 * (ac - bc) / ac);
            System.out.printf(
                    "  windows without (ops/CPU s): %s%n  windows with    (ops/CPU s): %s%n",
                    off.stream().map(w -> Math.round(w.perCpu())).toList(),
                    on.stream().map(w -> Math.round(w.perCpu())).toList());
            System.out.printf(
                    "agent CPU for JFR reading + conversion: %.4f CPU s per wall s (%d recordings, %.1f ms CPU each)%n",
                    (double) convertCpu / profiledNanos,
                    recordings,
                    recordings == 0 ? 0 : convertCpu / 1e6 / recordings);
        } finally {
            p.destroyForcibly();
        }
    }

    /** Operations done, the JVM's CPU time (clock ticks), and the seconds they took. */
    record Window(long ops, long cpuTicks, int seconds) {
        double perCpu() {
            return ops * (double) TICKS_PER_SECOND / Math.max(1, cpuTicks);
        }
    }

    static final int TICKS_PER_SECOND = 100;

    static Window window(BufferedReader out, int pid, int seconds) throws Exception {
        out.readLine(); // partial or disturbed second
        long ticks = cpuTicks(pid);
        long sum = 0;
        for (int i = 0; i < seconds; i++) sum += ops(out.readLine());
        return new Window(sum, cpuTicks(pid) - ticks, seconds);
    }

    /** utime + stime of the whole process, from /proc/PID/stat (fields 14 and 15, after the command name). */
    static long cpuTicks(int pid) throws Exception {
        String stat = java.nio.file.Files.readString(Paths.get("/proc", Integer.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static double perWall(List<Window> ws) {
        return ws.stream().mapToLong(Window::ops).sum()
                / (double) ws.stream().mapToInt(Window::seconds).sum();
    }

    static double perCpu(List<Window> ws) {
        return ws.stream().mapToLong(Window::ops).sum()
                * (double) TICKS_PER_SECOND
                / ws.stream().mapToLong(Window::cpuTicks).sum();
    }

    static long ops(String line) {
        if (line == null) throw new IllegalStateException("workload ended");
        if (!line.startsWith("ops ")) throw new IllegalStateException("workload said: " + line);
        return Long.parseLong(line.substring(4).trim());
    }
}
