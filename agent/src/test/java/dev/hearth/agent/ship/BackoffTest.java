package dev.hearth.agent.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesWithJitterUpToTheMaximumAndResets() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        long[] ceilings = {100, 200, 400, 800, 1000, 1000, 1000};
        boolean varied = false;
        for (long c : ceilings) {
            long d = b.nextDelayMs();
            assertTrue(d >= c / 2 && d <= c, "delay " + d + " outside [" + c / 2 + ", " + c + "]");
        }
        for (int i = 0; i < 50 && !varied; i++) varied = b.nextDelayMs() != b.nextDelayMs();
        assertTrue(varied, "delays never vary: no jitter");
        b.reset();
        assertEquals(0, b.failures());
        assertTrue(b.nextDelayMs() <= 100);
    }

    @Test
    void refusesABackwardsRange() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
    }
}
