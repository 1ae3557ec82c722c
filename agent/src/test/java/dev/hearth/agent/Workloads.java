package dev.hearth.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts the test workloads (a JVM and a C program with a known 70/30 split) as real processes. */
final class Workloads {
    private Workloads() {}

    static Process jvm(double seconds) throws IOException {
        return jvm(seconds, "-XX:+PreserveFramePointer");
    }

    /** The split workload in a JVM with {@code framePointers} (-XX:+PreserveFramePointer or -XX:-PreserveFramePointer). */
    static Process jvm(double seconds, String framePointers) throws IOException {
        return ready(new ProcessBuilder(
                javaBin(),
                framePointers,
                "-Xmx64m",
                "-XX:CompileCommand=quiet",
                "-XX:CompileCommand=dontinline,dev.hearth.agent.workload.SplitWorkload::hot*",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.hearth.agent.workload.SplitWorkload",
                Double.toString(seconds)));
    }

    /** Compiles split.c with frame pointers into {@code dir} and starts it. */
    static Process c(Path dir, double seconds) throws IOException, InterruptedException {
        return ready(new ProcessBuilder(compile(dir, "split").toString(), Double.toString(seconds)));
    }

    /**
     * Compiles hostile.c (hot functions under mangled names built to break a demangler) into {@code dir}
     * and starts it as user nobody, as an attacker would run it.
     */
    static Process hostile(Path dir, double seconds) throws IOException, InterruptedException {
        Path exe = compile(dir, "hostile");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return ready(new ProcessBuilder(
                "setpriv",
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                exe.toString(),
                Double.toString(seconds)));
    }

    /** Compiles the test resource workload/NAME.c (frame pointers, position independent) into {@code dir}. */
    static Path compile(Path dir, String name) throws IOException, InterruptedException {
        Path src = dir.resolve(name + ".c");
        try (var in = Workloads.class.getResourceAsStream("/workload/" + name + ".c")) {
            Files.copy(in, src);
        }
        Path exe = dir.resolve(name);
        Process gcc = new ProcessBuilder(
                        "gcc",
                        "-O2",
                        "-g",
                        "-fno-omit-frame-pointer",
                        "-fPIE",
                        "-pie",
                        "-o",
                        exe.toString(),
                        src.toString())
                .inheritIO()
                .start();
        if (gcc.waitFor() != 0) throw new IllegalStateException("gcc failed on " + name + ".c");
        return exe;
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Process ready(ProcessBuilder pb) throws IOException {
        Process p = pb.redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String line = r.readLine();
        if (!"ready".equals(line)) {
            p.destroyForcibly();
            throw new IllegalStateException("workload did not start: " + line);
        }
        return p;
    }

    /**
     * Share of {@code a} among the samples of folded lines with a frame named {@code a} or {@code b}
     * (exactly, or as the end of a qualified name), and their total.
     */
    static double[] share(List<String> folded, String a, String b) {
        long ca = 0, cb = 0;
        for (String line : folded) {
            int space = line.lastIndexOf(' ');
            long n = Long.parseLong(line.substring(space + 1));
            List<String> frames = List.of(line.substring(0, space).split(";"));
            if (hasFrame(frames, a)) ca += n;
            else if (hasFrame(frames, b)) cb += n;
        }
        return new double[] {ca + cb == 0 ? Double.NaN : (double) ca / (ca + cb), ca + cb};
    }

    private static boolean hasFrame(List<String> frames, String name) {
        return frames.stream().anyMatch(f -> f.equals(name) || f.endsWith("." + name));
    }

    static List<String> linesWith(List<String> folded, String s) {
        List<String> out = new ArrayList<>();
        for (String l : folded) if (l.contains(s)) out.add(l);
        return out;
    }
}
