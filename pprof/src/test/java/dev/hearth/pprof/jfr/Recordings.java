package dev.hearth.pprof.jfr;

import dev.hearth.testsupport.Jdks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Records real JFR files: a child JVM running a test workload with async-profiler as -agentpath. */
final class Recordings {
    /** The java launcher of an installed JDK 25, found, not assumed. */
    static String jdk25() {
        return Jdks.java(25);
    }

    private Recordings() {}

    /** The async-profiler library from the test classpath, copied to a file. */
    static Path library(Path dir) throws IOException {
        Path lib = dir.resolve("libasyncProfiler.so");
        if (Files.exists(lib)) return lib;
        try (InputStream in = Recordings.class.getClassLoader().getResourceAsStream("linux-x64/libasyncProfiler.so")) {
            if (in == null) throw new IOException("linux-x64/libasyncProfiler.so is not on the test classpath");
            Files.copy(in, lib);
        }
        return lib;
    }

    static String defaultJava() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs {@code mainClass} with async-profiler recording {@code options} into {@code out}; returns its stdout. */
    static String record(
            String java, Path dir, String options, Path out, List<String> jvmFlags, String mainClass, String... args)
            throws Exception {
        List<String> cmd =
                new ArrayList<>(List.of(java, "-agentpath:" + library(dir) + "=start," + options + ",jfr,file=" + out));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", testClasses(), mainClass));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("workload failed: " + cmd + "\n" + output);
        }
        return output;
    }

    static String testClasses() throws Exception {
        return Paths.get(Recordings.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
    }
}
