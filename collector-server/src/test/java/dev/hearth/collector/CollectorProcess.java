package dev.hearth.collector;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A collector in its own JVM (the real {@code Main}), on a free port, for crash and end-to-end tests. */
public final class CollectorProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on https?://[^:]+:(\\d+)/");

    public final Process process;
    public final int port;
    /** A client of this collector; it sends {@link #token} when there is one. */
    public final Http http;
    /** The token of {@link TestTokens#TENANT} that may ingest and query, or null when the test gave its own --tokens. */
    public final String token;
    /** The tokens file the collector watches, or null. */
    public final Path tokens;

    private final StringBuilder log;

    private CollectorProcess(Process process, int port, String token, Path tokens, StringBuilder log) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.token = token;
        this.tokens = tokens;
        this.http = new Http(port).withToken(token);
    }

    /**
     * Starts {@code dev.hearth.collector.Main --port 0 --data DIR} with this JVM's classpath (and the JVM options
     * of the system property hearth.collector.jvm); waits
     * until it listens. Unless the arguments give {@code --tokens}, it runs with a tokens file next
     * to DIR (DIR.tokens) holding one token that may ingest and query, which {@link #http} sends.
     */
    public static CollectorProcess start(Path data, String... extraArgs) throws Exception {
        List<String> cmd = new ArrayList<>(command(data, extraArgs).command());
        String token = null;
        Path tokens = null;
        if (!List.of(extraArgs).contains("--tokens")) {
            tokens = data.resolveSibling(data.getFileName() + ".tokens");
            token = TestTokens.writeFullAccess(tokens);
            cmd.addAll(List.of("--tokens", tokens.toString()));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = new CompletableFuture<>();
        StringBuilder log = new StringBuilder();
        Thread reader = new Thread(
                () -> {
                    try {
                        for (String line; (line = out.readLine()) != null; ) {
                            synchronized (log) {
                                log.append(line).append('\n');
                            }
                            Matcher m = LISTENING.matcher(line);
                            if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                        }
                    } catch (Exception e) {
                        // the process went away
                    }
                    synchronized (log) {
                        port.completeExceptionally(
                                new IllegalStateException("collector exited before listening:\n" + log));
                    }
                },
                "collector-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new CollectorProcess(p, port.get(60, TimeUnit.SECONDS), token, tokens, log);
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** What the collector printed so far (stdout and stderr). */
    public String output() {
        synchronized (log) {
            return log.toString();
        }
    }

    /** The command line of a collector on a free loopback port, with these arguments, not started. */
    public static ProcessBuilder command(Path data, String... extraArgs) {
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String jvm = System.getProperty("hearth.collector.jvm", "")
                .trim(); // JVM options, as the launcher's HEARTH_JAVA_OPTS
        if (!jvm.isEmpty()) cmd.addAll(List.of(jvm.split("\\s+")));
        cmd.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                "dev.hearth.collector.Main",
                "--port",
                "0",
                "--host",
                "127.0.0.1",
                "--data",
                data.toString()));
        cmd.addAll(List.of(extraArgs));
        return new ProcessBuilder(cmd);
    }

    /** SIGKILL: no shutdown hook, no checkpoint. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) kill();
    }
}
