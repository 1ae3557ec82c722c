package dev.hearth.symbolizer;

import dev.hearth.symbolizer.unwind.UnwindResult;
import dev.hearth.symbolizer.unwind.UnwindTable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Benchmark (run by bench/symbolizer.sh): unwind table build time and size for this JDK's libjvm.so
 * and the libc.so.6 this JVM maps: first build in a fresh JVM, then the median of warm builds; rows,
 * FDEs, rows by rule, and bytes on the heap and at 16 bytes per row (a kernel map's encoding).
 */
public final class UnwindTableBench {
    static final int ROUNDS = 9, KERNEL_ROW_BYTES = 16;
    static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    static final String[] RULES = {"gap", "rsp", "rbp", "plt", "signal", "end", "stop"};

    public static void main(String[] args) throws Exception {
        Path libjvm = Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so")
                .toRealPath();
        Path libc = ElfMutationTest.libc().toRealPath();
        System.out.printf(
                "unwind tables (java %s, load %s)%n",
                System.getProperty("java.version"),
                Files.readString(Path.of("/proc/loadavg")).trim());
        for (Path p : new Path[] {libjvm, libc}) measure(p);
    }

    private static void measure(Path binary) throws Exception {
        long t0 = System.nanoTime(), c0 = CPU.getCurrentThreadCpuTime();
        UnwindResult first = UnwindTableCache.build(binary);
        double coldMs = (System.nanoTime() - t0) / 1e6, coldCpu = (CPU.getCurrentThreadCpuTime() - c0) / 1e6;
        if (!(first instanceof UnwindTable t)) throw new IllegalStateException(binary + ": " + first);
        double[] wall = new double[ROUNDS], cpu = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long w = System.nanoTime(), c = CPU.getCurrentThreadCpuTime();
            UnwindTableCache.build(binary);
            wall[r] = (System.nanoTime() - w) / 1e6;
            cpu[r] = (CPU.getCurrentThreadCpuTime() - c) / 1e6;
        }
        int[] byRule = new int[RULES.length];
        long[] bytesByRule = new long[RULES.length];
        for (int i = 0; i < t.rows(); i++) {
            byRule[t.rule(i)]++;
            if (i + 1 < t.rows()) bytesByRule[t.rule(i)] += t.start(i + 1) - t.start(i);
        }
        long code = 0;
        for (int k = 1; k < RULES.length; k++) code += bytesByRule[k];
        StringBuilder rules = new StringBuilder();
        for (int k = 0; k < RULES.length; k++)
            if (byRule[k] > 0) rules.append(String.format(" %s %d", RULES[k], byRule[k]));
        System.out.printf(
                "%s (%d MB): first build %.0f ms (%.0f ms CPU), warm median %.1f ms (%.1f ms CPU) over %d%n",
                binary.getFileName(), Files.size(binary) >> 20, coldMs, coldCpu, median(wall), median(cpu), ROUNDS);
        System.out.printf("  %d rows from %d FDEs (%d skipped);%s%n", t.rows(), t.fdes(), t.skippedFdes(), rules);
        System.out.printf(
                "  %.2f MB on the heap, %.2f MB at %d bytes per row; code covered by FDEs %.1f MB, of it unwindable (not stop) %.2f%%%n",
                t.bytes() / 1e6,
                (double) t.rows() * KERNEL_ROW_BYTES / 1e6,
                KERNEL_ROW_BYTES,
                code / 1e6,
                100.0 * (code - bytesByRule[UnwindTable.STOP]) / Math.max(1, code));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
