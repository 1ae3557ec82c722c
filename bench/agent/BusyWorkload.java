import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;

/**
 * A busy JVM for the agent benchmark: THREADS threads doing map, string and sort work; after WARMUP
 * seconds it counts operations for SECONDS seconds and prints "ops PER_SECOND PER_CPU_SECOND": per
 * wall second (what a user sees; depends on what else runs) and per CPU second of its threads (what
 * profiling inside the process costs it, robust against other load on the machine).
 */
public class BusyWorkload {
    static volatile boolean measuring;
    static volatile boolean stop;
    static volatile long sink;

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        double seconds = Double.parseDouble(args[1]);
        double warmup = Double.parseDouble(args[2]);
        LongAdder ops = new LongAdder();
        Thread[] ts = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            int seed = i;
            ts[i] = new Thread(() -> {
                Random r = new Random(seed);
                long acc = 0;
                while (!stop) {
                    acc += work(r);
                    if (measuring) ops.increment();
                }
                sink = acc;
            }, "busy-" + i);
            ts[i].start();
        }
        Thread.sleep((long) (warmup * 1000));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu0 = 0, cpu1 = 0;
        for (Thread t : ts) cpu0 -= mx.getThreadCpuTime(t.getId());
        measuring = true;
        long t0 = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        measuring = false;
        long t1 = System.nanoTime();
        for (Thread t : ts) cpu1 += mx.getThreadCpuTime(t.getId());
        stop = true;
        for (Thread t : ts) t.join();
        System.out.printf("ops %.1f %.1f%n", ops.sum() / ((t1 - t0) / 1e9), ops.sum() / ((cpu1 + cpu0) / 1e9));
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
