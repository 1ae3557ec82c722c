package dev.hearth.symbolizer;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.bpf.BpfProfiler;
import dev.hearth.bpf.ProfilerConfig;
import dev.hearth.bpf.RawSample;
import dev.hearth.bpf.SampleType;
import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.StackFrame;
import dev.hearth.testsupport.Privileges;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Stacks of a real JVM (-XX:+PreserveFramePointer) sampled in the kernel by bpf-profile resolve to the
 * workload's own Java methods, also for a method compiled after the first perf map was read.
 */
class SampledJvmStacksTest {
    static final String SHOP = "dev.hearth.symbolizer.jvmapp.Shop";

    static List<Path> jdks() {
        return JitSymbolsTest.jdks().toList();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void sampledJavaStacksNameTheWorkloadsMethods(Path jdk) throws Exception {
        Privileges.assumeRootOrCi("BPF programs need root");
        // keep checkout and refund as frames of their own rather than inlined into the loop
        try (JvmTarget jvm = JvmTarget.start(
                        jdk, "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline," + SHOP + "::*");
                Symbolizer s = new Symbolizer(new SymbolizerOptions(true, 64, Duration.ZERO), new JcmdPerfMaps(jdk));
                BpfProfiler bpf = BpfProfiler.start(ProfilerConfig.defaults()
                        .withHz(499)
                        .withPids(Set.of(jvm.pid))
                        .withDrainPeriod(Duration.ofSeconds(2)))) {
            jvm.compiledAddress("Shop.checkout", 60_000);
            bpf.drain();
            Thread.sleep(2000);
            Map<String, Long> first = workerLeafNames(s, jvm.pid, bpf.drain());
            assertTrue(first.getOrDefault(SHOP + ".checkout", 0L) > 0, "checkout on top of sampled stacks: " + first);
            long requests = s.stats().perfMapRequests();

            jvm.send("refund");
            jvm.compiledAddress("Shop.refund", 60_000);
            bpf.drain();
            Thread.sleep(2000);
            Map<String, Long> second = workerLeafNames(s, jvm.pid, bpf.drain());
            assertTrue(
                    second.getOrDefault(SHOP + ".refund", 0L) > 0,
                    "refund, compiled after the first map was read: " + second);
            assertTrue(s.stats().perfMapRequests() > requests, "the miss made the symbolizer ask the JVM again");
        }
    }

    /** Names of the top Java frame (leaf-most JIT frame) of the worker thread's on-CPU samples, with counts. */
    private static Map<String, Long> workerLeafNames(Symbolizer s, int pid, List<RawSample> samples) {
        Map<String, Long> out = new HashMap<>();
        long worker = 0, complete = 0;
        for (RawSample r : samples) {
            if (r.tgid() != pid || r.type() != SampleType.ON_CPU) continue;
            List<StackFrame> user = s.user(pid, r.userStack());
            assertEquals(r.userStack().length, user.size(), "one frame per address");
            for (StackFrame k : s.kernel(r.kernelStack())) assertEquals(FrameKind.KERNEL, k.kind());
            if (!r.comm().equals("shop-worker")) continue;
            // the whole thread is named: Java, interpreter, stubs, libjvm's C++ and libc down to start_thread
            // (a sample in a method's prologue, before its frame is set up, yields a broken walk instead)
            worker += r.value();
            if (user.stream()
                            .noneMatch(f ->
                                    f.kind() == FrameKind.UNKNOWN || f.name().equals("[jit]"))
                    && user.stream()
                            .anyMatch(f -> f.kind() == FrameKind.CPP && f.name().startsWith("JavaCalls::call_helper("))
                    && user.get(user.size() - 1).name().equals("start_thread")) {
                complete += r.value();
            }
            user.stream()
                    .filter(f -> f.kind() == FrameKind.JIT)
                    .findFirst()
                    .ifPresent(f -> out.merge(f.name(), r.value(), Long::sum));
        }
        assertTrue(worker > 100, "worker samples: " + worker);
        assertTrue(complete >= worker * 0.9, complete + " of " + worker + " worker samples fully named");
        return out;
    }
}
