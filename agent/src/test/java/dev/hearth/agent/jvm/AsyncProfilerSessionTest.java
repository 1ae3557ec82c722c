package dev.hearth.agent.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.ProfileReader;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.ResolvedSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** async-profiler attached to real JVMs (JDK 17 and Temurin 25) running {@link JvmWorkload}. */
class AsyncProfilerSessionTest {
    static final String W = JvmWorkload.class.getName();
    static final AsyncProfilerOptions OPTIONS = new AsyncProfilerOptions(
            Duration.ofMillis(5), 512 * 1024, Duration.ofMillis(10), null, Duration.ofSeconds(1));
    static AsyncProfilerLibrary library;

    @BeforeAll
    static void library() throws Exception {
        library = AsyncProfilerLibrary.fromClasspath();
    }

    @Test
    void cpuSharesFollowTheWorkOnJdk17() throws Exception {
        try (WorkloadJvm jvm = WorkloadJvm.jdk17("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints");
                AsyncProfilerSession session = start(jvm)) {
            assertEquals("cpu", session.cpuEvent(), "perf events (software cpu-clock) work on this kernel");
            jvm.run("cpu 800");
            List<ResolvedSample> cpu = stopAndCollect(session, ProfileType.CPU);
            long heavy = total(cpu, 0, onStack(W + ".heavy"));
            long light = total(cpu, 0, onStack(W + ".light"));
            assertTrue(heavy + light > 300, "too few samples: " + (heavy + light));
            assertEquals(75, 100.0 * heavy / (heavy + light), 5, "heavy share of heavy+light");
            assertTrue(cpu.stream()
                    .filter(onStack(W + ".heavy"))
                    .allMatch(s -> "worker".equals(s.labels().get("thread"))));
        }
    }

    @Test
    void interpretedOnlyJvmStillNamesMethodsOnJdk25() throws Exception {
        try (WorkloadJvm jvm = new WorkloadJvm(WorkloadJvm.jdk25(), "-Xint");
                AsyncProfilerSession session = start(jvm)) {
            jvm.run("cpu 25");
            List<ResolvedSample> cpu = stopAndCollect(session, ProfileType.CPU);
            for (String m : List.of(".heavy", ".light")) {
                assertTrue(
                        cpu.stream()
                                .flatMap(s -> s.stack().stream())
                                .anyMatch(f -> f.name().equals(W + m) && f.kind() == FrameKind.INTERPRETED),
                        m);
            }
        }
    }

    @Test
    void allocatedBytesShowUnderTheAllocatingMethodOnJdk25() throws Exception {
        try (WorkloadJvm jvm = new WorkloadJvm(WorkloadJvm.jdk25());
                AsyncProfilerSession session = start(jvm)) {
            long bytes = jvm.run("alloc 6000");
            List<ResolvedSample> alloc = stopAndCollect(session, ProfileType.ALLOC);
            assertEquals(bytes, total(alloc, 1, onStack(W + ".allocate")), bytes * 0.2, "bytes under allocate()");
        }
    }

    @Test
    void contendedMonitorShowsItsWaitingMethod() throws Exception {
        try (WorkloadJvm jvm = WorkloadJvm.jdk17();
                AsyncProfilerSession session = start(jvm)) {
            jvm.run("lock 1500");
            List<ResolvedSample> lock = stopAndCollect(session, ProfileType.LOCK);
            long contentions = total(lock, 0, onStack(W + ".contend"));
            assertTrue(contentions > 0, "no contentions under contend()");
            assertTrue(total(lock, 1, onStack(W + ".contend")) / contentions > 1_000_000, "mean wait under 1 ms");
        }
    }

    @Test
    void rotatesFilesCollectsFinishedOnesAndStopsOnDetach() throws Exception {
        try (WorkloadJvm jvm = WorkloadJvm.jdk17();
                AsyncProfilerSession session = start(jvm)) {
            Path dir = session.directory();
            jvm.run("cpu 700");
            List<Path> before = recordings(dir);
            AsyncProfilerSession.Collected running = session.collect();
            assertTrue(running.recordings().size() >= 1, "no finished recording after a few rotations");
            // Only the file being written stays (a rotation since may have finished it and begun another).
            long newest = before.stream()
                    .mapToLong(AsyncProfilerSessionTest::sequence)
                    .max()
                    .orElseThrow();
            List<Path> after = recordings(dir);
            assertFalse(after.isEmpty(), "the file being written was taken");
            assertTrue(after.stream().allMatch(p -> sequence(p) >= newest), "collected files left: " + after);

            session.stop();
            int left = recordings(dir).size();
            Thread.sleep(2500);
            assertEquals(left, recordings(dir).size(), "profiler still rotating after stop");
            session.close();
            assertFalse(Files.exists(dir), "session folder left behind");
        }
    }

    @Test
    void jvmKilledMidRecordingAndBadFilesAreSkippedAndCounted() throws Exception {
        try (WorkloadJvm jvm = WorkloadJvm.jdk17();
                AsyncProfilerSession session = start(jvm)) {
            Path dir = session.directory();
            jvm.run("cpu 300");
            Files.writeString(dir.resolve("0.jfr"), "not a recording");
            jvm.kill();
            AsyncProfilerSession.Collected c = session.collect();
            assertTrue(c.skipped() >= 1, "the unreadable file was not counted");
            assertEquals(c.skipped(), session.skipped());
            assertTrue(recordings(dir).isEmpty(), "files left after collecting a dead JVM");
            session.close();
            assertFalse(Files.exists(dir));
        }
    }

    @Test
    void jvmExitingNormallyLeavesAFinishedLastRecording() throws Exception {
        try (WorkloadJvm jvm = WorkloadJvm.jdk17();
                AsyncProfilerSession session = start(jvm)) {
            jvm.run("cpu 200");
            jvm.exit();
            AsyncProfilerSession.Collected c = session.collect();
            assertEquals(0, c.skipped() + c.damaged());
            assertNotNull(merged(c, ProfileType.CPU).stream()
                    .filter(onStack(W + ".heavy"))
                    .findFirst()
                    .orElse(null));
        }
    }

    static AsyncProfilerSession start(WorkloadJvm jvm) throws Exception {
        return AsyncProfilerSession.start(JvmTarget.of(jvm.pid()), library, OPTIONS);
    }

    static List<ResolvedSample> stopAndCollect(AsyncProfilerSession session, ProfileType type) {
        session.stop();
        AsyncProfilerSession.Collected c = session.collect();
        assertEquals(0, c.skipped() + c.damaged(), "skipped or damaged recordings");
        return merged(c, type);
    }

    static List<ResolvedSample> merged(AsyncProfilerSession.Collected c, ProfileType type) {
        List<ResolvedSample> out = new ArrayList<>();
        c.recordings().forEach(r -> {
            if (r.profiles().containsKey(type))
                out.addAll(ProfileReader.samples(r.profiles().get(type)));
        });
        return out;
    }

    static List<Path> recordings(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jfr")).toList();
        }
    }

    static long sequence(Path recording) {
        return Long.parseLong(recording.getFileName().toString().replace(".jfr", ""));
    }

    static Predicate<ResolvedSample> onStack(String name) {
        return s -> s.stack().stream().anyMatch(f -> f.name().equals(name));
    }

    static long total(List<ResolvedSample> samples, int value, Predicate<ResolvedSample> filter) {
        return samples.stream().filter(filter).mapToLong(s -> s.values()[value]).sum();
    }
}
