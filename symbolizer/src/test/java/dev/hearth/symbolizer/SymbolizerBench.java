package dev.hearth.symbolizer;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Benchmark (run by bench/symbolizer.sh): warm resolution of 100k addresses in this JVM's libjvm.so,
 * first load of libjvm.so's symbols, memory of its table; baseline in the same run: nm + c++filt
 * output into a TreeMap, looked up the same way.
 */
public final class SymbolizerBench {
    static final int ADDRESSES = 100_000, STACK = 50, ROUNDS = 7, WARM_ROUNDS = 15;
    static final java.lang.management.ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int pid = (int) ProcessHandle.current().pid();
        MapsParser maps = MapsParser.parse(Files.readString(Path.of("/proc/self/maps")));
        List<Mapping> text = maps.all().stream()
                .filter(m -> m.path().endsWith("/libjvm.so") && m.executable())
                .toList();
        if (text.isEmpty()) throw new IllegalStateException("libjvm.so is not mapped");
        Path libjvm = Path.of(text.get(0).path());
        long[] addrs = new long[ADDRESSES];
        Random rnd = new Random(42);
        for (int i = 0; i < addrs.length; i++) {
            Mapping m = text.get(rnd.nextInt(text.size()));
            addrs[i] = m.start() + (long) (rnd.nextDouble() * (m.end() - m.start()));
        }
        System.out.printf(
                "libjvm.so: %s (%d MB), %d addresses in its text, stacks of %d%n",
                libjvm, Files.size(libjvm) >> 20, ADDRESSES, STACK);

        // first load, in a JVM that has never run the loader
        long heapBefore = usedHeap();
        Symbolizer s = new Symbolizer(new SymbolizerOptions(false, 256, Duration.ofSeconds(10)));
        long t0 = System.nanoTime(), c0 = CPU.getCurrentThreadCpuTime();
        s.user(pid, new long[] {addrs[0]});
        double coldLoadMs = ms(System.nanoTime() - t0), coldLoadCpu = ms(CPU.getCurrentThreadCpuTime() - c0);
        long tableBytes = s.stats().cachedBytes();
        long heapAfter = usedHeap();

        double[] loads = new double[ROUNDS], loadsCpu = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            try (Symbolizer fresh = new Symbolizer(SymbolizerOptions.defaults())) {
                long t = System.nanoTime(), c = CPU.getCurrentThreadCpuTime();
                fresh.user(pid, new long[] {addrs[0]});
                loads[r] = ms(System.nanoTime() - t);
                loadsCpu[r] = ms(CPU.getCurrentThreadCpuTime() - c);
            }
        }

        // baseline: nm -C (names demangled by binutils) into a TreeMap<Long, String>
        nmTree(libjvm); // warm the parsing code, as for ours
        long b0 = System.nanoTime();
        TreeMap<Long, String> tree = nmTree(libjvm);
        double nmLoadMs = ms(System.nanoTime() - b0);
        long treeHeap = heapOf(() -> nmTree(libjvm));
        long base = text.get(0).start() - text.get(0).fileOffset(); // libjvm's text segment has vaddr == file offset

        // warm resolution, ours and the baseline alternating so both see the same machine load
        double[] warm = new double[WARM_ROUNDS], warmCpu = new double[WARM_ROUNDS];
        double[] treeWarm = new double[WARM_ROUNDS], treeCpu = new double[WARM_ROUNDS], ratio = new double[WARM_ROUNDS];
        resolveAll(s, pid, addrs); // warm: tables loaded, names demangled once
        treeLookups(tree, base, addrs);
        for (int r = 0; r < WARM_ROUNDS; r++) {
            long t = System.nanoTime(), c = CPU.getCurrentThreadCpuTime();
            resolveAll(s, pid, addrs);
            warm[r] = ms(System.nanoTime() - t);
            warmCpu[r] = ms(CPU.getCurrentThreadCpuTime() - c);
            t = System.nanoTime();
            c = CPU.getCurrentThreadCpuTime();
            treeLookups(tree, base, addrs);
            treeWarm[r] = ms(System.nanoTime() - t);
            treeCpu[r] = ms(CPU.getCurrentThreadCpuTime() - c);
            ratio[r] = warmCpu[r] / treeCpu[r];
        }
        SymbolizerStats st = s.stats();
        s.close();

        System.out.printf(
                "warm resolve of %d addresses: median %.1f ms wall, %.1f ms cpu (best %.1f ms wall)   [baseline TreeMap floorEntry, no frames built: %.1f ms wall, %.1f ms cpu; ours/baseline cpu ratio, median of %d alternating rounds: %.2f]%n",
                ADDRESSES,
                median(warm),
                median(warmCpu),
                min(warm),
                median(treeWarm),
                median(treeCpu),
                WARM_ROUNDS,
                median(ratio));
        System.out.printf(
                "first load of libjvm.so symbols: %.0f ms wall (%.0f ms cpu) in a fresh JVM; warmed median %.0f ms wall (%.0f ms cpu)   [baseline nm -C into TreeMap, warmed: %.0f ms wall]%n",
                coldLoadMs, coldLoadCpu, median(loads), median(loadsCpu), nmLoadMs);
        System.out.printf(
                "libjvm.so table: %.1f MB by accounting, %.1f MB heap delta after first load   [baseline TreeMap: %.1f MB heap]%n",
                tableBytes / 1e6, (heapAfter - heapBefore) / 1e6, treeHeap / 1e6);
        System.out.printf(
                "stats after the run: resolved %d, unknown %d, cached binaries %d%n",
                st.resolved(), st.unknown(), st.cachedBinaries());
    }

    static void treeLookups(TreeMap<Long, String> tree, long base, long[] addrs) {
        long found = 0;
        for (long a : addrs) {
            Map.Entry<Long, String> e = tree.floorEntry(a - base);
            if (e != null) found += e.getValue().length();
        }
        if (found == 0) throw new IllegalStateException("baseline found nothing");
    }

    static void resolveAll(Symbolizer s, int pid, long[] addrs) {
        for (int i = 0; i < addrs.length; i += STACK) {
            s.user(pid, Arrays.copyOfRange(addrs, i, Math.min(addrs.length, i + STACK)));
        }
    }

    static TreeMap<Long, String> nmTree(Path lib) throws Exception {
        Process p = new ProcessBuilder("nm", "-C", "--defined-only", lib.toString())
                .redirectErrorStream(true)
                .start();
        TreeMap<Long, String> tree = new TreeMap<>();
        try (var r = p.inputReader()) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.length() < 20) continue;
                char type = line.charAt(17);
                if (type != 't' && type != 'T' && type != 'W' && type != 'w' && type != 'i') continue;
                tree.put(Long.parseUnsignedLong(line, 0, 16, 16), line.substring(19));
            }
        }
        p.waitFor();
        return tree;
    }

    interface Load {
        Object get() throws Exception;
    }

    static long heapOf(Load load) throws Exception {
        long before = usedHeap();
        Object keep = load.get();
        long after = usedHeap();
        if (keep == null) throw new IllegalStateException();
        return after - before;
    }

    static long usedHeap() {
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }
}
