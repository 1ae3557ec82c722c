package dev.hearth.agent.jvm;

import dev.hearth.agent.LabelSet;
import dev.hearth.agent.Metrics;
import dev.hearth.agent.ProfileSources;
import dev.hearth.agent.proc.ProcessInfo;
import dev.hearth.pprof.ProfileMerger;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.jfr.JfrProfiles;
import dev.hearth.pprof.proto.Profile;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The agent's JVM awareness: each JVM it discovers gets async-profiler or eBPF (see
 * {@link JvmModeSelector}), chosen once on a background thread so slow attaches never stall a
 * period. While async-profiler runs in a JVM, eBPF on-CPU samples of that JVM are not reported,
 * so its CPU time is counted once; the switch happens at a period's end, so each period's CPU
 * comes from one source, never eBPF stacks and async-profiler's side by side under two roots. Every
 * profile of a JVM carries the label {@value JvmChoice#LABEL}; one whose Java frames eBPF cannot
 * name or walk also {@value FrameAdvice#LABEL} (see {@link FrameAdvice}), said once in the log.
 */
public final class JvmProfileSources implements ProfileSources {
    private static final System.Logger LOG = System.getLogger(JvmProfileSources.class.getName());
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * @param advice  why eBPF leaves Java frames unnamed, or null
     * @param settled async-profiler's CPU profiles are shipped: set at the end of the period in which
     *                it attached, which eBPF reported whole
     */
    private record Tracked(ProcessInfo process, JvmChoice choice, FrameAdvice advice, AtomicBoolean settled) {}

    private final JvmModeSelector selector;
    private final PerfMapRequests perfMaps;
    private final Set<Integer> pids;
    private final long self = ProcessHandle.current().pid();
    private final Map<Integer, Tracked> jvms = new ConcurrentHashMap<>();
    private final ExecutorService attacher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hearth-jvm-attach");
        t.setDaemon(true);
        return t;
    });
    private final CounterDataPoint converted;
    private final CounterDataPoint damaged;
    private final CounterDataPoint skipped;
    private final CounterDataPoint convertCpuNanos;

    /**
     * @param pids     only these processes (all when empty), as the agent's --pid
     * @param perfMaps the symbolizer's perf map requests, told of exits so the maps they caused go
     */
    public JvmProfileSources(JvmModeSelector selector, Set<Integer> pids, Metrics metrics, PerfMapRequests perfMaps) {
        this.selector = selector;
        this.perfMaps = perfMaps;
        this.pids = Set.copyOf(pids);
        String name = "hearth_agent_jfr_recordings_total";
        String help = "async-profiler JFR recordings collected, by outcome";
        converted = metrics.counter(name, help, "result", "converted");
        metrics.read(
                "hearth_agent_perf_maps_removed_total",
                "perf maps the agent had JVMs write, removed after their process",
                Metrics.Kind.COUNTER,
                perfMaps::removed);
        damaged = metrics.counter(name, help, "result", "damaged");
        skipped = metrics.counter(name, help, "result", "skipped");
        convertCpuNanos = metrics.counter(
                "hearth_agent_jfr_convert_cpu_nanoseconds_total",
                "CPU time the agent spent reading and converting JFR recordings");
        for (JvmChoice.Profiler p : JvmChoice.Profiler.values()) {
            metrics.read(
                    "hearth_agent_jvms",
                    "JVMs followed, by where their profiles come from",
                    Metrics.Kind.GAUGE,
                    "profiler",
                    p.id(),
                    () -> jvms.values().stream()
                            .filter(t -> t.choice().profiler() == p)
                            .count());
        }
    }

    @Override
    public void started(ProcessInfo process) {
        if (!process.jvm() || process.pid() == self || (!pids.isEmpty() && !pids.contains(process.pid()))) return;
        attacher.execute(() -> choose(process));
    }

    private void choose(ProcessInfo process) {
        JvmChoice choice = selector.choose(process.pid());
        Level level = choice.profiler() == JvmChoice.Profiler.ASYNC_PROFILER ? Level.INFO : Level.WARNING;
        LOG.log(
                level,
                "JVM " + process.pid() + " (" + process.service() + "): " + choice.label() + ": " + choice.reason());
        FrameAdvice advice = choice.profiler() == JvmChoice.Profiler.EBPF
                ? FrameAdvice.forEbpf(JvmTarget.PROC.resolve(Integer.toString(process.pid())))
                        .orElse(null)
                : null;
        if (advice != null)
            LOG.log(Level.WARNING, "JVM " + process.pid() + " (" + process.service() + "): " + advice.explanation());
        jvms.put(process.pid(), new Tracked(process, choice, advice, new AtomicBoolean()));
    }

    @Override
    public boolean ebpfReports(ProcessInfo process, ProfileType type) {
        Tracked t = jvms.get(process.pid());
        if (t == null || type != ProfileType.CPU) return true;
        return switch (t.choice().profiler()) {
            case EBPF -> true;
            case NONE -> false;
            case ASYNC_PROFILER ->
                t.choice().session().cpuEvent() == null || !t.settled().get();
        };
    }

    @Override
    public LabelSet labels(ProcessInfo process) {
        Tracked t = jvms.get(process.pid());
        if (t == null) return LabelSet.EMPTY;
        LabelSet labels = LabelSet.EMPTY.with(JvmChoice.LABEL, t.choice().label());
        return t.advice() == null
                ? labels
                : labels.with(FrameAdvice.LABEL, t.advice().reason());
    }

    @Override
    public List<SourcedProfile> collect(long fromMs, long untilMs) {
        List<SourcedProfile> out = new ArrayList<>();
        for (Tracked t : jvms.values()) {
            AsyncProfilerSession session = t.choice().session();
            if (session == null) continue;
            long cpu = THREADS.getCurrentThreadCpuTime();
            AsyncProfilerSession.Collected c = session.collect();
            Map<ProfileType, List<Profile>> byType = new EnumMap<>(ProfileType.class);
            for (JfrProfiles r : c.recordings()) {
                r.profiles()
                        .forEach((type, p) -> byType.computeIfAbsent(type, k -> new ArrayList<>())
                                .add(p));
            }
            // the period async-profiler started in was eBPF's whole: its part of that period's CPU is not shipped
            if (!t.settled().getAndSet(true) && session.cpuEvent() != null) byType.remove(ProfileType.CPU);
            byType.forEach((type, list) -> out.add(
                    new SourcedProfile(t.process(), type, list.size() == 1 ? list.get(0) : ProfileMerger.merge(list))));
            convertCpuNanos.inc(
                    Math.max(0, THREADS.getCurrentThreadCpuTime() - cpu)); // -1 where CPU time is not measured
            converted.inc(c.recordings().size() - c.damaged());
            damaged.inc(c.damaged());
            skipped.inc(c.skipped());
            if (!session.target().alive() && jvms.remove(t.process().pid(), t)) session.close();
        }
        return out;
    }

    @Override
    public void exited(ProcessInfo process) {
        perfMaps.exited(process.pid(), process.startTicks());
        Tracked t = jvms.get(process.pid());
        if (t == null || t.process().startTicks() != process.startTicks()) return;
        jvms.remove(process.pid());
        if (t.choice().session() != null) t.choice().session().close();
    }

    /** Stops async-profiler in every JVM and removes its files, and the perf maps the agent caused. */
    @Override
    public void close() {
        attacher.shutdownNow(); // JVMs still waiting for a choice are not attached any more
        try {
            if (!attacher.awaitTermination(30, TimeUnit.SECONDS)) LOG.log(Level.WARNING, "an attach is still running");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Each stop waits a moment to check it held: stop the JVMs side by side.
        jvms.values().parallelStream()
                .map(t -> t.choice().session())
                .filter(java.util.Objects::nonNull)
                .forEach(AsyncProfilerSession::close);
        jvms.clear();
        perfMaps.close();
    }
}
