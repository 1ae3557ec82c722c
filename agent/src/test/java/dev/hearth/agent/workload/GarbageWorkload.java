package dev.hearth.agent.workload;

/**
 * Keeps the JVM's own native threads busy: allocates arrays and keeps a ring of them alive, so the
 * garbage collector copies live data all the time. Args: seconds to run.
 */
public final class GarbageWorkload {
    static volatile Object sink;

    public static void main(String[] args) {
        long end = System.nanoTime() + (long) (Double.parseDouble(args[0]) * 1e9);
        Object[] ring = new Object[4096];
        System.out.println("ready");
        System.out.flush();
        for (long i = 0; System.nanoTime() < end; i++) {
            ring[(int) (i & 4095)] = new long[64 + (int) (i & 255)];
            sink = ring;
        }
    }
}
