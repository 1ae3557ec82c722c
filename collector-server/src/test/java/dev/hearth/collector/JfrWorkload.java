package dev.hearth.collector;

/** A JVM that records itself with the JDK's own flight recorder: burns CPU in {@link #spin} and allocates in {@link #allocate}. */
public final class JfrWorkload {
    static volatile long sink;
    static volatile Object keep;

    static void spin() {
        long x = sink;
        for (int i = 0; i < 2_000_000; i++) x += (x >>> 3) ^ i * 31L;
        sink = x;
    }

    static void allocate() {
        for (int i = 0; i < 50; i++) keep = new byte[64 * 1024];
    }

    public static void main(String[] args) {
        long until = System.currentTimeMillis() + Long.parseLong(args[0]);
        while (System.currentTimeMillis() < until) {
            spin();
            allocate();
        }
    }
}
