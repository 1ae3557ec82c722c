package dev.hearth.collector.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Profiles waiting together are one group; a bad one among them fails alone; a store may ask to gather them. */
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

    /** The real writer, with the size of each batch it was given. */
    private record Recording(StoreWriter writer, List<Integer> batches) implements BatchWriter {
        @Override
        public WriteOutcome[] write(List<ProfileRows> batch) throws Exception {
            batches.add(batch.size());
            return writer.write(batch);
        }

        @Override
        public long deleteBefore(long cutoffMs) throws Exception {
            return writer.deleteBefore(cutoffMs);
        }
    }

    @Test
    void gathersWhileProfilesKeepComingAndWritesAtOnceWhenTheyStop() throws Exception {
        try (Database db = Database.open(dir)) {
            var batches = new CopyOnWriteArrayList<Integer>();
            // a gap far longer than the pauses below, and a bound far longer than the test
            var gather = new WriteQueue.Gather(Duration.ofSeconds(60), Duration.ofSeconds(2));
            WriteQueue q = new WriteQueue(new Recording(new StoreWriter(db), batches), 16, gather);
            try {
                List<CompletableFuture<WriteOutcome>> stream = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    stream.add(q.write(StoreWriterTest.rows("s" + i, "-" + i)));
                    Thread.sleep(100);
                }
                for (var f : stream) assertEquals(WriteOutcome.STORED, f.get(30, TimeUnit.SECONDS));
                assertEquals(List.of(5), batches, "five profiles 100 ms apart, one batch");

                // one profile alone is written once the gap passes, long before the bound
                assertEquals(
                        WriteOutcome.STORED,
                        q.write(StoreWriterTest.rows("alone", "-a")).get(30, TimeUnit.SECONDS));
                assertEquals(List.of(5, 1), batches);
                assertEquals(6, db.count("profiles"));
            } finally {
                q.close();
            }
        }
    }
}
