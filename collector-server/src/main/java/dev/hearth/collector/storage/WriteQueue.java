package dev.hearth.collector.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The single writer thread and its bounded queue. Profiles waiting together are written in one
 * transaction (group commit), so one disk sync serves many ingests; each caller learns its outcome
 * only after the commit. A store may ask the writer to {@link Gather} a little longer. A full queue
 * refuses work at once instead of blocking the caller.
 */
public final class WriteQueue implements AutoCloseable {
    private static final int MAX_BATCH = 256;

    private sealed interface Job permits Write, Task {}

    private record Write(ProfileRows rows, CompletableFuture<WriteOutcome> done) implements Job {}

    private record Task(Callable<?> work, CompletableFuture<Object> done) implements Job {}

    /**
     * How long the writer waits for more profiles before a write. It waits while they keep coming,
     * each within {@code gap} of the last, for {@code max} at most: a steady stream fills a batch, and
     * when every sender is already waiting (nothing comes within the gap) it writes at once rather
     * than hold them all for {@code max}.
     */
    public record Gather(Duration max, Duration gap) {
        /** Write what is waiting, at once. */
        public static final Gather NONE = new Gather(Duration.ZERO, Duration.ZERO);
    }

    private final BatchWriter writer;
    private final Gather gather;
    private final BlockingQueue<Job> queue;
    private final Thread thread;
    private volatile boolean closing;

    public WriteQueue(BatchWriter writer, int capacity) {
        this(writer, capacity, Gather.NONE);
    }

    public WriteQueue(BatchWriter writer, int capacity, Gather gather) {
        this.writer = writer;
        this.gather = gather;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "hearth-writer");
        thread.start();
    }

    /**
     * Queues a profile; the future completes once it is durably stored, or says why it was not.
     *
     * @throws RejectedExecutionException when the queue is full
     */
    public CompletableFuture<WriteOutcome> write(ProfileRows rows) {
        CompletableFuture<WriteOutcome> done = new CompletableFuture<>();
        offer(new Write(rows, done));
        return done;
    }

    /** Retention on the writer thread, between batches: see {@link BatchWriter#deleteBefore}. */
    public CompletableFuture<Long> deleteBefore(long cutoffMs) {
        return run(() -> writer.deleteBefore(cutoffMs));
    }

    /** Runs work on the writer thread between batches. */
    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> run(Callable<T> work) {
        CompletableFuture<Object> done = new CompletableFuture<>();
        offer(new Task(work, done));
        return (CompletableFuture<T>) done;
    }

    private void offer(Job job) {
        if (closing) throw new RejectedExecutionException("the collector is shutting down");
        if (!queue.offer(job)) throw new RejectedExecutionException("the storage queue is full");
    }

    private void run() {
        List<Job> jobs = new ArrayList<>();
        while (true) {
            try {
                Job first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing) return;
                    continue;
                }
                jobs.add(first);
                queue.drainTo(jobs, MAX_BATCH - 1);
                gather(jobs);
                process(jobs);
            } catch (InterruptedException e) {
                return;
            } finally {
                jobs.clear();
            }
        }
    }

    /** Adds to the jobs what comes while {@link #gather} says to wait. */
    private void gather(List<Job> jobs) throws InterruptedException {
        long until = System.nanoTime() + gather.max().toNanos(),
                gap = gather.gap().toNanos();
        while (jobs.size() < MAX_BATCH) {
            long left = Math.min(gap, until - System.nanoTime());
            if (left <= 0) return;
            Job next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) return;
            jobs.add(next);
            queue.drainTo(jobs, MAX_BATCH - jobs.size());
        }
    }

    private void process(List<Job> jobs) {
        List<Write> writes = new ArrayList<>();
        for (Job job : jobs) {
            if (job instanceof Write w) {
                writes.add(w);
            } else if (job instanceof Task t) {
                flush(writes);
                writes.clear();
                try {
                    t.done().complete(t.work().call());
                } catch (Exception | Error e) {
                    t.done().completeExceptionally(e);
                }
            }
        }
        flush(writes);
    }

    /**
     * Writes a group in one transaction. When that fails, nothing of it was stored, and each
     * profile is tried again alone, so one bad profile fails only its own request.
     */
    private void flush(List<Write> writes) {
        if (writes.isEmpty()) return;
        try {
            WriteOutcome[] stored =
                    writer.write(writes.stream().map(Write::rows).toList());
            for (int i = 0; i < stored.length; i++) writes.get(i).done().complete(stored[i]);
        } catch (Exception | Error e) {
            if (writes.size() == 1) {
                writes.get(0).done().completeExceptionally(e);
            } else {
                for (Write w : writes) flush(List.of(w));
            }
        }
    }

    /** Jobs waiting for the writer thread. */
    public int depth() {
        return queue.size();
    }

    /** Finishes what is queued, then stops the thread. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        thread.join();
        for (Job job; (job = queue.poll()) != null; ) {
            var refused = new RejectedExecutionException("the collector is shutting down");
            if (job instanceof Write w) w.done().completeExceptionally(refused);
            else if (job instanceof Task t) t.done().completeExceptionally(refused);
        }
    }
}
