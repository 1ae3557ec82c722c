package dev.hearth.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.bpf.BpfProfiler;
import dev.hearth.bpf.ProfilerConfig;
import dev.hearth.bpf.RawSample;
import dev.hearth.bpf.SampleType;
import dev.hearth.bpf.UnwindStats;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
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
            long whole = sum(samples, s -> NativeProgram.contains(s.userStack(), range(w, "main"))
                    && NativeProgram.contains(s.userStack(), range(w, "helper_outer"))
                    && NativeProgram.contains(s.userStack(), range(w, "helper_inner")));
            UnwindStats stats = p.unwindStats();
            System.out.printf("-O2 without frame pointers: %d samples, %.1f%% reach main, %.1f%% through both helpers; "
                            + "leaf_three %.1f%% of the leaves (expected 75%%); %s%n", all, 100.0 * main / all,
                    100.0 * whole / all, 100.0 * three / (three + one), stats);
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
             BpfProfiler p = profile(ProfilerConfig.defaults().withOnCpu(false).withOffCpu(true), w.pid())) {
            w.function("main");
            List<RawSample> samples = measure(p, w.pid(), SampleType.OFF_CPU);
            Predicate<RawSample> sleeper = s -> s.comm().equals("sleeper");
            long blocked = sum(samples, sleeper);
            long napping = sum(samples, sleeper.and(s -> NativeProgram.contains(s.userStack(), range(w, "nap_here"))));
            long toStart = sum(samples, sleeper.and(s -> NativeProgram.contains(s.userStack(), range(w, "sleeper"))));
            System.out.printf("sleeper: %.2f s blocked, %.1f%% with nap_here, %.1f%% reach its start function; %s%n",
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
            long libraryWhole = sum(samples, inLibrary.and(s -> NativeProgram.contains(s.userStack(), range(w, "in_library")))
                    .and(reachesMain));
            long handler = sum(samples, inHandler);
            long handlerWhole = sum(samples, inHandler.and(reachesMain));
            System.out.printf("C++: %d samples through libstdc++, %d of them through in_library to main; %d in the signal "
                    + "handler, %d of them to main; %s%n", library, libraryWhole, handler, handlerWhole, p.unwindStats());
            assertTrue(library >= 50 && handler >= 50, "enough samples in both: " + library + ", " + handler);
            assertTrue(libraryWhole >= 0.95 * library, libraryWhole + " of " + library + " libstdc++ samples reach main");
            assertTrue(handlerWhole >= 0.95 * handler, handlerWhole + " of " + handler + " handler samples reach main");
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
        return p.drain().stream().filter(s -> s.tgid() == pid && s.type() == type).toList();
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
