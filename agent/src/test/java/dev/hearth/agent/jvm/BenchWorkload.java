package dev.hearth.agent.jvm;

import java.util.HashMap;
import java.util.Map;

/**
 * A service-like JVM workload for the overhead benchmark: one thread builds strings, fills and
 * reads a map and allocates as it goes; every second it prints "ops N" for the operations done.
 */
public final class BenchWorkload {
    static volatile Object sink;

    public static void main(String[] args) {
        Map<String, int[]> map = new HashMap<>();
        long next = System.nanoTime() + 1_000_000_000L;
        long ops = 0;
        long seed = 42;
        while (true) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            String key = "k" + (seed >>> 52);
            int[] v = map.computeIfAbsent(key, k -> new int[16]);
            v[(int) (seed & 15)]++;
            sink = new StringBuilder(key).append(':').append(v[0]).toString();
            if (map.size() > 2048) map.clear();
            ops++;
            if ((ops & 1023) == 0 && System.nanoTime() >= next) {
                System.out.println("ops " + ops);
                ops = 0;
                next += 1_000_000_000L;
            }
        }
    }
}
