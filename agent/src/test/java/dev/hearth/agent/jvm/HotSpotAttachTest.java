package dev.hearth.agent.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.agent.proc.ProcessStatus;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.ResolvedSample;
import dev.hearth.symbolizer.Symbolizer;
import dev.hearth.symbolizer.SymbolizerOptions;
import dev.hearth.testsupport.Privileges;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent's own attach client against real JVMs: JDK 17 and Temurin 25 (whose replies to a load
 * differ), one with a private /tmp (systemd's PrivateTmp: its own mount namespace, the host's pid
 * namespace), which the JDK 17 Attach API cannot reach, one in a container of its own (pid 1 there),
 * and sockets planted by another user, which it must never talk to.
 */
class HotSpotAttachTest {
    static final List<String> NOBODY = List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups");
    /** A private /tmp as PrivateTmp=yes gives: a mount namespace of its own with a fresh tmpfs on /tmp; exec keeps the pid. */
    static final List<String> PRIVATE_TMP = List.of(
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            "mount -t tmpfs tmpfs /tmp && exec \"$0\" \"$@\"");

    static final String HEAVY = JvmWorkload.class.getName() + ".heavy";

    @BeforeEach
    void needsRoot() {
        Privileges.assumeRootOrCi("attaches to JVMs of other users and namespaces");
    }

    @Test
    void jvmWithAPrivateTmpGetsItsPerfMapWrittenAndReadAndAsyncProfilerLoaded() throws Exception {
        try (WorkloadJvm jvm = new WorkloadJvm(PRIVATE_TMP, java17(), "-XX:+PreserveFramePointer");
                PerfMapRequests perfMaps = new PerfMapRequests()) {
            int pid = jvm.pid();
            assertNotEquals(
                    Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")),
                    Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/mnt")),
                    "the JVM has a mount namespace of its own");
            assertEquals(pid, ProcessStatus.read(Path.of("/proc"), pid).nsPid(), "and shares the host's pid namespace");

            jvm.run("cpu 300");
            long heavy = compiledAddress(pid, "JvmWorkload.heavy");
            try (Symbolizer s = new Symbolizer(new SymbolizerOptions(true, 16, Duration.ZERO), perfMaps)) {
                assertEquals(
                        HEAVY,
                        s.user(pid, new long[] {heavy}).get(0).name(),
                        "JIT frame named from the JVM's own perf map");
            }
            Path map = Path.of("/proc/" + pid + "/root/tmp/perf-" + pid + ".map");
            assertTrue(Files.size(map) > 0, "the map is in the JVM's private /tmp");

            try (AsyncProfilerSession session = AsyncProfilerSession.start(
                    JvmTarget.of(pid), AsyncProfilerLibrary.fromClasspath(), AsyncProfilerSessionTest.OPTIONS)) {
                jvm.run("cpu 400");
                List<ResolvedSample> cpu = AsyncProfilerSessionTest.stopAndCollect(session, ProfileType.CPU);
                assertTrue(
                        AsyncProfilerSessionTest.total(cpu, 0, AsyncProfilerSessionTest.onStack(HEAVY)) > 0,
                        "async-profiler ran inside the JVM");
            }

            perfMaps.close();
            assertFalse(Files.exists(map), "the map the agent caused is removed from the private /tmp");
        }
    }

    @Test
    void jvmInItsOwnPidAndMountNamespaceIsAttachedByItsNsPid() throws Exception {
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
        try (WorkloadJvm jvm = new WorkloadJvm(container, java17(), "-XX:+PreserveFramePointer");
                PerfMapRequests perfMaps = new PerfMapRequests()) {
            int pid = jvm.pid();
            assertEquals(1, ProcessStatus.read(Path.of("/proc"), pid).nsPid(), "the JVM is pid 1 in its namespace");
            jvm.run("cpu 300");
            long heavy = compiledAddress(pid, "JvmWorkload.heavy");
            try (Symbolizer s = new Symbolizer(new SymbolizerOptions(true, 16, Duration.ZERO), perfMaps)) {
                assertEquals(HEAVY, s.user(pid, new long[] {heavy}).get(0).name());
            }
            Path map = Path.of("/proc/" + pid + "/root/tmp/perf-1.map");
            assertTrue(Files.size(map) > 0);
            perfMaps.close();
            assertFalse(Files.exists(map), "the map the agent caused is removed from the container's /tmp");
        }
    }

    /**
     * Pids wrap (32,768 by default), and a JVM killed with SIGKILL leaves its socket: a JVM may find a
     * dead socket under its own name. Root's leftover is removed (only root can have put it in a
     * sticky /tmp); one of the JVM's own user is replaced by HotSpot itself. Either way it attaches.
     */
    @Test
    void aDeadSocketLeftUnderTheJvmsPidIsReplaced() throws Exception {
        List<String> nobodyPrivateTmp = new ArrayList<>(PRIVATE_TMP);
        nobodyPrivateTmp.addAll(NOBODY);
        for (int owner : new int[] {0, 65534}) {
            try (WorkloadJvm jvm = new WorkloadJvm(nobodyPrivateTmp, java17())) {
                Path socket = Path.of("/proc/" + jvm.pid() + "/root/tmp/.java_pid" + jvm.pid());
                try (java.nio.channels.ServerSocketChannel dead =
                        java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
                    dead.bind(java.net.UnixDomainSocketAddress.of(
                            socket)); // closing leaves the file, as a killed JVM does
                }
                Files.setAttribute(socket, "unix:uid", owner);
                Files.setPosixFilePermissions(
                        socket, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                assertTrue(
                        HotSpotAttach.jcmd(jvm.pid(), "VM.version", 10_000).contains("JDK 17"),
                        "attached past a dead socket of uid " + owner);
                assertEquals(
                        65534,
                        Files.getAttribute(socket, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS),
                        "the JVM's own socket now");
            }
        }
    }

    @Test
    void attachSocketsPlantedByAnotherUserAreNeverSpokenTo() throws Exception {
        try (WorkloadJvm victim = WorkloadJvm.jdk17();
                WorkloadJvm other = WorkloadJvm.jdk17()) {
            Path socket = Path.of("/tmp/.java_pid" + victim.pid());
            assertFalse(Files.exists(socket), "the victim's attach listener has not started yet");

            // a listener of nobody's own where the victim's socket would be
            Process fake = new ProcessBuilder(command(
                            NOBODY,
                            java17(),
                            "-cp",
                            testClasses(),
                            FakeAttachListener.class.getName(),
                            socket.toString()))
                    .redirectErrorStream(true)
                    .start();
            BufferedReader fakeOut =
                    new BufferedReader(new InputStreamReader(fake.getInputStream(), StandardCharsets.UTF_8));
            try {
                assertEquals("ready", fakeOut.readLine());
                IOException e =
                        assertThrows(IOException.class, () -> HotSpotAttach.jcmd(victim.pid(), "VM.version", 3000));
                assertTrue(e.getMessage().contains("uid 65534"), e.getMessage());
                // the test connects itself, so the listener's next line tells whether anyone came before
                try (var probe = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
                    assertEquals("connected", fakeOut.readLine());
                }
                Thread.sleep(200);
                assertFalse(fakeOut.ready(), "the agent connected to the planted socket");
            } finally {
                fake.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                Files.deleteIfExists(socket);
            }

            // a link to another JVM's real socket: following it would load into the wrong JVM
            HotSpotAttach.jcmd(other.pid(), "VM.version", 5000);
            Path otherSocket = Path.of("/tmp/.java_pid" + other.pid());
            run(command(NOBODY, "ln", "-s", otherSocket.toString(), socket.toString()));
            try {
                IOException e =
                        assertThrows(IOException.class, () -> HotSpotAttach.jcmd(victim.pid(), "VM.version", 3000));
                assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
            } finally {
                Files.deleteIfExists(socket);
            }

            // with the plants gone the victim is attached as usual, and still runs
            assertTrue(HotSpotAttach.jcmd(victim.pid(), "VM.version", 5000).contains("JDK"));
            assertEquals(0, victim.run("cpu 1"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"17", "25"})
    void commandsLoadsAndRefusalsReadTheSameOnJdk17AndJdk25(String version) throws Exception {
        try (WorkloadJvm jvm = version.equals("17") ? WorkloadJvm.jdk17() : new WorkloadJvm(WorkloadJvm.jdk25())) {
            assertTrue(HotSpotAttach.jcmd(jvm.pid(), "VM.version", 5000).contains("JDK " + version), "jcmd's output");
            IOException unknown =
                    assertThrows(IOException.class, () -> HotSpotAttach.jcmd(jvm.pid(), "No.such.command", 5000));
            assertTrue(unknown.getMessage().contains("refused 'No.such.command'"), unknown.getMessage());

            // a library that is not there: the JVM says so (JDK 17 in the status, 21+ in the body)
            IOException missing = assertThrows(
                    IOException.class, () -> HotSpotAttach.load(jvm.pid(), "/nonexistent/libnothing.so", "", 5000));
            assertFalse(missing instanceof HotSpotAttach.AgentRefusedException, missing.getMessage());
            assertTrue(missing.getMessage().contains("libnothing.so"), missing.getMessage());

            // a library whose Agent_OnAttach refuses: async-profiler asked to stop while it is not running
            try (AsyncProfilerLibrary.Placement placement =
                    AsyncProfilerLibrary.fromClasspath().placeFor(JvmTarget.of(jvm.pid()))) {
                HotSpotAttach.AgentRefusedException refused = assertThrows(
                        HotSpotAttach.AgentRefusedException.class,
                        () -> HotSpotAttach.load(jvm.pid(), placement.library(), "stop,log=/dev/null", 5000));
                assertNotEquals(0, refused.returnCode());
                HotSpotAttach.load(jvm.pid(), placement.library(), "status,log=/dev/null", 5000);
            }
            assertEquals(0, jvm.run("cpu 1"), "the JVM runs on");
        }
    }

    /** An address inside the newest C2 (tier 4) code of {@code method}, from Compiler.codelist through our own attach. */
    static long compiledAddress(int pid, String method) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            long found = 0;
            for (String line :
                    HotSpotAttach.jcmd(pid, "Compiler.codelist", 5000).split("\n")) {
                // 7 4 0 pkg.Class.method()V [0xblob, 0xcode - 0xend]
                String[] f = line.trim().split("\\s+");
                if (f.length < 8 || !f[1].equals("4") || !f[2].equals("0") || !f[3].contains(method + "(")) continue;
                long code = Long.parseUnsignedLong(f[5].replace("0x", "").replace(",", ""), 16);
                long end = Long.parseUnsignedLong(f[7].replace("0x", "").replace("]", ""), 16);
                found = code + Math.min(16, (end - code) / 2);
            }
            if (found != 0) return found;
            Thread.sleep(200);
        }
        throw new AssertionError(method + " was not compiled by C2 in time");
    }

    static String java17() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String testClasses() throws Exception {
        return Paths.get(JvmWorkload.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
    }

    static List<String> command(List<String> wrapper, String... cmd) {
        List<String> out = new ArrayList<>(wrapper);
        out.addAll(List.of(cmd));
        return out;
    }

    static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, cmd + ": " + out);
    }
}
