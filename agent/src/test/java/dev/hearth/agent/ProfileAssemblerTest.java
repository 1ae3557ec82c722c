package dev.hearth.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.bpf.RawSample;
import dev.hearth.bpf.SampleType;
import dev.hearth.bpf.UprobeSpec;
import dev.hearth.pprof.FoldedFormat;
import dev.hearth.pprof.ProfileReader;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.ProfileValidator;
import dev.hearth.pprof.ResolvedSample;
import dev.hearth.pprof.proto.Profile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileAssemblerTest {
    static final long[] NONE = {};
    final FakeStacks stacks =
            new FakeStacks(Map.of(1L, "hot", 2L, "warm", 3L, "main", 100L, "do_syscall_64", 101L, "schedule"));
    final List<UprobeSpec> probes = List.of(UprobeSpec.parse("/lib/libc.so.6:malloc"));

    static RawSample cpu(int pid, String thread, long[] user, long n) {
        return new RawSample(pid, thread, SampleType.ON_CPU, 0, user, NONE, n);
    }

    @Test
    void oneProfilePerProcessAndTypeWithValuesInTheirUnits() throws Exception {
        ProfileAssembler a = ProfileAssembler.perProcess(stacks, 100, probes);
        a.add(cpu(10, "worker-1", new long[] {1, 3}, 7));
        a.add(cpu(10, "worker-2", new long[] {1, 3}, 2));
        a.add(cpu(10, "worker-1", new long[] {1, 3}, 1)); // another stack id, same frames: folds again
        a.add(cpu(20, "nginx", new long[] {2, 3}, 3));
        a.add(new RawSample(10, "worker-1", SampleType.OFF_CPU, 0, new long[] {3}, new long[] {101, 100}, 5_000_000));
        a.add(new RawSample(20, "nginx", SampleType.UPROBE_CALLS, 0, new long[] {2}, NONE, 40));
        a.add(new RawSample(20, "nginx", SampleType.UPROBE_LATENCY, 0, new long[] {2}, NONE, 9000));
        Map<ProfileAssembler.Key, Profile> out = a.finish(1_000_000_000L, 11_000_000_000L);
        assertEquals(
                List.of(
                        new ProfileAssembler.Key(10, ProfileType.CPU),
                        new ProfileAssembler.Key(20, ProfileType.CPU),
                        new ProfileAssembler.Key(10, ProfileType.OFFCPU),
                        new ProfileAssembler.Key(20, ProfileType.UPROBE)),
                List.copyOf(out.keySet()));
        for (Profile p : out.values()) ProfileValidator.validate(p);

        Profile cpu10 = out.get(new ProfileAssembler.Key(10, ProfileType.CPU));
        assertEquals(10_000_000L, cpu10.getPeriod());
        assertEquals(1_000_000_000L, cpu10.getTimeNanos());
        assertEquals(10_000_000_000L, cpu10.getDurationNanos());
        List<ResolvedSample> samples = ProfileReader.samples(cpu10);
        assertEquals(2, samples.size(), "same stack and thread fold together; threads stay apart");
        ResolvedSample w1 = samples.stream()
                .filter(s -> s.labels().get("thread").equals("worker-1"))
                .findFirst()
                .orElseThrow();
        assertArrayEquals(new long[] {8, 80_000_000L}, w1.values());
        assertEquals("hot", w1.stack().get(0).name());
        assertEquals("main", w1.stack().get(1).name());

        Profile off = out.get(new ProfileAssembler.Key(10, ProfileType.OFFCPU));
        assertEquals(
                List.of("main;do_syscall_64;schedule 5000000"),
                FoldedFormat.write(off, 0, false),
                "kernel frames sit above the user frames they were called from");

        ResolvedSample probe = ProfileReader.samples(out.get(new ProfileAssembler.Key(20, ProfileType.UPROBE)))
                .get(0);
        assertArrayEquals(new long[] {40, 9000}, probe.values(), "calls and latency of one stack share a sample");
        assertEquals("/lib/libc.so.6:malloc", probe.labels().get("probe"));

        assertTrue(a.finish(0, 1).isEmpty(), "finish starts the next period empty");
    }

    @Test
    void mergedModeRootsEveryStackAtItsProcessName() {
        ProfileAssembler a = ProfileAssembler.merged(stacks, 99, List.of(), pid -> pid == 10 ? "java" : null);
        a.add(cpu(10, "main", new long[] {1, 3}, 70));
        a.add(cpu(10, "C2 CompilerThre", new long[] {2, 3}, 30));
        a.add(cpu(30, "short-lived", new long[] {}, 4));
        Profile p = a.finish(0, 1).get(new ProfileAssembler.Key(0, ProfileType.CPU));
        assertEquals(
                List.of("java;main;hot 70", "java;main;warm 30", "short-lived;[missing stack] 4"),
                FoldedFormat.write(p, 0, false));
    }
}
