package dev.hearth.collector.storage;

import java.time.Duration;

/**
 * How old profiles are downsampled: those older than {@code after} are merged into one profile per
 * series per {@code step} ({@code after} zero: never); one pass merges at most
 * {@code maxProfilesPerPass} profiles, so it holds the writer only briefly, and passes repeat until
 * nothing is due.
 */
public record Downsampling(Duration after, Duration step, int maxProfilesPerPass) {
    public static final Duration DEFAULT_AFTER = Duration.ofDays(7);
    public static final Duration DEFAULT_STEP = Duration.ofHours(1);
    public static final int DEFAULT_MAX_PROFILES_PER_PASS = 20_000;

    public Downsampling {
        if (after.isNegative())
            throw new IllegalArgumentException("--downsample-after must not be negative, got " + after);
        if (step.toMillis() < 1)
            throw new IllegalArgumentException("--downsample-step must be at least 1 ms, got " + step);
        if (maxProfilesPerPass < 1)
            throw new IllegalArgumentException("profiles per pass must be positive, got " + maxProfilesPerPass);
    }

    public static Downsampling defaults() {
        return new Downsampling(DEFAULT_AFTER, DEFAULT_STEP, DEFAULT_MAX_PROFILES_PER_PASS);
    }

    public boolean enabled() {
        return !after.isZero();
    }

    /** One pass at {@code nowMs}: list, plan, apply. */
    public DownsampleResult pass(DownsampleStore store, long nowMs) throws Exception {
        long stepMs = step.toMillis();
        long due = DownsamplePlan.alignedCutoff(nowMs - after.toMillis(), stepMs);
        var plan =
                DownsamplePlan.plan(store.candidates(due, stepMs, maxProfilesPerPass), due, stepMs, maxProfilesPerPass);
        return plan.isEmpty() ? DownsampleResult.NOTHING : store.apply(plan);
    }
}
