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
 * this closes: a map that did not exist before the first request is ours (its identity is noted
 * after the JVM wrote it); one that existed already, whoever wrote it, is never touched. The JVM's
 * /tmp stays open as a directory fd while its map is ours, so the map can be removed after the
 * process (and a private /tmp with it) is gone; removal is an unlinkat of that one name, only while
 * it is still the same regular file of the JVM's user.
 */
public final class PerfMapRequests implements PerfMapRequester, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PerfMapRequests.class.getName());
    private static final long TIMEOUT_MILLIS = 3000;
    private static final String COMMAND = "Compiler.perfmap";

    /** One JVM asked: {@code tmp} and {@code written} set only when its map is ours. */
    private static final class Asked {
        final ProcessStatus jvm;
        final String name;
        SafeDir tmp;
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
        synchronized (this) {
            ProcessStatus jvm = ProcessStatus.read(proc, pid);
            a = asked.get(pid);
            if (a != null && a.jvm.startTicks() != jvm.startTicks()) {
                asked.remove(pid);
                remove(a);
                a = null;
            }
            if (a == null) {
                a = firstRequest(jvm);
                asked.put(pid, a);
            } else if (a.tmp != null && a.written == null && a.tmp.statEntry(a.name) != null) {
                // our earlier requests failed and someone else had the map written meanwhile: not ours
                a.tmp.close();
                a.tmp = null;
            }
        }
        HotSpotAttach.jcmd(pid, COMMAND, TIMEOUT_MILLIS);
        synchronized (this) {
            if (a.tmp != null && a.written == null) a.written = a.tmp.statEntry(a.name);
        }
    }

    private Asked firstRequest(ProcessStatus jvm) throws IOException {
        String name = "perf-" + jvm.nsPid() + ".map";
        try (SafeDir root = SafeDir.processRoot(jvm.pid())) {
            SafeDir tmp = root.dir("tmp");
            if (tmp.statEntry(name) == null) return new Asked(jvm, name, tmp);
            tmp.close();
            return new Asked(jvm, name, null);
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
        if (a.tmp == null) return;
        try (SafeDir tmp = a.tmp) {
            FileStat now = a.written == null ? null : tmp.statEntry(a.name);
            if (now != null && now.isRegularFile() && now.uid() == a.jvm.euid()
                    && now.device() == a.written.device() && now.inode() == a.written.inode()) {
                tmp.delete(a.name);
                removed++;
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "JVM " + a.jvm.pid() + ": cannot remove its perf map: " + e.getMessage());
        } finally {
            a.tmp = null;
        }
    }
}
