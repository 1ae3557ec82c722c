package dev.hearth.collector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this JVM's threads grouped by name (digits dropped, so a pool is one group); what
 * the process used beyond its Java threads is split by the JVM's own thread names in /proc (JIT
 * compilers, garbage collector) and the rest is "other" (DuckDB's threads, the VM thread).
 */
final class ThreadCpu {
    /** Kernel thread names of the JVM's own threads (cut to 15 characters) → group. */
    private static final Map<String, String> JVM_THREADS =
            Map.of("C1 CompilerThre", "JIT", "C2 CompilerThre", "JIT", "GC Thread", "GC", "G1 ", "GC");

    private final Map<Long, Long> byThread = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    private final Map<String, Long> jvmThreads = jvmThreads();
    private final long process;

    private ThreadCpu() {
        var mx = ManagementFactory.getThreadMXBean();
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) continue;
            long t = mx.getThreadCpuTime(info.getThreadId());
            if (t < 0) continue;
            byThread.put(info.getThreadId(), t);
            names.put(info.getThreadId(), info.getThreadName().replaceAll("[-#]?[0-9]+", ""));
        }
        process = CollectorBench.processCpuNanos();
    }

    static ThreadCpu now() {
        return new ThreadCpu();
    }

    /** Nanoseconds per group between {@code before} and this snapshot, plus {@code extra} groups measured elsewhere. */
    Map<String, Long> since(ThreadCpu before, Map<String, Long> extra) {
        Map<String, Long> out = new TreeMap<>(extra);
        long javaThreads = extra.values().stream().mapToLong(Long::longValue).sum();
        for (var e : byThread.entrySet()) {
            long d = e.getValue() - before.byThread.getOrDefault(e.getKey(), 0L);
            out.merge(names.get(e.getKey()), d, Long::sum);
            javaThreads += d;
        }
        long other = process - before.process - javaThreads;
        for (var e : jvmThreads.entrySet()) {
            long d = e.getValue() - before.jvmThreads.getOrDefault(e.getKey(), 0L);
            out.merge(e.getKey(), d, Long::sum);
            other -= d;
        }
        out.put("other (DuckDB's threads, VM thread)", other);
        out.values().removeIf(v -> v < 1_000_000);
        return out;
    }

    /** CPU nanoseconds of the JVM's compiler and GC threads, by group: each task's name and schedstat (ns on CPU) in /proc. */
    private static Map<String, Long> jvmThreads() {
        Map<String, Long> out = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    for (var e : JVM_THREADS.entrySet()) {
                        if (!comm.startsWith(e.getKey())) continue;
                        String onCpu =
                                Files.readString(task.resolve("schedstat")).split(" ")[0];
                        out.merge(e.getValue(), Long.parseLong(onCpu), Long::sum);
                    }
                } catch (IOException exited) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
