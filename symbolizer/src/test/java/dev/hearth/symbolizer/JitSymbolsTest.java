package dev.hearth.symbolizer;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.StackFrame;
import dev.hearth.testsupport.Jdks;
import dev.hearth.testsupport.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** JIT frames of real JVMs (JDK 17, Temurin 25) named through Compiler.perfmap, including code compiled later. */
class JitSymbolsTest {
    static final String SHOP = "dev.hearth.symbolizer.jvmapp.Shop";

    static Stream<Path> jdks() {
        return Stream.concat(Stream.of(Path.of(System.getProperty("java.home"))), Jdks.find(25).stream());
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void jitFramesAreNamedAndAMethodCompiledAfterTheFirstMapIsToo(Path jdk) throws Exception {
        try (JvmTarget jvm = JvmTarget.start(jdk);
                Symbolizer s = new Symbolizer(new SymbolizerOptions(true, 64, Duration.ZERO), new JcmdPerfMaps(jdk))) {
            long checkout = jvm.compiledAddress("Shop.checkout", 60_000);
            StackFrame f = s.user(jvm.pid, new long[] {checkout}).get(0);
            assertEquals(StackFrame.ofAddress(SHOP + ".checkout", FrameKind.JIT, "[jit]", null, checkout), f);
            assertEquals(1, s.stats().perfMapRequests());

            jvm.send("refund");
            long refund = jvm.compiledAddress("Shop.refund", 60_000);
            // refund did not exist when the map was read: the miss makes the symbolizer ask again
            assertEquals(
                    SHOP + ".refund",
                    s.user(jvm.pid, new long[] {refund}).get(0).name());
            assertEquals(2, s.stats().perfMapRequests());
            assertEquals(0, s.stats().jitMisses());

            long interpreter = entryStart(jvm.pid, "Interpreter") + 8;
            assertEquals(
                    StackFrame.ofAddress("[interpreter]", FrameKind.INTERPRETED, "[jit]", null, interpreter),
                    s.user(jvm.pid, new long[] {interpreter}).get(0));
            StackFrame stub = s.user(jvm.pid, new long[] {entryStart(jvm.pid, "I2C/C2I adapters") + 4})
                    .get(0);
            assertEquals(FrameKind.STUB, stub.kind());
            assertEquals("I2C/C2I adapters", stub.name());
        }
    }

    @Test
    void askingAgainIsRateLimited() throws Exception {
        try (JvmTarget jvm = JvmTarget.start(Path.of(System.getProperty("java.home")));
                Symbolizer s = new Symbolizer(
                        new SymbolizerOptions(true, 64, Duration.ofHours(1)), new JcmdPerfMaps(jvm.javaHome))) {
            assertEquals(
                    SHOP + ".checkout",
                    s.user(jvm.pid, new long[] {jvm.compiledAddress("Shop.checkout", 60_000)})
                            .get(0)
                            .name());
            jvm.send("refund");
            long refund = jvm.compiledAddress("Shop.refund", 60_000);
            assertEquals(
                    "[jit]",
                    s.user(jvm.pid, new long[] {refund}).get(0).name(),
                    "within the interval the old map stands");
            assertEquals(1, s.stats().perfMapRequests());
            assertEquals(1, s.stats().jitMisses());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void withoutAttachAnExistingMapIsUsedAndOtherwiseFramesStayJit(Path jdk) throws Exception {
        try (JvmTarget jvm = JvmTarget.start(jdk);
                Symbolizer noAsk = new Symbolizer(new SymbolizerOptions(false, 64, Duration.ZERO))) {
            long checkout = jvm.compiledAddress("Shop.checkout", 60_000);
            Files.deleteIfExists(Path.of("/tmp/perf-" + jvm.pid + ".map"));
            StackFrame unnamed = noAsk.user(jvm.pid, new long[] {checkout}).get(0);
            assertEquals(
                    StackFrame.ofAddress("[jit]", FrameKind.JIT, "[jit]", null, checkout), unnamed, "never dropped");
            assertEquals(1, noAsk.stats().jitMisses());
            assertEquals(1, noAsk.stats().unknown());
            assertEquals(0, noAsk.stats().perfMapRequests());

            // a map left by an earlier process with this pid is older than the process: not used
            Path stale = Path.of("/tmp/perf-" + jvm.pid + ".map");
            Files.writeString(stale, Long.toHexString(checkout - 16) + " 100 Lold/Process;::reusedPid\n");
            Files.setLastModifiedTime(stale, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
            assertEquals(
                    "[jit]", noAsk.user(jvm.pid, new long[] {checkout}).get(0).name());

            // someone else (here jcmd) leaves a map behind: it is read on the next miss
            Tools.run(List.of(jdk.resolve("bin/jcmd").toString(), Integer.toString(jvm.pid), "Compiler.perfmap"));
            assertEquals(
                    SHOP + ".checkout",
                    noAsk.user(jvm.pid, new long[] {checkout}).get(0).name());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void attachDisabledFallsBackToJitFrames(Path jdk) throws Exception {
        try (JvmTarget jvm = JvmTarget.start(jdk, "-XX:+DisableAttachMechanism");
                Symbolizer s = new Symbolizer(new SymbolizerOptions(true, 64, Duration.ZERO), new JcmdPerfMaps(jdk))) {
            long jit = anonymousExecutableAddress(jvm.pid);
            Files.deleteIfExists(Path.of("/tmp/perf-" + jvm.pid + ".map"));
            long t0 = System.nanoTime();
            StackFrame f = s.user(jvm.pid, new long[] {jit}).get(0);
            assertEquals("[jit]", f.name());
            assertEquals(0, s.stats().perfMapRequests(), "a JVM that disabled attach is not signalled");
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "no waiting for an attach that cannot happen");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void jvmInItsOwnPidAndMountNamespaceIsNamedThroughItsRootAndNsPid(Path jdk) throws Exception {
        Privileges.assumeRootOrCi("unshare of pid and mount namespaces needs root");
        // a container in miniature: own pid namespace (the JVM is pid 1 there) and its own /tmp
        List<String> container = List.of(
                "unshare",
                "--pid",
                "--fork",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                "mount -t tmpfs tmpfs /tmp && exec \"$0\" \"$@\"");
        try (JvmTarget jvm = JvmTarget.start(jdk, container);
                Symbolizer s = new Symbolizer(new SymbolizerOptions(true, 64, Duration.ZERO), new JcmdPerfMaps(jdk))) {
            assertTrue(
                    Files.readString(Path.of("/proc/" + jvm.pid + "/status"))
                            .matches("(?s).*NSpid:\\s+" + jvm.pid + "\\s+1\\n.*"),
                    "the JVM is pid 1 in its namespace");
            long checkout = jvm.compiledAddress("Shop.checkout", 60_000);
            assertEquals(
                    SHOP + ".checkout",
                    s.user(jvm.pid, new long[] {checkout}).get(0).name());
            // a host file of that name may be left by an earlier process with the same pid: this JVM must not have
            // written it
            Path hostMap = Path.of("/tmp/perf-" + jvm.pid + ".map");
            Instant started = ProcessHandle.of(jvm.pid)
                    .flatMap(h -> h.info().startInstant())
                    .orElseThrow();
            assertTrue(
                    !Files.exists(hostMap)
                            || Files.getLastModifiedTime(hostMap).toInstant().isBefore(started),
                    "the map is not in the host's /tmp");
            assertTrue(Files.exists(Path.of("/proc/" + jvm.pid + "/root/tmp/perf-1.map")));
        }
    }

    private static long entryStart(int pid, String name) throws Exception {
        for (String line : Files.readAllLines(Path.of("/tmp/perf-" + pid + ".map"))) {
            String[] f = line.split(" ", 3);
            if (f.length == 3 && f[2].equals(name)) return Long.parseUnsignedLong(f[0].replace("0x", ""), 16);
        }
        throw new AssertionError(name + " not in the perf map");
    }

    /** Start of the first anonymous executable mapping: the JVM's code cache. */
    private static long anonymousExecutableAddress(int pid) throws Exception {
        MapsParser maps = MapsParser.parse(Files.readString(Path.of("/proc/" + pid + "/maps")));
        return maps.all().stream()
                        .filter(m -> m.isAnonymous() && m.executable())
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no code cache mapping"))
                        .start()
                + 64;
    }
}
