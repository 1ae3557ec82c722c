package dev.hearth.agent.proc;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The processes sampled in one period, each read once. When the period ends (after its /proc
 * scan), a process named only by its executable that no scan ever saw alive — it started after
 * the period's first scan and was gone by its last — is reported under
 * {@link ServiceNamer#SHORT_LIVED_SERVICE}, so a build's thousand short commands do not each
 * become a service. Not thread-safe.
 */
public final class PeriodProcesses {
    private final ProcessScanner scanner;
    private final Map<Integer, ProcessInfo> processes = new HashMap<>();
    private final Set<Integer> unscanned = new HashSet<>();

    public PeriodProcesses(ProcessScanner scanner) {
        this.scanner = scanner;
    }

    /** The process, read once per period; {@code sampleComm} (a sampled thread's name) stands in for a gone one. */
    public ProcessInfo get(int pid, String sampleComm) {
        return processes.computeIfAbsent(pid, id -> {
            ProcessInfo p = scanner.lookup(id);
            if (p == null) return ProcessInfo.vanished(id, sampleComm != null ? sampleComm : "pid-" + id);
            if (!scanner.follows(p)) unscanned.add(id);
            return p;
        });
    }

    /** After the period's scan: the process as its profiles are named. */
    public ProcessInfo settled(int pid) {
        ProcessInfo p = get(pid, null);
        boolean neverScanned = unscanned.contains(pid) && !scanner.follows(p);
        return neverScanned && p.byExecutable() ? p.withService(ServiceNamer.SHORT_LIVED_SERVICE) : p;
    }

    public void clear() {
        processes.clear();
        unscanned.clear();
    }
}
