package dev.hearth.agent;

import dev.hearth.agent.jvm.FrameAdvice;
import dev.hearth.agent.jvm.PerfMapRequests;
import dev.hearth.agent.jvm.ProfiledJvms;
import dev.hearth.bpf.ProfilerConfig;
import dev.hearth.bpf.RawSample;
import dev.hearth.bpf.UprobeSpec;
import dev.hearth.pprof.FoldedFormat;
import dev.hearth.pprof.ProfileBuilder;
import dev.hearth.pprof.ProfileCodec;
import dev.hearth.pprof.ProfileReader;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.ValueType;
import dev.hearth.pprof.flame.FlameFrames;
import dev.hearth.pprof.flame.FlameGraphHtml;
import dev.hearth.pprof.proto.Profile;
import dev.hearth.symbolizer.Symbolizer;
import dev.hearth.symbolizer.SymbolizerOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hearth record}: profile locally for a while and write one profile, like perf record + collapse. */
@Command(
        name = "record",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Profile processes for a while and write the stacks, merged after symbolization.",
            "Folded output has one line per stack: process;frame;…;leaf COUNT. Ctrl-C ends early and still writes."
        })
public final class RecordCommand implements Callable<Integer> {
    private static final Duration DRAIN_EVERY = Duration.ofSeconds(1);

    enum Format {
        folded,
        pprof,
        html
    }

    enum Type {
        cpu,
        offcpu,
        uprobe
    }

    @Mixin
    UnwindFlags unwind;

    @Option(
            names = "--duration",
            paramLabel = "TIME",
            defaultValue = "10s",
            converter = Units.DurationConverter.class,
            description = "how long to record, e.g. 500ms, 10s, 2m (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Mixin
    SamplingOptions sampling;

    @Option(
            names = "--type",
            paramLabel = "TYPE",
            description = "what to record: ${COMPLETION-CANDIDATES} (default: cpu, or uprobe when --uprobe is given)")
    Type type;

    @Option(
            names = "--format",
            defaultValue = "folded",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "where to write (default: standard output)")
    Path output;

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<UprobeSpec> specs = sampling.uprobeSpecs();
        List<Integer> pids = sampling.pids;
        int hz = sampling.hz;
        Type t = type != null ? type : specs.isEmpty() ? Type.cpu : Type.uprobe;
        if (t == Type.uprobe && specs.isEmpty())
            throw new IllegalArgumentException("--type uprobe needs --uprobe BINARY:SYMBOL");
        if (t != Type.uprobe && !specs.isEmpty()) throw new IllegalArgumentException("--uprobe needs --type uprobe");
        for (int pid : pids) {
            if (!Files.isDirectory(Path.of("/proc", Integer.toString(pid))))
                throw new IllegalArgumentException("no process with pid " + pid);
        }
        ProfilerConfig config = ProfilerConfig.defaults()
                .withHz(hz)
                .withOnCpu(t == Type.cpu)
                .withOffCpu(t == Type.offcpu)
                .withMinBlockNs(sampling.minBlock.toNanos())
                .withUprobes(specs)
                .withPids(Set.copyOf(pids))
                .withDrainPeriod(DRAIN_EVERY);
        ProfileType profileType = ProfileType.ofId(t.name());
        sayWhichJvmsAnAgentProfiles();

        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    stop.countDown();
                    try {
                        written.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException ignored) {
                        // exiting anyway
                    }
                },
                "hearth-record-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (PerfMapRequests perfMaps = new PerfMapRequests();
                Symbolizer symbolizer = new Symbolizer(
                        new SymbolizerOptions(sampling.jvmPerfMap, 256, Duration.ofSeconds(1)), perfMaps)) {
            Map<Integer, String> names = new HashMap<>();
            SymbolizingResolver resolver = new SymbolizingResolver(symbolizer);
            ProfileAssembler assembler = ProfileAssembler.merged(
                    resolver, hz, specs, pid -> names.computeIfAbsent(pid, RecordCommand::comm));
            Set<Integer> processes = new HashSet<>();
            long[] samples = {0};
            long startNanos;
            long begin;
            long stoppedAt;
            try (SampleSource source = BpfSampleSource.start(config, unwind.unwinding())) {
                Runnable drain = () -> {
                    samples[0] += add(source.drain(), assembler, processes);
                    resolver.endPeriod(); // frames not named yet are tried again after each drain
                };
                // the window starts once the programs are attached
                startNanos = System.currentTimeMillis() * 1_000_000;
                begin = System.nanoTime();
                long end = begin + duration.toNanos();
                boolean stopped = false;
                while (!stopped && System.nanoTime() < end) {
                    stopped = DrainWait.until(
                            Math.min(end, System.nanoTime() + DRAIN_EVERY.toNanos()), stop, source, drain);
                    if (!stopped && System.nanoTime() < end) drain.run();
                }
                stoppedAt = System.nanoTime();
                samples[0] += add(source.drain(), assembler, processes);
            }
            long endNanos = startNanos + (stoppedAt - begin);
            Profile profile = assembler.finish(startNanos, endNanos).values().stream()
                    .findFirst()
                    .orElseGet(() -> new ProfileBuilder(profileType)
                            .timeNanos(startNanos)
                            .durationNanos(endNanos - startNanos)
                            .build());
            write(profile);
            PrintStream err = System.err;
            err.printf(
                    "hearth record: %d %s entries from %d processes in %.1f s%s%n",
                    samples[0],
                    t,
                    processes.size(),
                    (endNanos - startNanos) / 1e9,
                    output != null ? " written to " + output : "");
            for (int pid : processes)
                FrameAdvice.forRecorded(pid)
                        .ifPresent(a -> err.println("hearth record: JVM " + pid + ": " + a.explanation()));
        } finally {
            written.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and lets the JVM exit now that the profile is written
            }
        }
        return 0;
    }

    /**
     * record never touches async-profiler: a JVM a running agent profiles with it is recorded through
     * eBPF like any process, and one line says so.
     */
    private void sayWhichJvmsAnAgentProfiles() {
        try {
            List<ProfiledJvms.Entry> busy = ProfiledJvms.profiledByLiveAgents(sampling.runDir).stream()
                    .filter(e -> sampling.pids.isEmpty() || sampling.pids.contains(e.pid()))
                    .toList();
            if (busy.isEmpty()) return;
            String jvms = busy.stream().map(e -> Integer.toString(e.pid())).collect(Collectors.joining(", "));
            String agents = busy.stream()
                    .map(e -> Integer.toString(e.agent().pid()))
                    .distinct()
                    .collect(Collectors.joining(", "));
            System.err.println("hearth record: JVM " + jvms + (busy.size() == 1 ? " is" : " are")
                    + " profiled by the running agent (pid " + agents
                    + ") with async-profiler; recording through eBPF, the agent's profiler left alone");
        } catch (IOException e) {
            System.err.println("hearth record: cannot read " + sampling.runDir + ": " + e.getMessage());
        }
    }

    private static long add(List<RawSample> drained, ProfileAssembler assembler, Set<Integer> processes) {
        for (RawSample s : drained) {
            assembler.add(s);
            processes.add(s.tgid());
        }
        return drained.size();
    }

    private void write(Profile profile) throws IOException {
        byte[] bytes = switch (format) {
            case pprof -> ProfileCodec.encodeGzip(profile);
            case html ->
                FlameGraphHtml.render(
                                "hearth record "
                                        + (sampling.pids.isEmpty() ? "(all processes)" : "pid " + sampling.pids),
                                unit(profile),
                                FlameFrames.of("all", ProfileReader.samples(profile), 0))
                        .getBytes(StandardCharsets.UTF_8);
            case folded -> {
                StringBuilder b = new StringBuilder();
                for (String line : FoldedFormat.write(profile, 0, false))
                    b.append(line).append('\n');
                yield b.toString().getBytes(StandardCharsets.UTF_8);
            }
        };
        OutputFile.write(output, bytes);
    }

    private static String unit(Profile p) {
        List<ValueType> types = ProfileReader.valueTypes(p);
        return types.isEmpty() ? "" : types.get(0).type() + " (" + types.get(0).unit() + ")";
    }

    private static String comm(int pid) {
        try {
            return Files.readString(Path.of("/proc", Integer.toString(pid), "comm"))
                    .strip();
        } catch (IOException e) {
            return null;
        }
    }
}
