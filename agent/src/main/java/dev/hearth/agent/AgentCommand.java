package dev.hearth.agent;

import dev.hearth.agent.jvm.AsyncProfilerLibrary;
import dev.hearth.agent.jvm.AsyncProfilerOptions;
import dev.hearth.agent.jvm.AsyncProfilerSession;
import dev.hearth.agent.jvm.JvmMode;
import dev.hearth.agent.jvm.JvmModeSelector;
import dev.hearth.agent.jvm.JvmProfileSources;
import dev.hearth.agent.jvm.JvmTarget;
import dev.hearth.agent.jvm.PerfMapRequests;
import dev.hearth.agent.jvm.ProfiledJvms;
import dev.hearth.agent.proc.ProcessScanner;
import dev.hearth.agent.ship.Backoff;
import dev.hearth.agent.ship.CollectorCredentials;
import dev.hearth.agent.ship.Delivery;
import dev.hearth.agent.ship.Shipper;
import dev.hearth.agent.ship.Spool;
import dev.hearth.bpf.ProfilerConfig;
import dev.hearth.bpf.UprobeSpec;
import dev.hearth.symbolizer.PerfMapLimits;
import dev.hearth.symbolizer.Symbolizer;
import dev.hearth.symbolizer.SymbolizerOptions;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hearth agent}: the per-host daemon. Every flag can also be set in {@code --config FILE}. */
@Command(
        name = "agent",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Profile every process on this host continuously and ship pprof profiles to a collector.",
            "Every option can also be given in a properties file (--config), keyed by its long name without dashes;",
            "flags win over the file. SIGTERM stops cleanly: the last period is shipped (or spooled)."
        })
public final class AgentCommand implements Callable<Integer> {
    private static final System.Logger LOG = System.getLogger(AgentCommand.class.getName());
    private static final Set<String> AGENT_LABELS = Set.of("service", "host", "pid", "comm", "version");

    @Option(
            names = "--collector",
            paramLabel = "URL",
            description = "the collector, e.g. http://collector:4040 or https://collector:4040 (required)")
    URI collector;

    @Mixin
    CollectorCredentials credentials;

    @Mixin
    SamplingOptions sampling;

    @Mixin
    UnwindFlags unwind;

    @Option(
            names = ConfigFile.OPTION,
            paramLabel = "FILE",
            description = "a properties file of settings, e.g. 'collector = http://c:4040' and 'label = env=prod'")
    Path config;

    @Option(
            names = "--period",
            paramLabel = "TIME",
            defaultValue = "10s",
            converter = Units.DurationConverter.class,
            description = "how often profiles are built and shipped (default: ${DEFAULT-VALUE})")
    Duration period;

    @Option(
            names = "--jitter",
            paramLabel = "FRACTION",
            defaultValue = "0.1",
            description =
                    "each period varies randomly by up to this fraction, so agents do not upload in step (default: ${DEFAULT-VALUE})")
    double jitter;

    @Option(
            names = "--cpu",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "on-CPU profiles (default: on; --no-cpu turns them off)")
    boolean cpu;

    @Option(
            names = "--offcpu",
            negatable = true,
            defaultValue = "false",
            fallbackValue = "true",
            description = "off-CPU (blocked time) profiles (default: off)")
    boolean offcpu;

    @Option(
            names = "--label",
            paramLabel = "KEY=VALUE",
            split = ",",
            description = "a static label added to every profile (repeatable), e.g. env=prod")
    List<String> labels = new ArrayList<>();

    @Option(names = "--host", paramLabel = "NAME", description = "the host label (default: this machine's host name)")
    String host;

    @Option(
            names = "--spool-dir",
            paramLabel = "DIR",
            defaultValue = "/var/lib/hearth/agent-spool",
            description = "where profiles wait while the collector is unreachable (default: ${DEFAULT-VALUE})")
    Path spoolDir;

    @Option(
            names = "--spool-max",
            paramLabel = "SIZE",
            defaultValue = "100MB",
            converter = Units.SizeConverter.class,
            description = "spool size limit; the oldest profiles are dropped first (default: ${DEFAULT-VALUE})")
    long spoolMax;

    @Option(
            names = "--timeout",
            paramLabel = "TIME",
            defaultValue = "10s",
            converter = Units.DurationConverter.class,
            description = "connect and response timeout of one upload (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(
            names = "--retry-min",
            paramLabel = "TIME",
            defaultValue = "1s",
            converter = Units.DurationConverter.class,
            description =
                    "first wait after a failed upload; doubles per failure, with jitter (default: ${DEFAULT-VALUE})")
    Duration retryMin;

    @Option(
            names = "--retry-max",
            paramLabel = "TIME",
            defaultValue = "1m",
            converter = Units.DurationConverter.class,
            description = "longest wait between retries (default: ${DEFAULT-VALUE})")
    Duration retryMax;

    @Option(
            names = "--metrics-address",
            paramLabel = "ADDR",
            defaultValue = "127.0.0.1",
            description = "address of the /metrics endpoint (default: ${DEFAULT-VALUE})")
    String metricsAddress;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            defaultValue = "4041",
            description =
                    "port of the Prometheus /metrics endpoint; 0 picks a free one, -1 turns it off (default: ${DEFAULT-VALUE})")
    int metricsPort;

    @Option(
            names = "--bpf-stats",
            description = "have the kernel count the BPF programs' run time, published as "
                    + "hearth_agent_bpf_run_nanoseconds_total (costs a little per sample; for measuring the agent)")
    boolean bpfStats;

    @Option(
            names = "--perf-map-max-size",
            paramLabel = "SIZE",
            defaultValue = "16MB",
            converter = Units.SizeConverter.class,
            description =
                    "bytes read from one process's perf map; reading stops there, counted (default: ${DEFAULT-VALUE})")
    long perfMapMaxSize;

    @Option(
            names = "--perf-map-max-line",
            paramLabel = "SIZE",
            defaultValue = "4KB",
            converter = Units.SizeConverter.class,
            description = "longest perf map line read; longer lines are skipped, counted (default: ${DEFAULT-VALUE})")
    long perfMapMaxLine;

    @Option(
            names = "--perf-map-max-entries",
            paramLabel = "N",
            defaultValue = "250000",
            description = "entries kept from one perf map; the rest are dropped, counted (default: ${DEFAULT-VALUE})")
    int perfMapMaxEntries;

    @Option(
            names = "--jvm-mode",
            paramLabel = "MODE",
            defaultValue = "auto",
            converter = JvmModeConverter.class,
            description =
                    "Java frames: auto (async-profiler inside each JVM where it can attach, else eBPF with the perf map), "
                            + "ebpf, or async-profiler (no fallback) (default: ${DEFAULT-VALUE})")
    JvmMode jvmMode;

    @Option(
            names = "--async-profiler-cpu",
            paramLabel = "TIME",
            defaultValue = "10ms",
            converter = Units.DurationConverter.class,
            description = "async-profiler CPU sampling interval; 0 leaves on-CPU to eBPF (default: ${DEFAULT-VALUE})")
    Duration apCpu;

    @Option(
            names = "--async-profiler-alloc",
            paramLabel = "SIZE",
            defaultValue = "0",
            converter = Units.SizeConverter.class,
            description =
                    "async-profiler allocation sampling interval in bytes, e.g. 512k; 0 is off (default: off: the profiled JVM pays for it)")
    long apAlloc;

    @Option(
            names = "--async-profiler-lock",
            paramLabel = "TIME",
            defaultValue = "0",
            converter = Units.DurationConverter.class,
            description = "async-profiler lock threshold, e.g. 10ms; 0 is off (default: off)")
    Duration apLock;

    @Option(
            names = "--async-profiler-wall",
            paramLabel = "TIME",
            defaultValue = "0",
            converter = Units.DurationConverter.class,
            description = "async-profiler wall-clock sampling interval; 0 is off (default: off)")
    Duration apWall;

    @Option(
            names = "--async-profiler-max-recording",
            paramLabel = "SIZE",
            defaultValue = "64MB",
            converter = Units.SizeConverter.class,
            description =
                    "largest async-profiler recording (JFR file) read; a larger one is skipped, counted (default: ${DEFAULT-VALUE})")
    long apMaxRecording;

    static final class JvmModeConverter implements picocli.CommandLine.ITypeConverter<JvmMode> {
        @Override
        public JvmMode convert(String value) {
            try {
                return JvmMode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    AsyncProfilerOptions asyncProfilerOptions() {
        return new AsyncProfilerOptions(
                apCpu,
                apAlloc,
                apLock,
                apWall,
                Duration.ofSeconds(Math.max(1, Math.round(period.toMillis() / 1000.0))),
                apMaxRecording);
    }

    /** The JVM-aware sources: async-profiler JFR recordings rotate with the agent's period. */
    private ProfileSources jvmSources(Metrics metrics, PerfMapRequests perfMaps, ProfiledJvms profiled)
            throws IOException {
        AsyncProfilerOptions options = asyncProfilerOptions();
        AsyncProfilerLibrary library = AsyncProfilerLibrary.fromClasspath();
        JvmModeSelector selector = new JvmModeSelector(
                jvmMode, pid -> AsyncProfilerSession.start(JvmTarget.of(pid), library, options, profiled));
        return new JvmProfileSources(selector, Set.copyOf(sampling.pids), metrics, perfMaps);
    }

    @Override
    public Integer call() throws Exception {
        if (collector == null)
            throw new IllegalArgumentException("no collector: give --collector URL or 'collector' in --config FILE");
        LabelSet staticLabels = LabelSet.EMPTY;
        for (String l : labels) staticLabels = staticLabels.withPair(l);
        for (String reserved : AGENT_LABELS) {
            if (staticLabels.get(reserved) != null) {
                throw new IllegalArgumentException(
                        "label '" + reserved + "' is set by the agent; use --host for the host name");
            }
        }
        List<UprobeSpec> specs = sampling.uprobeSpecs();
        if (!cpu && !offcpu && specs.isEmpty())
            throw new IllegalArgumentException("nothing to profile: --no-cpu without --offcpu or --uprobe");
        String hostName = host != null ? host : InetAddress.getLocalHost().getHostName();
        AgentLoop.Settings settings =
                new AgentLoop.Settings(period, jitter, hostName, staticLabels, sampling.hz, specs);
        ProfilerConfig bpf = ProfilerConfig.defaults()
                .withHz(sampling.hz)
                .withOnCpu(cpu)
                .withOffCpu(offcpu)
                .withMinBlockNs(sampling.minBlock.toNanos())
                .withUprobes(specs)
                .withPids(Set.copyOf(sampling.pids))
                .withDrainPeriod(period);

        // before any BPF or attach: a second agent must not touch what the first one runs
        Path run = RunDir.prepare(sampling.runDir);
        try (HostLock lock = HostLock.acquire(run)) {
            return run(settings, bpf, new ProfiledJvms(run, HostLock.Holder.self()));
        }
    }

    private int run(AgentLoop.Settings settings, ProfilerConfig bpf, ProfiledJvms profiled) throws Exception {
        Metrics metrics = new Metrics();
        Spool spool = new Spool(spoolDir, spoolMax);
        Delivery delivery = new Delivery(
                new Shipper(collector, timeout, credentials.token(), credentials.caFile()),
                spool,
                new Backoff(retryMin, retryMax),
                1024);
        DeliveryMetrics.register(metrics, delivery, spool);
        PerfMapRequests perfMaps = new PerfMapRequests();
        try (Symbolizer symbolizer = new Symbolizer(
                        new SymbolizerOptions(
                                sampling.jvmPerfMap,
                                256,
                                Duration.ofSeconds(10),
                                new PerfMapLimits(
                                        perfMapMaxSize,
                                        (int) Math.min(perfMapMaxLine, Integer.MAX_VALUE),
                                        perfMapMaxEntries)),
                        perfMaps);
                MetricsServer server =
                        metricsPort < 0 ? null : new MetricsServer(metricsAddress, metricsPort, metrics);
                AutoCloseable stats = bpfStats ? BpfSampleSource.enableRunTimeStats() : null;
                BpfSampleSource source = BpfSampleSource.start(bpf, unwind.unwinding())) {
            SymbolizingResolver resolver = new SymbolizingResolver(symbolizer);
            SymbolizerMetrics.register(metrics, symbolizer, resolver);
            metrics.read(
                    "hearth_agent_bpf_run_nanoseconds_total",
                    "kernel time in the BPF programs (with --bpf-stats)",
                    Metrics.Kind.COUNTER,
                    source::programRunNanos);
            metrics.read("hearth_agent_bpf_map_bytes", "memory of the BPF maps", Metrics.Kind.GAUGE, source::mapBytes);
            UnwindMetrics.register(metrics, source::unwindStats);
            ProfileSources sources = jvmSources(metrics, perfMaps, profiled);
            AgentLoop loop = new AgentLoop(
                    settings, source, resolver, ProcessScanner.system(), sources, delivery::submit, metrics);
            CountDownLatch finished = new CountDownLatch(1);
            Thread hook = new Thread(
                    () -> {
                        loop.stop();
                        try {
                            finished.await(timeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
                        } catch (InterruptedException ignored) {
                            // exiting anyway
                        }
                    },
                    "hearth-agent-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            LOG.log(
                    Level.INFO,
                    "profiling {0} every {1} s to {2}{3}",
                    sampling.pids.isEmpty() ? "all processes" : "pids " + sampling.pids,
                    period.toMillis() / 1000.0,
                    collector,
                    server != null ? "; metrics on http://" + metricsAddress + ":" + server.port() + "/metrics" : "");
            try {
                loop.run();
            } finally {
                sources.close();
                source.close();
                delivery.close(timeout);
                // not through the logger: on SIGTERM, java.util.logging has already shut down
                System.err.println("hearth agent: stopped; " + spool.size() + " profiles wait in the spool");
                finished.countDown();
            }
        }
        return 0;
    }
}
