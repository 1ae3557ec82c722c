import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;

/**
 * A busy JVM for the agent benchmark: THREADS threads doing map, string and sort work for SECONDS
 * seconds. Every TICK_MS it prints "tick EPOCH_MS OPS CPU_NS", cumulative: operations done and
 * the CPU time of the whole process (profiler threads and signal handlers included). The benchmark
 * cuts windows out of this one JVM's life, so JIT luck differs between no two runs it compares.
 */
public class BusyWorkload {
    static volatile boolean stop;
    static volatile long sink;

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        double seconds = Double.parseDouble(args[1]);
        long tickMs = args.length > 2 ? Long.parseLong(args[2]) : 100;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        LongAdder ops = new LongAdder();
        Thread[] ts = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            int seed = i;
            ts[i] = new Thread(() -> {
                Random r = new Random(seed);
                long acc = 0;
                while (!stop) {
                    acc += work(r);
                    ops.increment();
                }
                sink = acc;
            }, "busy-" + i);
            ts[i].start();
        }
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            System.out.println("tick " + System.currentTimeMillis() + " " + ops.sum() + " " + os.getProcessCpuTime());
            Thread.sleep(tickMs);
        }
        stop = true;
        for (Thread t : ts) t.join();
    }

    static long work(Random r) {
        HashMap<String, Integer> m = new HashMap<>();
        for (int i = 0; i < 64; i++) m.merge("key-" + r.nextInt(500), i, Integer::sum);
        int[] a = new int[256];
        for (int i = 0; i < a.length; i++) a[i] = r.nextInt();
        Arrays.sort(a);
        return m.size() + a[0];
    }
}
