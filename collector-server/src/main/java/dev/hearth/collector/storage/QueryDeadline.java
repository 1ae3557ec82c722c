package dev.hearth.collector.storage;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The time a query may take. When it passes, {@link #expire()} cancels the DuckDB statement that is
 * running (DuckDB interrupts it between vectors) and every later {@link #check()} throws, so the
 * worker is freed rather than finishing work nobody waits for.
 */
public final class QueryDeadline {
    /** For work that has no deadline (the benchmark's direct merges, tests). */
    public static final QueryDeadline NONE = new QueryDeadline(Long.MAX_VALUE);

    private final long expiresAtNanos;
    private volatile boolean expired;
    private Statement running;

    private QueryDeadline(long expiresAtNanos) {
        this.expiresAtNanos = expiresAtNanos;
    }

    public static QueryDeadline after(Duration d) {
        return new QueryDeadline(System.nanoTime() + d.toNanos());
    }

    /** Thrown where a query notices that its deadline has passed. */
    public static final class Exceeded extends RuntimeException {
        Exceeded() {
            super("the query ran past its deadline and was cancelled", null, false, false);
        }
    }

    /** Throws {@link Exceeded} once the deadline has passed. */
    public void check() {
        if (expired || (this != NONE && System.nanoTime() - expiresAtNanos > 0)) {
            expired = true;
            throw new Exceeded();
        }
    }

    /** Whole seconds left, rounded up; 0 for no deadline. */
    int remainingSeconds() {
        if (this == NONE) return 0;
        long left = expiresAtNanos - System.nanoTime();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999_999L) / 1_000_000_000L));
    }

    public boolean expired() {
        return expired;
    }

    /** Marks the deadline passed and cancels the statement running now, if any. */
    public void expire() {
        if (this == NONE) return;
        expired = true;
        Statement s;
        synchronized (this) {
            s = running;
        }
        if (s != null) {
            try {
                s.cancel();
            } catch (SQLException | RuntimeException e) {
                // the statement finished or closed meanwhile; the next check() stops the query
            }
        }
    }

    synchronized void running(Statement s) {
        running = s;
    }
}
