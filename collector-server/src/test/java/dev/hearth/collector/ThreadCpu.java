package dev.hearth.collector;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this JVM's threads grouped by name (digits dropped, so a pool is one group); what
 * the process used beyond its Java threads (GC, JIT, DuckDB's own threads) is the group "other".
 */
final class ThreadCpu {
    private final Map<Long, Long> byThread = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
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
        out.put("other (GC, JIT, DuckDB threads)", process - before.process - javaThreads);
        out.values().removeIf(v -> v < 1_000_000);
        return out;
    }
}
