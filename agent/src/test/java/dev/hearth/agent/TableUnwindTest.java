package dev.hearth.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.bpf.BpfProfiler;
import dev.hearth.bpf.ProfilerConfig;
import dev.hearth.bpf.RawSample;
import dev.hearth.bpf.SampleType;
import dev.hearth.bpf.UnwindStats;
import dev.hearth.testsupport.Privileges;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User stacks walked in the kernel with the .eh_frame tables the agent loads, on programs built
 * without frame pointers, with real BPF: the raw stacks are judged against the programs' own
 * function addresses (nm), not through the symbolizer.
 */
class TableUnwindTest {
    private static final String[] NO_FRAME_POINTERS = {"-O2", "-fomit-frame-pointer"};
    /** the functions of three_to_one.c that stacks are compared by */
    private static final Set<String> THREE_TO_ONE =
            Set.of("main", "helper_outer", "helper_inner", "leaf_three", "leaf_one");

    @TempDir
    Path tmp;

    @BeforeEach
    void needsBpf() {
        Privileges.assumeRootOrCi("loads BPF programs");
    }

    @Test
    void onCpuStacksOfAnO2BuildWithoutFramePointersReachMainWithTheirThreeToOneSplit() throws Exception {
        Path exe = NativeProgram.compile(tmp, "three_to_one.c", NO_FRAME_POINTERS);
        try (NativeProgram w = NativeProgram.start(exe, 6);
                BpfProfiler p = profile(ProfilerConfig.defaults(), w.pid())) {
            w.function("main"); // addresses read while the program runs
            List<RawSample> samples = measure(p, w.pid(), SampleType.ON_CPU);
            long all = sum(samples, s -> true);
            long main = sum(samples, s -> NativeProgram.contains(s.userStack(), range(w, "main")));
            long three = sum(samples, s -> NativeProgram.contains(s.userStack(), range(w, "leaf_three")));
            long one = sum(samples, s -> NativeProgram.contains(s.userStack(), range(w, "leaf_one")));
            long whole = sum(
                    samples,
                    s -> NativeProgram.contains(s.userStack(), range(w, "main"))
                            && NativeProgram.contains(s.userStack(), range(w, "helper_outer"))
                            && NativeProgram.contains(s.userStack(), range(w, "helper_inner")));
            UnwindStats stats = p.unwindStats();
            System.out.printf(
                    "-O2 without frame pointers: %d samples, %.1f%% reach main, %.1f%% through both helpers; "
                            + "leaf_three %.1f%% of the leaves (expected 75%%); %s%n",
                    all, 100.0 * main / all, 100.0 * whole / all, 100.0 * three / (three + one), stats);
            assertTrue(all >= 150, "enough samples to judge: " + all);
            assertTrue(main >= 0.98 * all, main + " of " + all + " samples reach main");
            assertTrue(whole >= 0.9 * all, whole + " of " + all + " samples pass both helpers");
            assertEquals(0.75, (double) three / (three + one), 0.05, "leaf_three's share of the two leaves");
            assertTrue(stats.tables() >= 1 && stats.complete() > 0, stats.toString());
        }
    }

    @Test
    void offCpuStacksOfTheSleeperThreadKeepNapHere() throws Exception {
        Path exe = NativeProgram.compile(tmp, "sleeper.c", "-O1", "-fno-omit-frame-pointer");
        try (NativeProgram w = NativeProgram.start(exe, 6);
                BpfProfiler p =
                        profile(ProfilerConfig.defaults().withOnCpu(false).withOffCpu(true), w.pid())) {
            w.function("main");
            List<RawSample> samples = measure(p, w.pid(), SampleType.OFF_CPU);
            Predicate<RawSample> sleeper = s -> s.comm().equals("sleeper");
            long blocked = sum(samples, sleeper);
            long napping = sum(samples, sleeper.and(s -> NativeProgram.contains(s.userStack(), range(w, "nap_here"))));
            long toStart = sum(samples, sleeper.and(s -> NativeProgram.contains(s.userStack(), range(w, "sleeper"))));
            System.out.printf(
                    "sleeper: %.2f s blocked, %.1f%% with nap_here, %.1f%% reach its start function; %s%n",
                    blocked / 1e9, 100.0 * napping / blocked, 100.0 * toStart / blocked, p.unwindStats());
            assertTrue(blocked >= 2e9, "the sleeper blocked for " + blocked + " ns");
            assertTrue(napping >= 0.95 * blocked, "nap_here in " + napping + " of " + blocked + " ns blocked");
        }
    }

    @Test
    void cppStacksThroughLibstdcxxAndASignalHandlerReachMain() throws Exception {
        Path exe = NativeProgram.compile(tmp, "plt_signal.cpp", NO_FRAME_POINTERS);
        try (NativeProgram w = NativeProgram.start(exe, 6);
                BpfProfiler p = profile(ProfilerConfig.defaults(), w.pid())) {
            w.function("main");
            long[] libstdcxx = w.library("libstdc++");
            List<RawSample> samples = measure(p, w.pid(), SampleType.ON_CPU);
            Predicate<RawSample> inLibrary = s -> NativeProgram.contains(s.userStack(), libstdcxx);
            Predicate<RawSample> inHandler = s -> s.userStack().length > 0
                    && NativeProgram.contains(new long[] {s.userStack()[0]}, range(w, "in_handler"));
            Predicate<RawSample> reachesMain = s -> NativeProgram.contains(s.userStack(), range(w, "main"));
            long library = sum(samples, inLibrary);
            long libraryWhole = sum(
                    samples,
                    inLibrary
                            .and(s -> NativeProgram.contains(s.userStack(), range(w, "in_library")))
                            .and(reachesMain));
            long handler = sum(samples, inHandler);
            long handlerWhole = sum(samples, inHandler.and(reachesMain));
            System.out.printf(
                    "C++: %d samples through libstdc++, %d of them through in_library to main; %d in the signal "
                            + "handler, %d of them to main; %s%n",
                    library, libraryWhole, handler, handlerWhole, p.unwindStats());
            assertTrue(library >= 50 && handler >= 50, "enough samples in both: " + library + ", " + handler);
            assertTrue(
                    libraryWhole >= 0.95 * library, libraryWhole + " of " + library + " libstdc++ samples reach main");
            assertTrue(handlerWhole >= 0.95 * handler, handlerWhole + " of " + handler + " handler samples reach main");
        }
    }

    /**
     * perf's own DWARF unwinding (a copy of the stack per sample, unwound afterwards) and ours, on the
     * same seconds; at 999 Hz, so that the shares of both carry under two points of sampling noise
     */
    @Test
    void agreesWithPerfDwarfUnwindingOnTheSameRun() throws Exception {
        Path exe = NativeProgram.compile(tmp, "three_to_one.c", NO_FRAME_POINTERS);
        // perf takes seconds to start on a loaded machine: the program runs until closed
        try (NativeProgram w = NativeProgram.start(exe, 120);
                BpfProfiler p = profile(ProfilerConfig.defaults().withHz(999), w.pid())) {
            w.function("main");
            Thread.sleep(1500);
            p.drain();
            Path data = tmp.resolve("perf.data");
            Process perf = new ProcessBuilder(
                            "perf",
                            "record",
                            "-q",
                            "-e",
                            "cpu-clock",
                            "-F",
                            "999",
                            "--call-graph",
                            "dwarf",
                            "-p",
                            Integer.toString(w.pid()),
                            "-o",
                            data.toString(),
                            "--",
                            "sleep",
                            "4")
                    .redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("perf.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            assertTrue(perf.waitFor(60, TimeUnit.SECONDS), "perf record ends");
            List<RawSample> samples = p.drain().stream()
                    .filter(s -> s.tgid() == w.pid() && s.type() == SampleType.ON_CPU)
                    .toList();
            Map<String, Long> ours = new HashMap<>();
            for (RawSample s : samples) ours.merge(programStack(w, s.userStack()), s.value(), Long::sum);
            Map<String, Long> perfs = perfStacks(data);
            long perfSamples =
                    perfs.values().stream().mapToLong(Long::longValue).sum();
            assertTrue(
                    perfSamples >= 600,
                    "perf recorded " + perfSamples + " samples, exit " + perf.exitValue() + ": "
                            + Files.readString(tmp.resolve("perf.log"))
                            + " " + Files.size(data) + " bytes; perf script said: "
                            + lastScript.lines().limit(12).toList());
            List<String> top = top(ours, 2);
            System.out.printf("ours %s%nperf %s%n", shares(ours), shares(perfs));
            assertEquals(top, top(perfs, 2), "the same top stacks");
            for (String stack : top) {
                assertEquals(share(perfs, stack), share(ours, stack), 0.05, "share of " + stack);
            }
        }
    }

    /** the program's own functions on a stack, outermost first */
    private static String programStack(NativeProgram w, long[] stack) {
        List<String> names = new ArrayList<>();
        for (int i = stack.length - 1; i >= 0; i--) {
            try {
                String f = w.functionAt(stack[i]);
                if (f != null && THREE_TO_ONE.contains(f)) names.add(f);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(";", names);
    }

    /** `perf script`'s call chains, reduced like {@link #programStack} to the functions of three_to_one.c */
    private static String lastScript = "";

    private static Map<String, Long> perfStacks(Path data) throws Exception {
        Process script = new ProcessBuilder("perf", "script", "-i", data.toString(), "-F", "ip,sym")
                .redirectErrorStream(true)
                .start();
        lastScript = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> lines = lastScript.lines().toList();
        script.waitFor(60, TimeUnit.SECONDS);
        Map<String, Long> out = new HashMap<>();
        List<String> frames = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (line.isBlank()) {
                if (!frames.isEmpty()) out.merge(String.join(";", frames), 1L, Long::sum);
                frames = new ArrayList<>();
            } else if (f.length >= 2 && THREE_TO_ONE.contains(f[1]) && !line.contains("(inlined)")) {
                frames.add(0, f[1]); // perf prints the leaf first
            }
        }
        if (!frames.isEmpty()) out.merge(String.join(";", frames), 1L, Long::sum);
        return out;
    }

    private static List<String> top(Map<String, Long> stacks, int n) {
        return stacks.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(n)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    private static double share(Map<String, Long> stacks, String stack) {
        long all = stacks.values().stream().mapToLong(Long::longValue).sum();
        return (double) stacks.getOrDefault(stack, 0L) / all;
    }

    private static String shares(Map<String, Long> stacks) {
        StringBuilder b = new StringBuilder();
        for (String s : top(stacks, 4)) b.append(String.format("%s %.1f%%, ", s, 100 * share(stacks, s)));
        return b.toString();
    }

    /**
     * A JVM without -XX:+PreserveFramePointer whose garbage collector copies live data all the time
     * (and which compiles everything with C2, -Xcomp): the native stacks of its GC and compiler
     * threads run whole from libjvm down to libc's thread start, the outermost frame.
     */
    @Test
    void nativeStacksOfAJvmsGcAndCompilerThreadsAreWholeWithoutFramePointers() throws Exception {
        Process jvm = new ProcessBuilder(
                        Workloads.javaBin(),
                        "-Xcomp",
                        "-XX:-TieredCompilation",
                        "-Xmx32m",
                        "-XX:+UseParallelGC",
                        "-XX:ParallelGCThreads=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.hearth.agent.workload.GarbageWorkload",
                        "30")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BpfProfiler p = profile(ProfilerConfig.defaults().withHz(499), (int) jvm.pid())) {
            Thread.sleep(300);
            long[] libc = mapping((int) jvm.pid(), "libc.so");
            long[] libjvm = mapping((int) jvm.pid(), "libjvm.so");
            List<RawSample> measured = measure(p, (int) jvm.pid(), SampleType.ON_CPU);
            List<RawSample> samples = measured.stream()
                    .filter(s ->
                            (s.comm().startsWith("C2 CompilerThre") || s.comm().startsWith("GC Thread"))
                                    && s.userStack().length > 0)
                    .toList();
            long all = sum(samples, s -> true);
            long whole = sum(samples, s -> {
                long[] st = s.userStack();
                return NativeProgram.contains(st, libjvm)
                        && st[st.length - 1] >= libc[0]
                        && st[st.length - 1] < libc[1];
            });
            System.out.printf(
                    "JVM without frame pointers: %d GC and compiler thread samples, %.1f%% whole from libjvm to "
                            + "libc's thread start; %s%n",
                    all, 100.0 * whole / all, p.unwindStats());
            assertTrue(all >= 100, "enough GC and compiler thread samples: " + all);
            assertTrue(whole >= 0.95 * all, whole + " of " + all + " GC and compiler thread stacks whole");
        } finally {
            jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A budget smaller than the tables a program needs: least recently used tables leave, stacks cut by it are counted. */
    @Test
    void tablesStayWithinTheirBudgetByEvictingTheLeastRecentlyUsed() throws Exception {
        Path exe = NativeProgram.compile(tmp, "plt_signal.cpp", NO_FRAME_POINTERS);
        long budget = 320 << 10; // libc's table or libstdc++'s, not both
        UnwindFlags flags = new UnwindFlags();
        flags.budget = budget;
        try (NativeProgram w = NativeProgram.start(exe, 6);
                BpfProfiler p =
                        BpfProfiler.start(ProfilerConfig.defaults().withPids(Set.of(w.pid())), flags.unwinding())) {
            List<RawSample> samples = measure(p, w.pid(), SampleType.ON_CPU);
            UnwindStats stats = p.unwindStats();
            System.out.printf("budget %d KiB: %d samples; %s%n", budget >> 10, sum(samples, s -> true), stats);
            assertTrue(stats.tableBytes() <= budget, "tables within the budget: " + stats);
            assertTrue(
                    stats.evictions() > 0 && stats.budget() > 0,
                    "evictions and the stacks they cut are counted: " + stats);
        }
    }

    /**
     * An unprivileged process spinning in anonymous code with a frame pointer that names itself as
     * its caller: the walk is cut at the depth cap and counted as such, and sampling goes on.
     */
    @Test
    void aForgedFramePointerCycleOfAnUnprivilegedProcessIsCutAtTheDepthCap() throws Exception {
        Path exe = NativeProgram.compile(tmp, "fp_cycle.c", "-O1");
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Process w = new ProcessBuilder(
                        "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", exe.toString(), "8")
                .redirectErrorStream(true)
                .start();
        try {
            assertEquals(
                    "ready", new java.io.BufferedReader(new java.io.InputStreamReader(w.getInputStream())).readLine());
            try (BpfProfiler p = profile(ProfilerConfig.defaults().withHz(499), (int) w.pid())) {
                List<RawSample> samples = measure(p, (int) w.pid(), SampleType.ON_CPU);
                UnwindStats stats = p.unwindStats();
                long all = sum(samples, s -> true);
                System.out.printf(
                        "forged frame-pointer cycle: %d samples, longest stack %d; %s%n",
                        all,
                        samples.stream()
                                .mapToInt(s -> s.userStack().length)
                                .max()
                                .orElse(0),
                        stats);
                assertTrue(all >= 50, "the process was sampled: " + all);
                assertTrue(samples.stream().allMatch(s -> s.userStack().length <= 127), "stacks within the depth cap");
                assertTrue(stats.depth() >= all / 2, "walks cut at the depth cap are counted: " + stats);
            }
        } finally {
            w.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** [start, end) of the executable mapping of the file whose name starts with {@code prefix}, waiting for it */
    private static long[] mapping(int pid, String prefix) throws Exception {
        for (int i = 0; ; i++) {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/maps"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 6
                        && f[1].charAt(2) == 'x'
                        && Path.of(f[5]).getFileName().toString().startsWith(prefix)) {
                    String[] r = f[0].split("-");
                    return new long[] {Long.parseUnsignedLong(r[0], 16), Long.parseUnsignedLong(r[1], 16)};
                }
            }
            if (i > 100) throw new IllegalStateException("no " + prefix + " in " + pid);
            Thread.sleep(50);
        }
    }

    static BpfProfiler profile(ProfilerConfig config, int pid) {
        return BpfProfiler.start(config.withPids(Set.of(pid)), new UnwindFlags().unwinding());
    }

    /** drains what came while the first samples had the tables loaded, then three seconds of samples of {@code pid} */
    static List<RawSample> measure(BpfProfiler p, int pid, SampleType type) throws InterruptedException {
        Thread.sleep(1500);
        p.drain();
        Thread.sleep(3000);
        return p.drain().stream()
                .filter(s -> s.tgid() == pid && s.type() == type)
                .toList();
    }

    static long sum(List<RawSample> samples, Predicate<RawSample> which) {
        return samples.stream().filter(which).mapToLong(RawSample::value).sum();
    }

    static long[] range(NativeProgram w, String function) {
        try {
            return w.function(function);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
