package dev.hearth.collector.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A deadline interrupts a DuckDB statement that is running, and the connection serves the next query. */
class QueryDeadlineTest {
    /** A cross join of 10^12 rows: many minutes of work if nothing stops it. */
    static final String ENDLESS = "SELECT sum(a.range * b.range) FROM range(1000000) a, range(1000000) b";

    @TempDir
    Path dir;

    @Test
    void expiringCancelsTheRunningStatement() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (Database db = Database.open(dir)) {
            Connection c = db.connection();
            QueryDeadline deadline = QueryDeadline.after(Duration.ofMinutes(10));
            timer.schedule(deadline::expire, 300, TimeUnit.MILLISECONDS); // as the HTTP handler's timer does
            long t0 = System.nanoTime();
            assertThrows(QueryDeadline.Exceeded.class, () -> Database.query(c, ENDLESS, deadline, r -> {}));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 60, "the statement ran on for " + seconds + " s after its deadline");
            assertTrue(deadline.expired());
            long[] one = {0};
            Database.query(c, "SELECT 1", QueryDeadline.NONE, r -> one[0] = r.getLong(1));
            assertEquals(1, one[0], "the connection still works");
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void aPassedDeadlineStopsBeforeTheStatementStarts() throws Exception {
        try (Database db = Database.open(dir)) {
            QueryDeadline gone = QueryDeadline.after(Duration.ofNanos(1));
            Thread.sleep(1);
            assertThrows(QueryDeadline.Exceeded.class, () -> Database.query(db.connection(), ENDLESS, gone, r -> {}));
        }
    }
}
