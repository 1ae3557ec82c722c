package dev.hearth.agent;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The wait between drains that the agent's periods and {@code record} share: until a deadline or a
 * stop request, draining early whenever the source says its maps are filling, so nothing is dropped
 * before the regular drain.
 */
final class DrainWait {
    /** How often the source is asked whether a drain is due. */
    static final long POLL_MS = 250;

    private DrainWait() {}

    /** Waits until {@link System#nanoTime()} reaches {@code deadlineNanos} or {@code stop} opens; true when stopped (or interrupted). */
    static boolean until(long deadlineNanos, CountDownLatch stop, SampleSource source, Runnable drain) {
        while (true) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) return false;
            try {
                if (stop.await(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, POLL_MS), TimeUnit.MILLISECONDS))
                    return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
            if (source.drainDue()) drain.run();
        }
    }
}
