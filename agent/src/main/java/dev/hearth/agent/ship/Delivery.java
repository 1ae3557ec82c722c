package dev.hearth.agent.ship;

import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gets uploads to the collector from one background thread. New uploads wait in a small memory
 * queue; an upload that failed, and everything that arrives while the collector is unreachable,
 * goes to the {@link Spool}, which is sent oldest first once the collector answers again. Waits
 * between failed attempts follow a {@link Backoff}. A refused upload (4xx) is logged with the
 * collector's message and not retried. An outage is logged once when it starts, then summed up
 * at intervals ({@link OutageLog}), and once when it ends.
 */
public final class Delivery implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Delivery.class.getName());

    private final Transport transport;
    private final Spool spool;
    private final Backoff backoff;
    private final int memoryQueue;
    private final ArrayDeque<Upload> queue = new ArrayDeque<>();
    private final Thread thread;
    private final OutageLog outage;
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong spoolErrors = new AtomicLong();
    private boolean down;
    private boolean closing;
    private long closeDeadline;

    public Delivery(Transport transport, Spool spool, Backoff backoff, int memoryQueue) {
        this(transport, spool, backoff, memoryQueue, Duration.ofMinutes(1));
    }

    /** @param summaryEvery how often an outage is summed up in the log */
    public Delivery(Transport transport, Spool spool, Backoff backoff, int memoryQueue, Duration summaryEvery) {
        this.outage = new OutageLog(summaryEvery);
        this.transport = transport;
        this.spool = spool;
        this.backoff = backoff;
        this.memoryQueue = memoryQueue;
        this.thread = new Thread(this::run, "hearth-delivery");
        thread.setDaemon(true);
        thread.start();
    }

    public void submit(Upload u) {
        synchronized (this) {
            if (!closing && !down && queue.size() < memoryQueue) {
                queue.add(u);
                notifyAll();
                return;
            }
        }
        toSpool(u);
    }

    /** uploads the collector stored */
    public long stored() {
        return stored.get();
    }

    /** uploads the collector refused (4xx) */
    public long rejected() {
        return rejected.get();
    }

    /** attempts that failed and will be retried */
    public long failures() {
        return failures.get();
    }

    /** uploads lost because the spool could not be written */
    public long spoolErrors() {
        return spoolErrors.get();
    }

    public synchronized int queued() {
        return queue.size();
    }

    /**
     * Tries for up to {@code grace} to send what is queued in memory (not the spool), then spools
     * the rest and stops.
     */
    public void close(Duration grace) {
        synchronized (this) {
            closing = true;
            closeDeadline = System.nanoTime() + grace.toNanos();
            notifyAll();
        }
        try {
            thread.join(grace.toMillis() + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        spoolQueued();
        transport.close();
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }

    private void run() {
        while (true) {
            Upload u;
            Spool.Entry entry = null;
            synchronized (this) {
                while (!closing && queue.isEmpty() && spool.isEmpty()) {
                    if (!await(0)) return;
                }
                if (closing && (queue.isEmpty() || down || System.nanoTime() > closeDeadline)) return;
                u = closing ? queue.poll() : null;
            }
            if (u == null) {
                Map.Entry<Spool.Entry, Upload> oldest = spool.oldest();
                if (oldest != null) {
                    entry = oldest.getKey();
                    u = oldest.getValue();
                } else {
                    synchronized (this) {
                        u = queue.poll();
                    }
                    if (u == null) continue;
                }
            }
            Outcome o = transport.send(u);
            switch (o.kind()) {
                case STORED -> {
                    stored.incrementAndGet();
                    if (entry != null) spool.remove(entry);
                    recovered();
                }
                case REJECTED -> {
                    rejected.incrementAndGet();
                    LOG.log(
                            Level.WARNING,
                            "collector refused {0} (HTTP {1}), not retrying: {2}",
                            u,
                            o.status(),
                            o.message());
                    if (entry != null) spool.remove(entry);
                    recovered();
                }
                case RETRY -> {
                    failures.incrementAndGet();
                    synchronized (this) {
                        down = true;
                    }
                    String error = o.status() > 0 ? "HTTP " + o.status() + ": " + o.message() : o.message();
                    LOG.log(Level.DEBUG, "cannot ship {0} ({1})", u, error);
                    if (entry == null) toSpool(u);
                    String line = outage.failed(System.nanoTime(), error, spool.size(), spool.bytes());
                    if (line != null) LOG.log(Level.WARNING, line);
                    spoolQueued();
                    long wait = backoff.nextDelayMs();
                    synchronized (this) {
                        if (!closing && !await(wait)) return;
                    }
                }
            }
        }
    }

    private void recovered() {
        synchronized (this) {
            String line = outage.answered(System.nanoTime(), spool.size());
            if (line != null) LOG.log(Level.INFO, line);
            down = false;
        }
        backoff.reset();
    }

    /** Waits on this monitor; false when interrupted (closing). */
    private boolean await(long ms) {
        try {
            wait(ms);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void spoolQueued() {
        while (true) {
            Upload u;
            synchronized (this) {
                u = queue.poll();
            }
            if (u == null) return;
            toSpool(u);
        }
    }

    private void toSpool(Upload u) {
        try {
            spool.put(u);
        } catch (UncheckedIOException e) {
            spoolErrors.incrementAndGet();
            LOG.log(Level.WARNING, "{0} is lost: {1}", u, e.getMessage());
        }
    }
}
