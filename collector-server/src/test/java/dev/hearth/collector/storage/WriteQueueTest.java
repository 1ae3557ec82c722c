package dev.hearth.collector.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Profiles waiting together are one group; a bad one among them fails alone. */
class WriteQueueTest {
    @TempDir
    Path dir;

    @Test
    void eachProfileOfAFailedGroupGetsItsOwnAnswer() throws Exception {
        try (Database db = Database.open(dir)) {
            WriteQueue q = new WriteQueue(new StoreWriter(db), 16);
            try {
                // hold the writer so that the three profiles wait together and form one group
                CountDownLatch release = new CountDownLatch(1);
                CompletableFuture<Object> held = q.run(() -> release.await(10, TimeUnit.SECONDS));
                CompletableFuture<WriteOutcome> good1 = q.write(StoreWriterTest.rows("g1", ""));
                CompletableFuture<WriteOutcome> bad = q.write(StoreWriterTest.broken("bad"));
                CompletableFuture<WriteOutcome> good2 = q.write(StoreWriterTest.rows("g2", "-2"));
                release.countDown();
                held.get(10, TimeUnit.SECONDS);

                assertEquals(WriteOutcome.STORED, good1.get(10, TimeUnit.SECONDS));
                assertEquals(WriteOutcome.STORED, good2.get(10, TimeUnit.SECONDS));
                ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(10, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof SQLException, e.getCause().toString());
                assertEquals(2, db.count("profiles"));
                assertEquals(4, db.count("samples"));
                assertEquals(1, db.count("series"), "only the good profiles' series");
            } finally {
                q.close();
            }
        }
    }
}
