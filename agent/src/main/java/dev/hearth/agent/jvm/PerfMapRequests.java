package dev.hearth.agent.jvm;

import dev.hearth.agent.proc.ProcessStatus;
import dev.hearth.symbolizer.PerfMapRequester;
import dev.hearth.symbolizer.safefs.FileStat;
import dev.hearth.symbolizer.safefs.SafeDir;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks JVMs for their perf maps on the symbolizer's behalf ({@code Compiler.perfmap} through
 * {@link HotSpotAttach}) and removes the maps it caused to be written when their process exits or
 * this closes. A map is ours when it did not exist just before a request of ours that succeeded
 * (its identity is noted after the JVM wrote it, and again after each later request); one that
 * existed already, whoever wrote it, is never touched. The JVM's /tmp stays open as a directory fd
 * while the JVM is followed, so its map can be removed after the process (and a private /tmp with
 * it) is gone; removal is an unlinkat of that one name, only while it is still the same regular
 * file of the JVM's user.
 */
public final class PerfMapRequests implements PerfMapRequester, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PerfMapRequests.class.getName());
    private static final long TIMEOUT_MILLIS = 3000;
    private static final String COMMAND = "Compiler.perfmap";

    /** One JVM asked; {@code written} is set while its map is ours. */
    private static final class Asked {
        final ProcessStatus jvm;
        final String name;
        final SafeDir tmp;
        FileStat written;

        Asked(ProcessStatus jvm, String name, SafeDir tmp) {
            this.jvm = jvm;
            this.name = name;
            this.tmp = tmp;
        }
    }

    private final Path proc;
    private final Map<Integer, Asked> asked = new HashMap<>();
    private long removed;

    public PerfMapRequests() {
        this(JvmTarget.PROC);
    }

    PerfMapRequests(Path proc) {
        this.proc = proc;
    }

    /** Only JVMs that allow attach and handle SIGQUIT are asked (see {@link JvmModeSelector#obstacle}). */
    @Override
    public boolean canAsk(int pid) {
        return JvmModeSelector.obstacle(proc.resolve(Integer.toString(pid))).isEmpty();
    }

    @Override
    public void request(int pid) throws IOException {
        Asked a;
        boolean existed;
        synchronized (this) {
            ProcessStatus jvm = ProcessStatus.read(proc, pid);
            a = asked.get(pid);
            if (a != null && a.jvm.startTicks() != jvm.startTicks()) {
                asked.remove(pid);
                remove(a);
                a = null;
            }
            if (a == null) {
                try (SafeDir root = SafeDir.processRoot(pid)) {
                    a = new Asked(jvm, "perf-" + jvm.nsPid() + ".map", root.dir("tmp"));
                }
                asked.put(pid, a);
            }
            existed = a.written == null && a.tmp.statEntry(a.name) != null;
        }
        HotSpotAttach.jcmd(pid, COMMAND, TIMEOUT_MILLIS);
        synchronized (this) {
            // ours: made at our request, or ours already and just rewritten (a new file if someone removed it)
            if (!existed && asked.get(pid) == a) a.written = a.tmp.statEntry(a.name);
        }
    }

    /** Process {@code pid} that started at {@code startTicks} exited: its map goes if it is ours. */
    public synchronized void exited(int pid, long startTicks) {
        Asked a = asked.get(pid);
        if (a == null || a.jvm.startTicks() != startTicks) return;
        asked.remove(pid);
        remove(a);
    }

    /** How many maps were removed so far. */
    public synchronized long removed() {
        return removed;
    }

    /** Removes every map this caused, whether or not its process still runs. */
    @Override
    public synchronized void close() {
        List<Asked> all = new ArrayList<>(asked.values());
        asked.clear();
        all.forEach(this::remove);
    }

    private void remove(Asked a) {
        try (SafeDir tmp = a.tmp) {
            FileStat now = a.written == null ? null : tmp.statEntry(a.name);
            if (now != null
                    && now.isRegularFile()
                    && now.uid() == a.jvm.euid()
                    && now.device() == a.written.device()
                    && now.inode() == a.written.inode()) {
                tmp.delete(a.name);
                removed++;
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "JVM " + a.jvm.pid() + ": cannot remove its perf map: " + e.getMessage());
        }
    }
}
