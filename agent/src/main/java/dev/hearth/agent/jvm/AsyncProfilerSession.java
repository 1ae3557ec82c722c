package dev.hearth.agent.jvm;

import dev.hearth.agent.HostLock;
import dev.hearth.agent.proc.ProcessStatus;
import dev.hearth.pprof.jfr.JfrProfiles;
import dev.hearth.pprof.jfr.JfrToPprof;
import dev.hearth.symbolizer.safefs.FileStat;
import dev.hearth.symbolizer.safefs.SafeDir;
import dev.hearth.symbolizer.safefs.SafeFile;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * async-profiler running inside one JVM: loaded once through {@link HotSpotAttach}, recording JFR in a
 * loop that starts a new file ({@code 0.jfr}, {@code 1.jfr}, …) every rotation. {@link #collect()}
 * converts the files the profiler has finished and deletes them; {@link #close()} stops profiling
 * in the JVM and removes the session's folder.
 *
 * <p>The session's folder is made fresh (unpredictable name) inside the library's verified folder
 * and given to the JVM's user, who writes the recordings; the agent keeps it open. Root reads only
 * the names it asked for ({@code N.jfr} and the profiler's logs), opened with no link followed:
 * regular files owned by the JVM's user, with one link, within a size bound. It deletes names in
 * that folder only, so a link is removed itself and what it points to is never touched.
 */
public final class AsyncProfilerSession implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AsyncProfilerSession.class.getName());
    private static final Pattern RECORDING = Pattern.compile("(\\d+)\\.jfr");
    private static final int STOP_ATTEMPTS = 4;
    private static final long STOP_CHECK_MS = 200;
    /** async-profiler's loop timer wakes once a second; a restart it had begun shows by then. */
    private static final long TIMER_TICK_MS = 1100;
    /** async-profiler's own log and status messages are short. */
    private static final long MAX_LOG_BYTES = 64 * 1024;

    private static final String STATUS_LOG = "status.log";
    /** A load returns once async-profiler's command ran; starting it takes well under a second. */
    private static final long ATTACH_TIMEOUT_MS = 10_000;

    private final JvmTarget target;
    private final Claim claim;
    private final String library;
    private final String dir;
    private final String cpuEvent;
    private final AsyncProfilerLibrary.Placement placement;
    private final SafeDir session;
    private final long maxRecordingBytes;
    private long skipped;
    private long damaged;
    private boolean stopped;
    /** The profiler may still run after the stops: the JVM stays listed as ours, so only a later agent takes it over. */
    private boolean mayStillRun = true;

    /** What one {@link #collect()} produced, and how many files it had to skip or only partly read. */
    public record Collected(List<JfrProfiles> recordings, int skipped, int damaged) {}

    /** The JVM as listed in {@link ProfiledJvms}, or without a list. */
    private record Claim(ProfiledJvms list, ProcessStatus jvm) {
        void release() {
            if (list != null) list.release(jvm);
        }
    }

    private AsyncProfilerSession(
            JvmTarget target,
            Claim claim,
            AsyncProfilerLibrary.Placement placement,
            SafeDir session,
            String dir,
            String cpuEvent,
            long maxRecordingBytes) {
        this.target = target;
        this.claim = claim;
        this.placement = placement;
        this.library = placement.library();
        this.session = session;
        this.dir = dir;
        this.cpuEvent = cpuEvent;
        this.maxRecordingBytes = maxRecordingBytes;
    }

    /**
     * Attaches and starts recording. The CPU events are tried in order, since a kernel or a
     * container may refuse perf events. IOException when the JVM cannot be attached or refuses
     * every attempt; the message says why (async-profiler's own log included).
     */
    public static AsyncProfilerSession start(JvmTarget target, AsyncProfilerLibrary lib, AsyncProfilerOptions options)
            throws IOException {
        return start(target, lib, options, null);
    }

    /**
     * As {@link #start(JvmTarget, AsyncProfilerLibrary, AsyncProfilerOptions)}, the JVM listed in
     * {@code profiled} while the profiler runs. A profiler found already running is stopped and
     * replaced only when the list shows it was started by an agent that is gone; one a running agent
     * started is not touched (IOException naming that agent), nor one no agent started (a user's own).
     * Without a list ({@code null}) a profiler found running is never stopped.
     */
    public static AsyncProfilerSession start(
            JvmTarget target, AsyncProfilerLibrary lib, AsyncProfilerOptions options, ProfiledJvms profiled)
            throws IOException {
        ProcessStatus jvm = ProcessStatus.read(JvmTarget.PROC, target.pid());
        Optional<HostLock.Holder> previous = profiled == null ? Optional.empty() : profiled.owner(jvm);
        if (previous.isPresent() && !profiled.gone(previous.get())) {
            throw new IOException("JVM " + target.pid() + " is profiled by the running agent (pid "
                    + previous.get().pid() + ")");
        }
        Claim claim = new Claim(profiled, jvm);
        if (profiled != null) profiled.claim(jvm);
        try {
            return start(target, lib, options, claim, previous.isPresent());
        } catch (IOException | RuntimeException e) {
            claim.release();
            throw e;
        }
    }

    private static AsyncProfilerSession start(
            JvmTarget target,
            AsyncProfilerLibrary lib,
            AsyncProfilerOptions options,
            Claim claim,
            boolean leftByGoneAgent)
            throws IOException {
        AsyncProfilerLibrary.Placement placement = lib.placeFor(target);
        String library = placement.library();
        SafeDir session = null;
        String sessionName = null;
        List<String> failures = new ArrayList<>();
        try {
            session = placement.folder().createFreshDir(target.pid() + "-", 0700);
            sessionName = AsyncProfilerLibrary.lastName(session);
            session.chown(target.uid(), target.gid());
            String dir = placement.targetDir() + "/" + sessionName;
            boolean stoppedLeftover = false;
            for (String event : options.cpuEvents()) {
                try {
                    load(target, library, options.startCommand(event, dir));
                    return started(target, claim, placement, session, dir, event, options.maxRecordingBytes());
                } catch (HotSpotAttach.AgentRefusedException e) {
                    String why = profilerError(session, target, e);
                    if (why.contains("already started") && !leftByGoneAgent) {
                        throw new IOException("async-profiler already runs in JVM " + target.pid()
                                + " and no agent that is gone is listed as having started it: left alone");
                    }
                    if (why.contains("already started") && !stoppedLeftover) {
                        // Left running by an agent that is gone (its entry says so): stop it, retry.
                        stoppedLeftover = true;
                        LOG.log(
                                Level.INFO,
                                "JVM " + target.pid() + ": stopping a profiler left running by an agent that is gone");
                        stopQuietly(target, library);
                        try {
                            load(target, library, options.startCommand(event, dir));
                            return started(target, claim, placement, session, dir, event, options.maxRecordingBytes());
                        } catch (HotSpotAttach.AgentRefusedException again) {
                            why = profilerError(session, target, again);
                        }
                    }
                    failures.add((event == null ? "start" : event) + ": " + why);
                }
            }
        } catch (IOException | RuntimeException e) {
            discard(placement, session, sessionName);
            throw e;
        }
        discard(placement, session, sessionName);
        throw new IOException(
                "async-profiler did not start in JVM " + target.pid() + " (" + String.join("; ", failures) + ")");
    }

    /**
     * Ours runs, so no other profiler does in this JVM (one per JVM): earlier sessions' folders can go.
     * Not before: a profiler found running that is left alone keeps writing into its folder.
     */
    private static AsyncProfilerSession started(
            JvmTarget target,
            Claim claim,
            AsyncProfilerLibrary.Placement placement,
            SafeDir session,
            String dir,
            String event,
            long maxRecordingBytes)
            throws IOException {
        deleteEarlierSessions(placement.folder(), target, AsyncProfilerLibrary.lastName(session));
        return new AsyncProfilerSession(target, claim, placement, session, dir, event, maxRecordingBytes);
    }

    private static void discard(AsyncProfilerLibrary.Placement placement, SafeDir session, String sessionName) {
        if (session != null) session.close();
        if (sessionName != null) deleteTree(placement.folder(), sessionName);
        placement.close();
    }

    /** The CPU event that started (cpu, ctimer or itimer), or null when CPU profiling is off. */
    public String cpuEvent() {
        return cpuEvent;
    }

    public JvmTarget target() {
        return target;
    }

    /** The library's path as the JVM loaded it. */
    String library() {
        return library;
    }

    /** The session's folder, as the agent reaches it. */
    Path directory() {
        return target.hostPath(dir);
    }

    /** Files skipped as unreadable since the start. */
    public long skipped() {
        return skipped;
    }

    /** Files only partly read (a cut-short chunk) since the start. */
    public long damaged() {
        return damaged;
    }

    /**
     * Converts and deletes every recording the profiler has finished: all but the newest while it
     * runs, all of them once it stopped or the JVM is gone. Never throws for a bad file: it is
     * skipped, counted and logged.
     */
    public synchronized Collected collect() {
        List<String> files = recordings();
        boolean final_ = stopped || !target.alive();
        int ready = final_ ? files.size() : Math.max(0, files.size() - 1);
        List<JfrProfiles> out = new ArrayList<>();
        int skip = 0;
        int damage = 0;
        for (String name : files.subList(0, ready)) {
            try (SafeFile f = openRecording(name)) {
                JfrProfiles p = JfrToPprof.convert(f.path());
                if (!p.complete()) {
                    damage++;
                    LOG.log(
                            Level.WARNING,
                            "JVM " + target.pid() + ": recording " + name + " partly read: " + p.damage());
                }
                out.add(p);
            } catch (IOException | RuntimeException e) {
                skip++;
                LOG.log(Level.WARNING, "JVM " + target.pid() + ": recording " + name + " skipped: " + e.getMessage());
            } finally {
                deleteQuietly(session, name);
            }
        }
        skipped += skip;
        damaged += damage;
        return new Collected(out, skip, damage);
    }

    /** A recording the JVM's user wrote: theirs, a regular file, one link, within the bound; never through a link. */
    private SafeFile openRecording(String name) throws IOException {
        SafeFile f = session.openFile(name);
        try {
            return f.requireOwner(target.uid()).requireOneLink().requireSizeAtMost(maxRecordingBytes);
        } catch (IOException e) {
            f.close();
            throw e;
        }
    }

    /** One of the profiler's short logs in the session folder, checked like a recording; null when absent. */
    private static String readLog(SafeDir session, JvmTarget target, String name) throws IOException {
        try (SafeFile f = session.openFile(name)) {
            f.requireOwner(target.uid()).requireOneLink();
            return new String(f.readAll(MAX_LOG_BYTES), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Stops profiling in the JVM (when it still runs). A stop that lands while the loop switches
     * files can be undone by the loop starting the profiler again (seen with async-profiler 4.2),
     * so the stop is checked with "status" over one loop-timer tick and repeated. Recordings not yet collected stay until {@link #close()}.
     */
    public synchronized void stop() {
        if (stopped) return;
        stopped = true;
        for (int attempt = 1; attempt <= STOP_ATTEMPTS && target.alive(); attempt++) {
            try {
                stopQuietly(target, library);
                if (!runningAfter(STOP_CHECK_MS) && !runningAfter(TIMER_TICK_MS)) {
                    mayStillRun = false;
                    return;
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "JVM " + target.pid() + ": could not stop async-profiler: " + e.getMessage());
                return;
            }
        }
        if (target.alive())
            LOG.log(
                    Level.WARNING,
                    "JVM " + target.pid() + ": async-profiler still running after " + STOP_ATTEMPTS + " stops");
    }

    private boolean runningAfter(long ms) throws IOException {
        pause(ms);
        return running();
    }

    /** Asks the profiler for its status, which it writes to a log file in the session folder we read back. */
    private boolean running() throws IOException {
        try {
            load(target, library, "status,log=" + dir + "/" + STATUS_LOG);
            String status = readLog(session, target, STATUS_LOG);
            return status != null && status.contains("is running");
        } catch (HotSpotAttach.AgentRefusedException e) {
            throw new IOException("status refused: " + e.getMessage(), e);
        } finally {
            deleteQuietly(session, STATUS_LOG);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops profiling and removes the session's files. */
    @Override
    public synchronized void close() {
        stop();
        if (!mayStillRun || !target.alive()) claim.release();
        String name = AsyncProfilerLibrary.lastName(session);
        session.close();
        deleteTree(placement.folder(), name);
        placement.close();
    }

    /** Finished and in-progress recordings, oldest first: the names we asked for, whatever they are. */
    private List<String> recordings() {
        try {
            return session.list().stream()
                    .filter(n -> RECORDING.matcher(n).matches())
                    .sorted(Comparator.comparingLong(AsyncProfilerSession::sequence))
                    .toList();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "JVM " + target.pid() + ": cannot list " + session.name() + ": " + e.getMessage());
            return List.of();
        }
    }

    private static long sequence(String name) {
        Matcher m = RECORDING.matcher(name);
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static void load(JvmTarget target, String library, String options) throws IOException {
        HotSpotAttach.load(target.pid(), library, options, ATTACH_TIMEOUT_MS);
    }

    private static void stopQuietly(JvmTarget target, String library) throws IOException {
        try {
            load(target, library, AsyncProfilerOptions.stopCommand());
        } catch (HotSpotAttach.AgentRefusedException e) {
            LOG.log(Level.WARNING, "stopping async-profiler failed: " + e.getMessage());
        }
    }

    /** Folders of this JVM's earlier sessions (an agent that died before cleaning up). */
    private static void deleteEarlierSessions(SafeDir folder, JvmTarget target, String ours) throws IOException {
        for (String name : folder.list()) {
            if (!name.startsWith(target.pid() + "-") || name.equals(ours)) continue;
            FileStat s = folder.statEntry(name);
            if (s != null && s.isDirectory()) deleteTree(folder, name);
        }
    }

    /** async-profiler writes the reason for a refused command to its log, not to the attach reply. */
    private static String profilerError(SafeDir session, JvmTarget target, Exception e) {
        String log = AsyncProfilerOptions.LOG_FILE;
        try {
            String text = readLog(session, target, log);
            deleteQuietly(session, log);
            if (text != null && !text.isBlank())
                return text.strip().lines().reduce((a, b) -> b).orElse(text);
        } catch (IOException ignored) {
            // fall back to the attach error
        }
        return e.getMessage();
    }

    private static void deleteQuietly(SafeDir dir, String name) {
        try {
            dir.delete(name);
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot delete " + dir.name() + "/" + name + ": " + e.getMessage());
        }
    }

    private static void deleteTree(SafeDir parent, String name) {
        try {
            parent.deleteTree(name);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot delete " + parent.name() + "/" + name + ": " + e.getMessage());
        }
    }
}
