package dev.hearth.bpf;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/** A JVM busy with a few typical kinds of work, for the fold-ratio benchmark. Args: seconds. */
public final class JvmWorkload {
    private JvmWorkload() {}

    public static void main(String[] args) {
        long end = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000_000L;
        Random r = new Random(42);
        long sink = 0;
        while (System.nanoTime() < end) {
            sink += sort(r) + hash(r) + text(r);
        }
        System.out.println(sink == 42 ? "?" : "done");
    }

    static long sort(Random r) {
        int[] a = r.ints(20_000).toArray();
        Arrays.sort(a);
        return a[0];
    }

    static long hash(Random r) {
        Map<Integer, Integer> m = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            m.merge(r.nextInt(5_000), 1, Integer::sum);
        }
        return m.size();
    }

    static long text(Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            b.append(Integer.toHexString(r.nextInt())).append(',');
        }
        return b.toString().split(",").length;
    }
}
