package dev.hearth.agent.workload;

/**
 * A single-threaded CPU workload with a known split: per round, {@code hotSeventy} runs 70 times
 * and {@code hotThirty} 30 times, each call doing the same work, so a profiler should attribute
 * 70% / 30% of their CPU time to them. Run with {@code -XX:CompileCommand=dontinline,…::hot*} so
 * both stay frames of their own. Args: seconds to run, then optionally the two call counts.
 */
public final class SplitWorkload {
    static volatile long sink;

    public static void main(String[] args) {
        long end = System.nanoTime() + (long) (Double.parseDouble(args[0]) * 1e9);
        int a = args.length > 1 ? Integer.parseInt(args[1]) : 70;
        int b = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        System.out.println("ready");
        System.out.flush();
        long acc = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < a; i++) acc += hotSeventy(acc);
            for (int i = 0; i < b; i++) acc += hotThirty(acc);
            sink = acc;
        }
    }

    static long hotSeventy(long seed) {
        long x = seed | 1;
        for (int i = 0; i < 20_000; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }

    static long hotThirty(long seed) {
        long x = seed | 1;
        for (int i = 0; i < 20_000; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }
}
