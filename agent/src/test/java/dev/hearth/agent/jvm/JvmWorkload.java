package dev.hearth.agent.jvm;

import java.io.BufferedReader;
import java.io.InputStreamReader;

/**
 * A JVM for attach tests. Prints "ready", then runs one job per line read from stdin and answers
 * "done N": {@code cpu ROUNDS} splits CPU 3:1 between {@link #heavy} and {@link #light};
 * {@code alloc ARRAYS} allocates 64 KiB arrays in {@link #allocate} (N is the bytes);
 * {@code lock MILLIS} makes {@link #contend} wait for a monitor another thread holds;
 * {@code exit} exits. Everything runs in the thread named "worker".
 */
public final class JvmWorkload {
    static volatile long sink;
    static volatile Object keep;
    static final Object MONITOR = new Object();

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
        for (int i = 0; i < arrays; i++) keep = new byte[64 * 1024];
        // 16-byte array header on 64-bit HotSpot with compressed class pointers.
        return arrays * (64 * 1024 + 16L);
    }

    static long contend(long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        Thread holder = new Thread(
                () -> {
                    while (System.currentTimeMillis() < until) {
                        synchronized (MONITOR) {
                            pause(20);
                        }
                        pause(1);
                    }
                },
                "lock-holder");
        holder.start();
        long entered = 0;
        while (System.currentTimeMillis() < until) {
            synchronized (MONITOR) {
                entered++;
            }
            pause(1);
        }
        holder.join();
        return entered;
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        Thread.currentThread().setName("worker");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        System.out.println("ready");
        for (String line; (line = in.readLine()) != null; ) {
            String[] job = line.trim().split(" ");
            long n = switch (job[0]) {
                case "cpu" -> {
                    for (int i = 0; i < Integer.parseInt(job[1]); i++) {
                        heavy();
                        light();
                    }
                    yield 0;
                }
                case "alloc" -> allocate(Integer.parseInt(job[1]));
                case "lock" -> contend(Long.parseLong(job[1]));
                case "exit" -> {
                    System.exit(0);
                    yield 0;
                }
                default -> throw new IllegalArgumentException(line);
            };
            System.out.println("done " + n);
        }
    }
}
