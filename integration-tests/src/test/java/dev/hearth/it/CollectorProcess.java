package dev.hearth.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real collector in its own JVM ({@code dev.hearth.collector.Main --port P --data DIR}), on
 * this test's classpath, as `./hearth collector` runs it. Its output goes to a log file.
 */
final class CollectorProcess implements AutoCloseable {
    final int port;
    final String url;
    private final Process process;
    private final Path log;

    private CollectorProcess(int port, Process process, Path log) {
        this.port = port;
        this.url = "http://127.0.0.1:" + port;
        this.process = process;
        this.log = log;
    }

    static CollectorProcess start(Path dataDir, Path log) throws IOException, InterruptedException {
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(List.of(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.hearth.collector.Main",
                        "--port",
                        String.valueOf(port),
                        "--data",
                        dataDir.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        CollectorProcess c = new CollectorProcess(port, p, log);
        c.awaitUp();
        return c;
    }

    private void awaitUp() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("collector exited with " + process.exitValue() + ", see " + log);
            }
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create(url + "/api/v1/services"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return;
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("collector did not answer within 60 s, see " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS))
            process.destroyForcibly().waitFor();
    }
}
