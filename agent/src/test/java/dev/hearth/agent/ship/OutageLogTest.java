package dev.hearth.agent.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.agent.LabelSet;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A collector that is down is said at once, summed up at intervals, and its return is said too. */
class OutageLogTest {
    private static final long S = 1_000_000_000L;

    @Test
    void firstFailureThenOneSummaryPerIntervalThenRecovery() {
        OutageLog log = new OutageLog(Duration.ofMinutes(1));
        assertNull(log.answered(0, 0), "nothing to say while all is well");
        String first = log.failed(0, "Connection refused", 1, 2048);
        assertTrue(first.startsWith("cannot ship to the collector (Connection refused)"), first);
        assertNull(log.failed(10 * S, "Connection refused", 2, 4096));
        assertNull(log.failed(59 * S, "Connection refused", 3, 6144));
        assertEquals(
                "collector still unreachable after 1m: 4 attempts failed, 4 profiles (8 KiB) wait in the spool; last error: timed out",
                log.failed(60 * S, "timed out", 4, 8192));
        assertNull(log.failed(90 * S, "timed out", 5, 10240));
        assertEquals(
                "collector answers again after 2m5s (5 attempts failed); 5 spooled profiles to send",
                log.answered(125 * S, 5));
        assertTrue(log.failed(200 * S, "HTTP 503: busy", 1, 1).startsWith("cannot ship"), "a new outage starts over");
    }

    /** The real shipper against a port where nothing listens: the log says so at once and then at intervals. */
    @Test
    void anAgentWhoseCollectorIsDownSaysSo(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger jul = Logger.getLogger(Delivery.class.getName());
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getLevel() + " " + r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        jul.addHandler(h);
        Spool spool = new Spool(dir.resolve("spool"), 1 << 20);
        Delivery d = new Delivery(
                new Shipper(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(2)),
                spool,
                new Backoff(Duration.ofMillis(50), Duration.ofMillis(100)),
                16,
                Duration.ofMillis(500));
        try {
            d.submit(Upload.of("shop", "cpu", 1000, 2000, LabelSet.EMPTY, new byte[10]));
            long deadline = System.nanoTime() + 20 * S;
            while (lines.stream().noneMatch(l -> l.contains("still unreachable")) && System.nanoTime() < deadline)
                Thread.sleep(50);
        } finally {
            d.close(Duration.ZERO);
            jul.removeHandler(h);
        }
        assertTrue(lines.get(0).startsWith("WARNING cannot ship to the collector ("), lines.toString());
        assertTrue(
                lines.stream()
                        .anyMatch(
                                l -> l.matches(
                                        "WARNING collector still unreachable after \\d+s: \\d+ attempts failed, 1 profiles .*")),
                lines.toString());
        assertTrue(
                lines.size() < d.failures(),
                "not a line per attempt: " + lines.size() + " lines, " + d.failures() + " failures");
    }
}
