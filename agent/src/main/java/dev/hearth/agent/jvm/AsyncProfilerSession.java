package dev.hearth.agent.jvm;

import dev.hearth.agent.HostLock;
import dev.hearth.agent.proc.ProcessStatus;
import dev.hearth.pprof.jfr.JfrProfiles;
import dev.hearth.pprof.jfr.JfrToPprof;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * async-profiler running inside one JVM: loaded once through {@link HotSpotAttach}, recording JFR in a
 * loop that starts a new file ({@code 0.jfr}, {@code 1.jfr}, …) every rotation. {@link #collect()}
 * converts the files the profiler has finished and deletes them; {@link #close()} stops profiling
 * in the JVM and removes the session's folder.
 */
public final class AsyncProfilerSession implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AsyncProfilerSession.class.getName());
    private static final Pattern RECORDING = Pattern.compile("(\\d+)\\.jfr");
    private static final int STOP_ATTEMPTS = 4;
    private static final long STOP_CHECK_MS = 200;
    /** async-profiler's loop timer wakes once a second; a restart it had begun shows by then. */
    private static final long TIMER_TICK_MS = 1100;
    /** A load returns once async-profiler's command ran; starting it takes well under a second. */
    private static final long ATTACH_TIMEOUT_MS = 10_000;

    private final JvmTarget target;
    private final Claim claim;
    private final String library;
    private final String dir;
    private final String cpuEvent;
    private long skipped;
    private long damaged;
    private boolean stopped;

    /** What one {@link #collect()} produced, and how many files it had to skip or only partly read. */
    public record Collected(List<JfrProfiles> recordings, int skipped, int damaged) {}

    /** The JVM as listed in {@link ProfiledJvms}, or null without a list. */
    private record Claim(ProfiledJvms list, ProcessStatus jvm) {
        void release() {
            if (list != null) list.release(jvm);
        }
    }

    private AsyncProfilerSession(JvmTarget target, Claim claim, String library, String dir, String cpuEvent) {
        this.target = target;
        this.claim = claim;
        this.library = library;
        this.dir = dir;
        this.cpuEvent = cpuEvent;
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
    public static AsyncProfilerSession start(JvmTarget target, AsyncProfilerLibrary lib, AsyncProfilerOptions options,
                                             ProfiledJvms profiled) throws IOException {
        ProcessStatus jvm = ProcessStatus.read(JvmTarget.PROC, target.pid());
        Optional<HostLock.Holder> previous = profiled == null ? Optional.empty() : profiled.owner(jvm);
        if (previous.isPresent() && !profiled.gone(previous.get())) {
            throw new IOException("JVM " + target.pid() + " is profiled by the running agent (pid " + previous.get().pid() + ")");
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

    private static AsyncProfilerSession start(JvmTarget target, AsyncProfilerLibrary lib, AsyncProfilerOptions options,
                                              Claim claim, boolean leftByGoneAgent) throws IOException {
        String library = lib.placeFor(target);
        String dir = AsyncProfilerLibrary.TARGET_DIR + "/" + target.pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        Path hostDir = target.hostPath(dir);
        Files.createDirectories(hostDir);
        Files.setPosixFilePermissions(hostDir, PosixFilePermissions.fromString("rwx------"));
        Files.setAttribute(hostDir, "unix:gid", target.gid());
        Files.setAttribute(hostDir, "unix:uid", target.uid());
        List<String> failures = new ArrayList<>();
        try {
            boolean stoppedLeftover = false;
            for (String event : options.cpuEvents()) {
                try {
                    load(target, library, options.startCommand(event, dir));
                    return started(target, claim, library, dir, event);
                } catch (HotSpotAttach.AgentRefusedException e) {
                    String why = profilerError(target, dir, e);
                    if (why.contains("already started") && !leftByGoneAgent) {
                        throw new IOException("async-profiler already runs in JVM " + target.pid()
                                + " and no agent that is gone is listed as having started it: left alone");
                    }
                    if (why.contains("already started") && !stoppedLeftover) {
                        // Left running by an agent that is gone (its entry says so): stop it, retry.
                        stoppedLeftover = true;
                        LOG.log(Level.INFO, "JVM " + target.pid() + ": stopping a profiler left running by an agent that is gone");
                        stopQuietly(target, library);
                        try {
                            load(target, library, options.startCommand(event, dir));
                            return started(target, claim, library, dir, event);
                        } catch (HotSpotAttach.AgentRefusedException again) {
                            why = profilerError(target, dir, again);
                        }
                    }
                    failures.add((event == null ? "start" : event) + ": " + why);
                }
            }
        } catch (IOException | RuntimeException e) {
            deleteTree(hostDir);
            throw e;
        }
        deleteTree(hostDir);
        throw new IOException("async-profiler did not start in JVM " + target.pid() + " (" + String.join("; ", failures) + ")");
    }

    /** The CPU event that started (cpu, ctimer or itimer), or null when CPU profiling is off. */
    public String cpuEvent() {
        return cpuEvent;
    }

    public JvmTarget target() {
        return target;
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
        List<Path> files = recordings();
        boolean final_ = stopped || !target.alive();
        int ready = final_ ? files.size() : Math.max(0, files.size() - 1);
        List<JfrProfiles> out = new ArrayList<>();
        int skip = 0;
        int damage = 0;
        for (Path f : files.subList(0, ready)) {
            try {
                JfrProfiles p = JfrToPprof.convert(f);
                if (!p.complete()) {
                    damage++;
                    LOG.log(Level.WARNING, "JVM " + target.pid() + ": recording " + f.getFileName() + " partly read: " + p.damage());
                }
                out.add(p);
            } catch (IOException | RuntimeException e) {
                skip++;
                LOG.log(Level.WARNING, "JVM " + target.pid() + ": recording " + f.getFileName() + " skipped: " + e.getMessage());
            } finally {
                deleteQuietly(f);
            }
        }
        skipped += skip;
        damaged += damage;
        return new Collected(out, skip, damage);
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
                if (!runningAfter(STOP_CHECK_MS) && !runningAfter(TIMER_TICK_MS)) return;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "JVM " + target.pid() + ": could not stop async-profiler: " + e.getMessage());
                return;
            }
        }
        if (target.alive()) LOG.log(Level.WARNING, "JVM " + target.pid() + ": async-profiler still running after "
                + STOP_ATTEMPTS + " stops");
    }

    private boolean runningAfter(long ms) throws IOException {
        pause(ms);
        return running();
    }

    /** Asks the profiler for its status, which it writes to a log file we read back. */
    private boolean running() throws IOException {
        String log = AsyncProfilerLibrary.TARGET_DIR + "/" + target.pid() + ".status";
        Path hostLog = target.hostPath(log);
        try {
            load(target, library, "status,log=" + log);
            return Files.exists(hostLog) && Files.readString(hostLog).contains("is running");
        } catch (HotSpotAttach.AgentRefusedException e) {
            throw new IOException("status refused: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(hostLog);
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
        claim.release();
        deleteTree(directory());
    }

    /** Finished and in-progress recordings, oldest first. */
    private List<Path> recordings() {
        Path hostDir = directory();
        if (!Files.isDirectory(hostDir)) return List.of();
        try (Stream<Path> s = Files.list(hostDir)) {
            return s.filter(p -> RECORDING.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(AsyncProfilerSession::sequence)).toList();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "JVM " + target.pid() + ": cannot list " + hostDir + ": " + e.getMessage());
            return List.of();
        }
    }

    private static long sequence(Path p) {
        Matcher m = RECORDING.matcher(p.getFileName().toString());
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
    /**
     * Ours runs, so no other profiler does in this JVM (one per JVM): earlier sessions' folders can go.
     * Not before: a profiler found running that is left alone keeps writing into its folder.
     */
    private static AsyncProfilerSession started(JvmTarget target, Claim claim, String library, String dir, String event) throws IOException {
        deleteEarlierSessions(target, target.hostPath(dir));
        return new AsyncProfilerSession(target, claim, library, dir, event);
    }

    private static void deleteEarlierSessions(JvmTarget target, Path ours) throws IOException {
        Path parent = target.hostPath(AsyncProfilerLibrary.TARGET_DIR);
        if (!Files.isDirectory(parent)) return;
        try (Stream<Path> s = Files.list(parent)) {
            s.filter(p -> p.getFileName().toString().startsWith(target.pid() + "-") && !p.equals(ours)).forEach(AsyncProfilerSession::deleteTree);
        }
    }

    /** async-profiler writes the reason for a refused command to its log, not to the attach reply. */
    private static String profilerError(JvmTarget target, String dir, Exception e) {
        try {
            Path log = target.hostPath(AsyncProfilerOptions.log(dir));
            String text = Files.exists(log) ? Files.readString(log).strip() : "";
            Files.deleteIfExists(log);
            if (!text.isEmpty()) return text.lines().reduce((a, b) -> b).orElse(text);
        } catch (IOException ignored) {
            // fall back to the attach error
        }
        return e.getMessage();
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete " + p + ": " + e.getMessage());
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(AsyncProfilerSession::deleteQuietly);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete " + dir + ": " + e.getMessage());
        }
    }
}
