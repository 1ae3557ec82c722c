package dev.hearth.agent;

import dev.hearth.agent.proc.PeriodProcesses;
import dev.hearth.agent.proc.ProcessInfo;
import dev.hearth.agent.proc.ProcessScanner;
import dev.hearth.agent.ship.Upload;
import dev.hearth.bpf.DropCounters;
import dev.hearth.bpf.RawSample;
import dev.hearth.bpf.SampleType;
import dev.hearth.bpf.UprobeSpec;
import dev.hearth.pprof.ProfileCodec;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.proto.Profile;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The agent's period: drain the kernel's samples (early too, when a map fills), symbolize them,
 * fold them into one profile per (process, type), label and hand them to shipping. The first
 * period is shortened by a random fraction and every period is stretched or shrunk by up to
 * {@code jitter}, so a fleet of agents started together does not upload in step. {@link #stop()}
 * ends the current period early and ships it.
 */
public final class AgentLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(AgentLoop.class.getName());

    public record Settings(
            Duration period, double jitter, String host, LabelSet staticLabels, int hz, List<UprobeSpec> uprobes) {
        public Settings {
            if (period.isNegative() || period.isZero())
                throw new IllegalArgumentException("period must be positive, got " + period);
            if (jitter < 0 || jitter >= 1)
                throw new IllegalArgumentException("jitter must be within [0, 1), got " + jitter);
            uprobes = List.copyOf(uprobes);
        }
    }

    private final Settings settings;
    private final SampleSource source;
    private final StackResolver resolver;
    private final ProcessScanner scanner;
    private final ProfileSources sources;
    private final Consumer<Upload> ship;
    private final ProfileAssembler assembler;
    private final PeriodProcesses periodProcesses;
    private final Map<SampleType, CounterDataPoint> entries = new EnumMap<>(SampleType.class);
    private final CounterDataPoint cpuSamples;
    private final CounterDataPoint profilesBuilt;
    private final CounterDataPoint periods;
    private final CounterDataPoint drainNanos;
    private final CounterDataPoint foldNanos;
    private final CounterDataPoint buildNanos;
    private final CounterDataPoint scanNanos;
    private final Histogram cycleSeconds;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile DropCounters drops = DropCounters.NONE;

    public AgentLoop(
            Settings settings,
            SampleSource source,
            StackResolver resolver,
            ProcessScanner scanner,
            ProfileSources sources,
            Consumer<Upload> ship,
            Metrics metrics) {
        this.settings = settings;
        this.source = source;
        this.resolver = resolver;
        this.scanner = scanner;
        this.periodProcesses = new PeriodProcesses(scanner);
        this.sources = sources;
        this.ship = ship;
        this.assembler = ProfileAssembler.perProcess(resolver, settings.hz(), settings.uprobes());
        for (SampleType t : SampleType.values()) {
            entries.put(
                    t,
                    metrics.counter(
                            "hearth_agent_stack_entries_total",
                            "folded (process, thread, stack) entries drained from the kernel, by sample type",
                            "type",
                            t.name().toLowerCase(Locale.ROOT)));
        }
        cpuSamples = metrics.counter("hearth_agent_cpu_samples_total", "on-CPU samples drained from the kernel");
        profilesBuilt = metrics.counter("hearth_agent_profiles_built_total", "pprof profiles built for shipping");
        periods = metrics.counter("hearth_agent_periods_total", "profiling periods completed");
        String phase = "hearth_agent_phase_nanoseconds_total";
        String phaseHelp = "wall time spent per phase of a period";
        drainNanos = metrics.counter(phase, phaseHelp, "phase", "drain");
        foldNanos = metrics.counter(phase, phaseHelp, "phase", "symbolize_fold");
        scanNanos = metrics.counter(phase, phaseHelp, "phase", "proc_scan");
        buildNanos = metrics.counter(phase, phaseHelp, "phase", "build_encode");
        cycleSeconds = metrics.histogram(
                "hearth_agent_cycle_seconds",
                "wall time of a period's end: the last drain, the /proc scan, building and handing over its profiles",
                0.005,
                0.01,
                0.025,
                0.05,
                0.1,
                0.25,
                0.5,
                1,
                2.5,
                5,
                10);
        DropReasons.register(metrics, () -> drops);
        metrics.read("hearth_agent_processes", "processes followed", Metrics.Kind.GAUGE, scanner::size);
    }

    /** Runs periods until {@link #stop()}, then drains and ships the last one. */
    @Override
    public void run() {
        for (ProcessInfo p : scanner.scan().started()) sources.started(p);
        long periodNanos = settings.period().toNanos();
        long fromMs = System.currentTimeMillis();
        long next = System.nanoTime()
                + (long) (periodNanos * ThreadLocalRandom.current().nextDouble(0.1, 1.0));
        boolean stopping = false;
        while (!stopping) {
            stopping = DrainWait.until(next, stopRequested, source, this::drain);
            long untilMs = System.currentTimeMillis();
            try {
                cycle(fromMs, untilMs);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "profiling period failed; continuing", e);
            }
            fromMs = untilMs;
            double stretch = 1 + settings.jitter() * ThreadLocalRandom.current().nextDouble(-1, 1);
            next = System.nanoTime() + (long) (periodNanos * stretch);
        }
    }

    /** Ends the current period early; {@link #run()} ships it and returns. */
    public void stop() {
        stopRequested.countDown();
    }

    /** One period: the final drain, the /proc scan, building and handing over the profiles. */
    void cycle(long fromMs, long untilMs) {
        long start = System.nanoTime();
        drain();
        long t0 = System.nanoTime();
        ProcessScanner.Changes changes = scanner.scan();
        for (ProcessInfo p : changes.started()) sources.started(p);
        long t1 = System.nanoTime();
        scanNanos.inc(t1 - t0);
        Map<ProfileAssembler.Key, Profile> profiles = assembler.finish(fromMs * 1_000_000, untilMs * 1_000_000);
        profiles.forEach(
                (key, profile) -> submit(periodProcesses.settled(key.pid()), key.type(), profile, fromMs, untilMs));
        for (ProfileSources.SourcedProfile sp : sources.collect(fromMs, untilMs)) {
            submit(sp.process(), sp.type(), sp.profile(), fromMs, untilMs);
        }
        buildNanos.inc(System.nanoTime() - t1);
        for (ProcessInfo p : changes.exited()) {
            sources.exited(p);
            resolver.forget(p.pid());
        }
        periodProcesses.clear();
        resolver.endPeriod();
        periods.inc();
        cycleSeconds.observe((System.nanoTime() - start) / 1e9);
    }

    private void drain() {
        long t0 = System.nanoTime();
        List<RawSample> samples = source.drain();
        drops = source.drops();
        long t1 = System.nanoTime();
        drainNanos.inc(t1 - t0);
        for (RawSample s : samples) {
            entries.get(s.type()).inc();
            if (s.type() == SampleType.ON_CPU) cpuSamples.inc(s.value());
            ProcessInfo p = periodProcesses.get(s.tgid(), s.comm());
            if (sources.ebpfReports(p, ProfileAssembler.profileType(s))) assembler.add(s);
        }
        foldNanos.inc(System.nanoTime() - t1);
    }

    private void submit(ProcessInfo p, ProfileType type, Profile profile, long fromMs, long untilMs) {
        profilesBuilt.inc();
        ship.accept(Upload.of(p.service(), type.id(), fromMs, untilMs, labels(p), ProfileCodec.encodeGzip(profile)));
    }

    /** Static labels first; what the agent knows about the process wins. */
    LabelSet labels(ProcessInfo p) {
        return settings.staticLabels()
                .withAll(sources.labels(p))
                .with("service", p.service())
                .with("host", settings.host())
                .with("pid", Integer.toString(p.pid()))
                .with("comm", p.comm())
                .with("version", p.version());
    }
}
