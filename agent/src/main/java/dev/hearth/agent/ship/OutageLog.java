package dev.hearth.agent.ship;

import java.time.Duration;

/**
 * What the agent says while the collector is unreachable: the first failure at once, then one
 * summary per {@code every} (attempts, what waits in the spool, the last error) instead of a line
 * per attempt or none at all, and the recovery. Pure: the caller gives the clock and logs the lines.
 */
final class OutageLog {
    private final long everyNanos;
    private boolean down;
    private long since;
    private long lastSaid;
    private long failures;

    OutageLog(Duration every) {
        this.everyNanos = every.toNanos();
    }

    /** An attempt failed at {@code now}: the line to log, or null when it is not yet time for one. */
    String failed(long now, String error, int spooled, long spoolBytes) {
        failures++;
        if (!down) {
            down = true;
            since = now;
            lastSaid = now;
            return "cannot ship to the collector (" + error + "); profiles wait in the spool until it answers,"
                    + " a summary follows every " + human(everyNanos) + " meanwhile";
        }
        if (now - lastSaid < everyNanos) return null;
        lastSaid = now;
        return "collector still unreachable after " + human(now - since) + ": " + failures + " attempts failed, "
                + spooled + " profiles (" + spoolBytes / 1024 + " KiB) wait in the spool; last error: " + error;
    }

    /** An attempt succeeded: the line to log when the collector was down, else null. */
    String answered(long now, int spooled) {
        if (!down) return null;
        String line = "collector answers again after " + human(now - since) + " (" + failures + " attempts failed); "
                + spooled + " spooled profiles to send";
        down = false;
        failures = 0;
        return line;
    }

    static String human(long nanos) {
        long s = Math.round(nanos / 1e9);
        if (s < 60) return s + "s";
        return s % 60 == 0 ? s / 60 + "m" : s / 60 + "m" + s % 60 + "s";
    }
}
