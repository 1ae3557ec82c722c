package dev.hearth.pprof.jfr;

/**
 * A JVM workload for recordings: a thread splitting CPU 3:1 between two methods for a fixed
 * amount of work (so the CPU samples do not depend on how busy the machine is), a thread
 * allocating a known number of bytes, and two threads contending for one monitor while the work
 * lasts. Prints the bytes allocated by {@link #allocate} when done.
 */
public final class MixedWorkload {
    static volatile long sink;
    static volatile Object keep;
    static final Object MONITOR = new Object();
    static final int CHUNK = 64 * 1024;

    static void heavy() {
        long x = sink;
        for (int i = 0; i < 3_000_000; i++) x += (x >>> 3) ^ i * 31L;
        sink = x;
    }

    static void light() {
        long x = sink;
        for (int i = 0; i < 1_000_000; i++) x += (x >>> 3) ^ i * 31L;
        sink = x;
    }

    static long allocate(int arrays) {
        for (int i = 0; i < arrays; i++) keep = new byte[CHUNK];
        return arrays;
    }

    static volatile boolean done;

    static void holdMonitor() throws InterruptedException {
        while (!done) {
            synchronized (MONITOR) {
                Thread.sleep(20);
            }
            Thread.sleep(1);
        }
    }

    static void contend() throws InterruptedException {
        while (!done) {
            synchronized (MONITOR) {
                sink++;
            }
            Thread.sleep(1);
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int arrays = Integer.parseInt(args[1]);
        Thread cpu = new Thread(
                () -> {
                    for (int i = 0; i < rounds; i++) {
                        heavy();
                        light();
                    }
                    done = true;
                },
                "cpu-worker");
        long[] allocated = new long[1];
        Thread alloc = new Thread(() -> allocated[0] = allocate(arrays), "allocator");
        Thread holder = new Thread(
                () -> {
                    try {
                        holdMonitor();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "lock-holder");
        Thread waiter = new Thread(
                () -> {
                    try {
                        contend();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "lock-waiter");
        for (Thread t : new Thread[] {cpu, alloc, holder, waiter}) t.start();
        for (Thread t : new Thread[] {cpu, alloc, holder, waiter}) t.join();
        // Array size: 16-byte header plus the elements, on 64-bit HotSpot with compressed class pointers.
        System.out.println("allocated " + allocated[0] * (CHUNK + 16L));
    }
}
