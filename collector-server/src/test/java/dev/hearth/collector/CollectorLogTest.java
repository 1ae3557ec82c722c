package dev.hearth.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a person starting the collector reads: where the UI is. */
class CollectorLogTest {
    @Test
    void theLogSaysWhereTheUiIs(@TempDir Path dir) throws Exception {
        try (CollectorProcess c = CollectorProcess.start(dir.resolve("data"))) {
            String line = "hearth collector: the UI is at http://127.0.0.1:" + c.port + "/";
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!c.output().contains(line) && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(c.output().contains(line), c.output());
            assertEquals(200, c.http.get("/").status(), "the UI is served there");
        }
    }

    @Test
    void everyAddressGivesThisMachinesName() throws Exception {
        String name = InetAddress.getLocalHost().getHostName();
        assertEquals("http://" + name + ":4040/", UiAddress.of("http", "0.0.0.0", 4040));
        assertEquals("https://[::1]:443/", UiAddress.of("https", "::1", 443));
        assertEquals("http://10.1.2.3:80/", UiAddress.of("http", "10.1.2.3", 80));
    }
}
