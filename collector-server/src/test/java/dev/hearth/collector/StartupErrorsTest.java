package dev.hearth.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.collector.storage.Database;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A collector that cannot start says why in one line naming the port or the file, and creates nothing first. */
class StartupErrorsTest {
    @TempDir
    Path dir;

    record Run(int exit, List<String> lines) {}

    static Run run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.hearth.collector.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the collector kept running");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.exitValue(), out.lines().filter(l -> !l.isBlank()).toList());
    }

    @Test
    void busyPortIsOneLineAndNoDatabaseIsCreated() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path data = dir.resolve("data");
            Run r = run(
                    "--host", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort()), "--data", data.toString());
            assertEquals(1, r.exit(), String.join("\n", r.lines()));
            assertEquals(1, r.lines().size(), "one line, no stack trace:\n" + String.join("\n", r.lines()));
            String line = r.lines().get(0);
            assertTrue(line.contains("127.0.0.1:" + taken.getLocalPort()) && line.contains("--port"), line);
            assertFalse(Files.exists(data), "the data directory was created before the port was checked");
        }
    }

    @Test
    void corruptDatabaseIsOneLineNamingTheFile() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path file = data.resolve(Database.FILE);
        byte[] junk = new byte[64 << 10];
        new java.util.Random(1).nextBytes(junk);
        Files.write(file, junk);
        Run r = run("--host", "127.0.0.1", "--port", "0", "--data", data.toString());
        assertEquals(1, r.exit(), String.join("\n", r.lines()));
        assertEquals(1, r.lines().size(), "one line, no stack trace:\n" + String.join("\n", r.lines()));
        String line = r.lines().get(0);
        assertTrue(line.contains(file.toAbsolutePath().toString()) && line.contains("move it away"), line);
    }

    @Test
    void badLimitFlagsAreRefused() throws Exception {
        Run r = run("--port", "0", "--data", dir.resolve("d").toString(), "--query-timeout", "soon");
        assertEquals(2, r.exit());
        assertTrue(r.lines().get(0).contains("soon"), r.lines().toString());
        Run r2 = run("--port", "0", "--data", dir.resolve("d").toString(), "--max-stack-depth", "1");
        assertEquals(2, r2.exit());
        assertFalse(Files.exists(dir.resolve("d")));
    }
}
