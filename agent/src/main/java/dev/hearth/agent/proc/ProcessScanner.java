package dev.hearth.agent.proc;

import dev.hearth.symbolizer.procfs.PidStat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows processes by scanning /proc: each scan reports the ones started and exited since the
 * last. A pid whose start time changed is a new process (the old one exited). Not thread-safe.
 */
public final class ProcessScanner {
    private final ProcFs fs;
    private final Map<Integer, ProcessInfo> known = new HashMap<>();

    public record Changes(List<ProcessInfo> started, List<ProcessInfo> exited) {}

    public ProcessScanner(Path proc) {
        this.fs = new ProcFs(proc);
    }

    public static ProcessScanner system() {
        return new ProcessScanner(Path.of("/proc"));
    }

    public Changes scan() {
        List<ProcessInfo> started = new ArrayList<>();
        List<ProcessInfo> exited = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int pid : fs.pids()) {
            PidStat stat = fs.stat(pid);
            if (stat == null) continue;
            seen.add(pid);
            ProcessInfo old = known.get(pid);
            if (old != null && old.startTicks() == stat.startTicks()) continue;
            if (old != null) exited.add(old);
            ProcessInfo now = read(pid, stat);
            known.put(pid, now);
            started.add(now);
        }
        known.entrySet().removeIf(e -> {
            if (seen.contains(e.getKey())) return false;
            exited.add(e.getValue());
            return true;
        });
        return new Changes(started, exited);
    }

    /**
     * The known process, else read now without remembering it (it started after the last scan,
     * and the next scan reports it as started); null if it is gone.
     */
    public ProcessInfo lookup(int pid) {
        ProcessInfo p = known.get(pid);
        if (p != null) return p;
        PidStat stat = fs.stat(pid);
        return stat == null ? null : read(pid, stat);
    }

    /** Whether the last scan saw {@code p} (the same pid and start time) alive. */
    public boolean follows(ProcessInfo p) {
        ProcessInfo k = known.get(p.pid());
        return k != null && k.startTicks() == p.startTicks();
    }

    public int size() {
        return known.size();
    }

    private ProcessInfo read(int pid, PidStat stat) {
        String comm = fs.comm(pid);
        boolean kthread = stat.kernelThread();
        ServiceNamer.Naming n = ServiceNamer.name(
                kthread ? Map.of() : fs.environ(pid),
                kthread ? List.of() : fs.cmdline(pid),
                comm,
                kthread ? null : fs.exe(pid),
                kthread);
        String version = n.version();
        if (version == null && n.jar() != null) version = fs.jarVersion(pid, n.jar());
        return new ProcessInfo(pid, stat.startTicks(), comm, n.service(), version, n.jvm(), kthread, n.byExecutable());
    }
}
