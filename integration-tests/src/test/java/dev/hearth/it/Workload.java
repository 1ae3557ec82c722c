package dev.hearth.it;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A JVM with known hot methods: each round runs {@code alpha} units of work in {@link #alpha} and
 * {@code beta} units in {@link #beta}, the same loop in both, so on-CPU time splits alpha : beta
 * between them. The split is in work, not wall time, so a busy machine that takes the CPU away
 * now and then does not bend it. Several threads do the same, so a busy machine still gives the
 * workload enough CPU to sample. It runs until the stop file exists (at most five minutes).
 * Args: alpha beta threads stopFile.
 */
public final class Workload {
    private static final int UNIT = 20_000;
    static volatile long sink;

    public static void main(String[] args) throws InterruptedException {
        int alpha = Integer.parseInt(args[0]);
        int beta = Integer.parseInt(args[1]);
        Thread[] threads = new Thread[Integer.parseInt(args[2])];
        Path stop = Path.of(args[3]);
        long end = System.nanoTime() + 300_000_000_000L;
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Spinner(alpha, beta, stop, end);
            threads[t].start();
        }
        for (Thread t : threads) t.join();
    }

    /** A named class, not a lambda: a lambda's frame name carries an address that differs per JVM. */
    static final class Spinner extends Thread {
        private final int alpha, beta;
        private final Path stop;
        private final long end;

        Spinner(int alpha, int beta, Path stop, long end) {
            super("spinner");
            this.alpha = alpha;
            this.beta = beta;
            this.stop = stop;
            this.end = end;
        }

        @Override
        public void run() {
            for (int round = 0; System.nanoTime() < end; round++) {
                alpha(alpha * UNIT);
                beta(beta * UNIT);
                if (round % 64 == 0 && Files.exists(stop)) return;
            }
        }
    }

    static void alpha(int n) {
        long x = sink;
        for (int i = 0; i < n; i++) x = x * 31 + (x >>> 7) + i;
        sink = x;
    }

    static void beta(int n) {
        long x = sink;
        for (int i = 0; i < n; i++) x = x * 31 + (x >>> 7) + i;
        sink = x;
    }
}
