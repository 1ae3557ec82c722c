package dev.hearth.agent.ship;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": the n-th wait is uniformly drawn from [d/2, d] with
 * d = min(max, min·2^n), so agents that lost the collector together do not retry in step.
 */
public final class Backoff {
    private final long minMs;
    private final long maxMs;
    private int failures;

    public Backoff(Duration min, Duration max) {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("need 0 < min <= max, got " + min + ", " + max);
        }
        this.minMs = min.toMillis();
        this.maxMs = max.toMillis();
    }

    /** The wait before the next retry; each call doubles the ceiling up to max. */
    public long nextDelayMs() {
        long ceiling = Math.min(maxMs, minMs << Math.min(failures, 30));
        failures++;
        long half = ceiling / 2;
        return half + ThreadLocalRandom.current().nextLong(ceiling - half + 1);
    }

    public void reset() {
        failures = 0;
    }

    public int failures() {
        return failures;
    }
}
