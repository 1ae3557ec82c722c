package dev.hearth.bpf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process running test/resources/workload/workload.c (built once with gcc, frame pointers
 * on). It starts paused: {@link #go()} runs its mode, {@link #awaitDone()} waits for the end while
 * the process stays alive, so its /proc entries can still be read.
 */
final class Workload implements AutoCloseable {
    private static Path binary;

    private final Process process;
    private final BufferedReader out;
    private final OutputStream in;

    private Workload(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = process.getOutputStream();
        expect("ready");
    }

    static synchronized Path binary() throws IOException, InterruptedException {
        if (binary == null) {
            Path dir = Files.createTempDirectory("hearth-bpf-workload");
            Path src = dir.resolve("workload.c");
            try (InputStream s = Workload.class.getResourceAsStream("/workload/workload.c")) {
                Files.copy(s, src);
            }
            Path bin = dir.resolve("workload");
            Process gcc = new ProcessBuilder(
                            "gcc",
                            "-O1",
                            "-g",
                            "-fno-omit-frame-pointer",
                            "-fno-inline",
                            "-pthread",
                            "-o",
                            bin.toString(),
                            src.toString())
                    .redirectErrorStream(true)
                    .start();
            String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (gcc.waitFor() != 0) {
                throw new IllegalStateException("gcc failed: " + log);
            }
            binary = bin;
        }
        return binary;
    }

    static Workload start(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary().toString()));
        cmd.addAll(List.of(args));
        return new Workload(new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start());
    }

    /**
     * Starts under SCHED_FIFO (chrt), so that on a loaded machine the process neither waits in the
     * run queue after a wakeup (which off-CPU time includes) nor shares its CPU (which adds
     * sampling noise to on-CPU counts).
     */
    static Workload startRealtime(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("chrt", "-f", "1", binary().toString()));
        cmd.addAll(List.of(args));
        return new Workload(new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start());
    }

    int pid() {
        return (int) process.pid();
    }

    /** SIGKILL, wherever the process is */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    void go() throws IOException {
        in.write('\n');
        in.flush();
    }

    void awaitDone() throws IOException {
        expect("done");
    }

    /** the next line the workload prints (a mode's result before "done") */
    String readLine() throws IOException {
        return out.readLine();
    }

    /** user + system CPU time so far, from /proc/PID/stat */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15: utime, stime
        return ticks / (double) clockTicks();
    }

    /** on-CPU time so far in nanoseconds, from /proc/PID/schedstat (finer than stat's clock ticks) */
    long cpuNanos() throws IOException {
        return Long.parseLong(
                Files.readString(Path.of("/proc/" + pid() + "/schedstat")).split(" ")[0]);
    }

    /** [start, end) of function {@code name} in this process: nm's offset plus the load base from /proc/PID/maps */
    long[] functionRange(String name) throws IOException, InterruptedException {
        Process nm = new ProcessBuilder("nm", "-S", binary().toString()).start();
        String syms = new String(nm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        nm.waitFor();
        long base = loadBase();
        for (String line : syms.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 4 && f[3].equals(name)) {
                long start = base + Long.parseUnsignedLong(f[0], 16);
                return new long[] {start, start + Long.parseUnsignedLong(f[1], 16)};
            }
        }
        throw new IllegalStateException("no symbol " + name + " in " + binary());
    }

    private long loadBase() throws IOException, InterruptedException {
        String self = binary().toRealPath().toString();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/maps"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && f[5].equals(self) && Long.parseLong(f[2], 16) == 0) {
                return Long.parseUnsignedLong(f[0].substring(0, f[0].indexOf('-')), 16);
            }
        }
        throw new IllegalStateException("no mapping of " + self + " in /proc/" + pid() + "/maps");
    }

    private static long clockTicks() throws IOException {
        Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
        return Long.parseLong(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    }

    private void expect(String word) throws IOException {
        String line = out.readLine();
        if (!word.equals(line)) {
            throw new IllegalStateException("workload said '" + line + "', expected '" + word + "'");
        }
    }

    @Override
    public void close() throws Exception {
        in.close();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
