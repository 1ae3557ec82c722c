package dev.hearth.pprof.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.ProfileCodec;
import dev.hearth.pprof.ProfileReader;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.ProfileValidator;
import dev.hearth.pprof.ResolvedSample;
import dev.hearth.pprof.StackFrame;
import dev.hearth.pprof.proto.Profile;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Converts recordings that async-profiler made of real JVMs running {@link MixedWorkload}. */
class JfrToPprofTest {
    static final String WORKLOAD = MixedWorkload.class.getName();

    static Path dir;
    static Path recording;
    static long allocatedBytes;
    static JfrProfiles profiles;

    @BeforeAll
    static void record() throws Exception {
        MixedRecording r = MixedRecording.get();
        dir = r.dir();
        recording = r.file();
        allocatedBytes = r.allocatedBytes();
        profiles = JfrToPprof.convert(recording);
    }

    @Test
    void readsTheWholeRecordingIntoValidProfiles() throws Exception {
        assertNull(profiles.damage());
        assertEquals(
                Set.of(ProfileType.CPU, ProfileType.ALLOC, ProfileType.LOCK),
                profiles.profiles().keySet());
        for (Profile p : profiles.profiles().values()) ProfileValidator.validate(p);
        assertTrue(profiles.events() > 100, "events: " + profiles.events());
    }

    @Test
    void cpuSharesFollowTheWorkAndCarryUnitsLinesKindsAndThreads() {
        Profile cpu = profiles.profiles().get(ProfileType.CPU);
        assertEquals(List.of("samples/count", "cpu/nanoseconds"), units(cpu));
        assertEquals(5_000_000, cpu.getPeriod());
        List<ResolvedSample> samples = ProfileReader.samples(cpu);
        for (ResolvedSample s : samples) assertEquals(s.values()[0] * 5_000_000, s.values()[1]);

        long heavy = total(samples, 0, onStack(WORKLOAD + ".heavy"));
        long light = total(samples, 0, onStack(WORKLOAD + ".light"));
        assertTrue(heavy + light > 400, "too few samples: " + (heavy + light));
        double heavyShare = 100.0 * heavy / (heavy + light);
        assertEquals(75, heavyShare, 5, "heavy share of heavy+light");

        ResolvedSample hot = samples.stream()
                .filter(onStack(WORKLOAD + ".heavy"))
                .max((a, b) -> Long.compare(a.values()[0], b.values()[0]))
                .orElseThrow();
        StackFrame frame = hot.stack().stream()
                .filter(f -> f.name().equals(WORKLOAD + ".heavy"))
                .findFirst()
                .orElseThrow();
        assertTrue(frame.line() > 0, "line of " + frame);
        assertTrue(Set.of(FrameKind.JIT, FrameKind.C1, FrameKind.INLINED, FrameKind.INTERPRETED)
                .contains(frame.kind()));
        assertEquals("cpu-worker", hot.labels().get(JfrToPprof.THREAD_LABEL));
        assertTrue(
                samples.stream().flatMap(s -> s.stack().stream()).anyMatch(f -> f.kind() == FrameKind.JIT),
                "no JIT frames");
    }

    @Test
    void allocationBytesMatchWhatTheMethodAllocated() {
        Profile alloc = profiles.profiles().get(ProfileType.ALLOC);
        assertEquals(List.of("alloc_objects/count", "alloc_space/bytes"), units(alloc));
        List<ResolvedSample> samples = ProfileReader.samples(alloc);
        long bytes = total(samples, 1, onStack(WORKLOAD + ".allocate"));
        assertEquals(allocatedBytes, bytes, allocatedBytes * 0.2, "bytes attributed to allocate()");
        long objects = total(samples, 0, onStack(WORKLOAD + ".allocate"));
        long arrays = allocatedBytes / (MixedWorkload.CHUNK + 16);
        assertEquals(arrays, objects, arrays * 0.2, "objects attributed to allocate()");
        ResolvedSample s = samples.stream()
                .filter(onStack(WORKLOAD + ".allocate"))
                .findFirst()
                .orElseThrow();
        assertEquals("byte[]", s.stack().get(0).name());
        assertEquals("allocator", s.labels().get(JfrToPprof.THREAD_LABEL));
    }

    @Test
    void contendedMonitorShowsItsWaitingMethod() {
        Profile lock = profiles.profiles().get(ProfileType.LOCK);
        assertEquals(List.of("contentions/count", "delay/nanoseconds"), units(lock));
        List<ResolvedSample> samples = ProfileReader.samples(lock);
        long contentions = total(samples, 0, onStack(WORKLOAD + ".contend"));
        long delay = total(samples, 1, onStack(WORKLOAD + ".contend"));
        assertTrue(contentions > 0, "no contentions in contend()");
        // Each wait lasts until the holder's 20 ms sleep ends: on average well over a millisecond.
        assertTrue(delay / contentions > 1_000_000, "mean delay " + delay / contentions + " ns");
        assertTrue(samples.stream()
                .filter(onStack(WORKLOAD + ".contend"))
                .allMatch(s -> "lock-waiter".equals(s.labels().get(JfrToPprof.THREAD_LABEL))));
    }

    @Test
    void interpretedOnlyRunStillNamesMethodsOnJdk25AndWallClockHasItsUnits() throws Exception {
        Path out = dir.resolve("xint.jfr");
        Recordings.record(
                Recordings.jdk25(),
                dir,
                "event=cpu,interval=10ms,wall=20ms",
                out,
                List.of("-Xint"),
                WORKLOAD,
                "30",
                "10");
        JfrProfiles converted = JfrToPprof.convert(out);
        List<ResolvedSample> samples =
                ProfileReader.samples(converted.profiles().get(ProfileType.CPU));
        for (String method : List.of(".heavy", ".light")) {
            assertTrue(
                    samples.stream()
                            .flatMap(s -> s.stack().stream())
                            .anyMatch(f -> f.name().equals(WORKLOAD + method) && f.kind() == FrameKind.INTERPRETED),
                    method + " not named as an interpreted frame");
        }
        assertFalse(samples.stream().flatMap(s -> s.stack().stream()).anyMatch(f -> f.kind() == FrameKind.JIT));

        Profile wall = converted.profiles().get(ProfileType.WALL);
        assertEquals(List.of("samples/count", "wall/nanoseconds"), units(wall));
        assertEquals(20_000_000, wall.getPeriod());
        List<ResolvedSample> wallSamples = ProfileReader.samples(wall);
        for (ResolvedSample s : wallSamples) assertEquals(s.values()[0] * 20_000_000, s.values()[1]);
        // Wall clock also sees threads that wait: the lock holder sleeping in holdMonitor.
        assertTrue(
                wallSamples.stream().anyMatch(onStack(WORKLOAD + ".holdMonitor")), "no waiting thread in wall samples");
    }

    @Test
    void cutShortLastChunkIsLeftOutAndTheWholeOnesKept() throws Exception {
        // Chunks lie back to back in a file: the recording twice, the second copy cut in half.
        byte[] whole = Files.readAllBytes(recording);
        byte[] two = java.util.Arrays.copyOf(whole, whole.length + whole.length / 2);
        System.arraycopy(whole, 0, two, whole.length, whole.length / 2);
        Path cut = dir.resolve("cut.jfr");
        Files.write(cut, two);
        JfrProfiles partial = JfrToPprof.convert(cut);
        assertFalse(partial.complete());
        assertTrue(partial.damage().contains("cut short"), partial.damage());
        assertEquals(profiles.events(), partial.events());
    }

    @Test
    void badInputIsAClearError() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.jfr"));
        assertThrows(JfrFormatException.class, () -> JfrToPprof.convert(empty));
        assertThrows(JfrFormatException.class, () -> JfrToPprof.convert("not a recording".getBytes(), 1 << 20));
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(recording), 100);
        assertThrows(JfrFormatException.class, () -> JfrToPprof.convert(head, 1 << 20));
        assertThrows(JfrFormatException.class, () -> JfrToPprof.convert(new byte[] {0x1f, (byte) 0x8b, 1, 2}, 1 << 20));
        byte[] gz = gzip(Files.readAllBytes(recording));
        JfrFormatException big = assertThrows(JfrFormatException.class, () -> JfrToPprof.convert(gz, 1000));
        assertTrue(big.getMessage().contains("exceeds the limit of 1000 bytes"), big.getMessage());
    }

    @Test
    void gzippedRecordingConvertsLikeTheRawOne() throws Exception {
        JfrProfiles fromGzip = JfrToPprof.convert(gzip(Files.readAllBytes(recording)), 1L << 30);
        assertEquals(profiles.events(), fromGzip.events());
        for (ProfileType t : profiles.profiles().keySet()) {
            assertEquals(
                    ProfileCodec.encodeGzip(profiles.profiles().get(t)).length,
                    ProfileCodec.encodeGzip(fromGzip.profiles().get(t)).length,
                    t.id());
        }
    }

    static byte[] gzip(byte[] b) throws java.io.IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
            gz.write(b);
        }
        return buf.toByteArray();
    }

    static List<String> units(Profile p) {
        return ProfileReader.valueTypes(p).stream()
                .map(v -> v.type() + "/" + v.unit())
                .toList();
    }

    static Predicate<ResolvedSample> onStack(String name) {
        return s -> s.stack().stream().anyMatch(f -> f.name().equals(name));
    }

    static long total(List<ResolvedSample> samples, int value, Predicate<ResolvedSample> filter) {
        return samples.stream().filter(filter).mapToLong(s -> s.values()[value]).sum();
    }
}
