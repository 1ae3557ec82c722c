package dev.hearth.agent.jvm;

import dev.hearth.testsupport.Jdks;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A running {@link JvmWorkload} child process, driven line by line. */
final class WorkloadJvm implements AutoCloseable {
    /** The java launcher of an installed JDK 25 (Temurin here), found, not assumed. */
    static String jdk25() {
        return Jdks.java(25);
    }

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final int pid;

    WorkloadJvm(String java, String... jvmFlags) throws Exception {
        this(List.of(), java, jvmFlags);
    }

    /**
     * The JVM started under {@code wrapper} (setpriv, unshare…). A wrapper that forks leaves the JVM a
     * descendant: its pid is then the java process's found below it.
     */
    WorkloadJvm(List<String> wrapper, String java, String... jvmFlags) throws Exception {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.add(java);
        cmd.addAll(List.of(jvmFlags));
        cmd.addAll(List.of(
                "-cp",
                Paths.get(JvmWorkload.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI())
                        .toString(),
                JvmWorkload.class.getName()));
        process = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        expect("ready");
        pid = process.descendants()
                .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst()
                .map(h -> (int) h.pid())
                .orElse((int) process.pid());
    }

    static WorkloadJvm jdk17(String... flags) throws Exception {
        return new WorkloadJvm(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(), flags);
    }

    int pid() {
        return pid;
    }

    /** Starts a job without waiting for it. */
    void send(String job) throws IOException {
        in.write(job + "\n");
        in.flush();
    }

    /** Runs one job and returns the number it answers with. */
    long run(String job) throws IOException {
        in.write(job + "\n");
        in.flush();
        String line = expect("done ");
        return Long.parseLong(line.substring(5).trim());
    }

    void exit() throws Exception {
        in.write("exit\n");
        in.flush();
        if (!process.waitFor(20, TimeUnit.SECONDS)) throw new AssertionError("workload did not exit");
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    private String expect(String prefix) throws IOException {
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith(prefix)) return line;
        }
        throw new IOException("workload ended before '" + prefix + "'");
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
