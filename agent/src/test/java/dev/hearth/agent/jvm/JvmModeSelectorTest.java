package dev.hearth.agent.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmModeSelectorTest {
    static final JvmModeSelector.Starter REAL = pid -> AsyncProfilerSession.start(
            JvmTarget.of(pid), AsyncProfilerLibrary.fromClasspath(), AsyncProfilerOptions.DEFAULTS);

    @Test
    void autoAttachesAsyncProfilerToAnOrdinaryJvm() throws Exception {
        try (WorkloadJvm jvm = WorkloadJvm.jdk17()) {
            JvmChoice c = new JvmModeSelector(JvmMode.AUTO, REAL).choose(jvm.pid());
            try {
                assertEquals(JvmChoice.Profiler.ASYNC_PROFILER, c.profiler(), c.reason());
                assertEquals("async-profiler", c.label());
                assertNotNull(c.session());
            } finally {
                if (c.session() != null) c.session().close();
            }
        }
    }

    @Test
    void autoFallsBackToEbpfWhenAttachIsDisabled() throws Exception {
        try (WorkloadJvm jvm = WorkloadJvm.jdk17("-XX:+DisableAttachMechanism")) {
            JvmChoice c = new JvmModeSelector(JvmMode.AUTO, REAL).choose(jvm.pid());
            assertEquals(JvmChoice.Profiler.EBPF, c.profiler());
            assertEquals("ebpf", c.label());
            assertTrue(c.reason().contains("DisableAttachMechanism"), c.reason());
            assertNull(c.session());
            assertEquals(0, jvm.run("cpu 1"), "the JVM keeps running");
        }
    }

    @Test
    void autoFallsBackToEbpfForAJvmThatIgnoresSigquit() throws Exception {
        try (WorkloadJvm jvm = WorkloadJvm.jdk17("-Xrs")) {
            JvmChoice c = new JvmModeSelector(JvmMode.AUTO, REAL).choose(jvm.pid());
            assertEquals(JvmChoice.Profiler.EBPF, c.profiler());
            assertTrue(c.reason().contains("SIGQUIT"), c.reason());
            assertEquals(0, jvm.run("cpu 1"), "the JVM survived");
        }
    }

    @Test
    void processWithoutHotSpotIsNotAttached() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            JvmChoice c = new JvmModeSelector(JvmMode.AUTO, pid -> {
                        throw new AssertionError("tried to attach to a process without a JVM");
                    })
                    .choose((int) sleep.pid());
            assertEquals(JvmChoice.Profiler.EBPF, c.profiler());
            assertTrue(c.reason().contains("unsupported JVM"), c.reason());
        } finally {
            sleep.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void failedAttachFallsBackInAutoAndLeavesTheJvmUnprofiledInAsyncProfilerMode() throws Exception {
        JvmModeSelector.Starter refusing = pid -> {
            throw new IOException("async-profiler did not start in JVM " + pid);
        };
        try (WorkloadJvm jvm = WorkloadJvm.jdk17()) {
            JvmChoice auto = new JvmModeSelector(JvmMode.AUTO, refusing).choose(jvm.pid());
            assertEquals(JvmChoice.Profiler.EBPF, auto.profiler());
            assertTrue(auto.reason().startsWith("attach failed: async-profiler did not start"), auto.reason());
            JvmChoice forced = new JvmModeSelector(JvmMode.ASYNC_PROFILER, refusing).choose(jvm.pid());
            assertEquals(JvmChoice.Profiler.NONE, forced.profiler());
        }
    }

    @Test
    void ebpfModeNeverAttaches() {
        JvmChoice c = new JvmModeSelector(JvmMode.EBPF, pid -> {
                    throw new AssertionError("attached in ebpf mode");
                })
                .choose(1);
        assertEquals(JvmChoice.Profiler.EBPF, c.profiler());
    }

    @Test
    void lastDisableAttachOptionWinsAcrossEnvironmentAndCommandLine(@TempDir Path dir) throws Exception {
        assertEquals(
                Optional.empty(),
                JvmModeSelector.obstacle(fakeJvm(
                        dir.resolve("a"),
                        "JAVA_TOOL_OPTIONS=-XX:+DisableAttachMechanism",
                        "java\0-XX:-DisableAttachMechanism\0Main")));
        assertTrue(JvmModeSelector.obstacle(
                        fakeJvm(dir.resolve("b"), "JAVA_TOOL_OPTIONS=-Xmx1g -XX:+DisableAttachMechanism", "java\0Main"))
                .isPresent());
        assertTrue(JvmModeSelector.obstacle(fakeJvm(
                        dir.resolve("c"),
                        "_JAVA_OPTIONS=-XX:+DisableAttachMechanism",
                        "java\0-XX:-DisableAttachMechanism\0Main"))
                .isPresent());
    }

    @Test
    void anAgentThatIsNotRootAttachesOnlyToJvmsOfItsOwnUser(@TempDir Path dir) throws Exception {
        Path jvm = fakeJvm(dir, "", "java\0Main");
        Files.writeString(
                jvm.resolve("status"), "Name:\tjava\nUid:\t1001\t1001\t1001\t1001\nSigCgt:\t0000000181005ccf\n");
        assertEquals(Optional.empty(), JvmModeSelector.obstacle(jvm, 0), "root attaches to anyone's JVM");
        assertEquals(Optional.empty(), JvmModeSelector.obstacle(jvm, 1001), "the JVM's own user attaches");
        String why = JvmModeSelector.obstacle(jvm, 65534).orElseThrow();
        assertTrue(why.contains("uid 1001") && why.contains("uid 65534"), why);
    }

    @Test
    void modeNamesParse() {
        assertEquals(JvmMode.ASYNC_PROFILER, JvmMode.parse("async-profiler"));
        assertEquals(JvmMode.AUTO, JvmMode.parse("auto"));
        assertThrows(IllegalArgumentException.class, () -> JvmMode.parse("jfr"));
    }

    private static Path fakeJvm(Path dir, String environ, String cmdline) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve("maps"), "7f0000-7f1000 r-xp 0 08:01 1 /usr/lib/jvm/java-17/lib/server/libjvm.so\n");
        Files.writeString(dir.resolve("environ"), "PATH=/usr/bin\0" + environ + "\0");
        Files.writeString(dir.resolve("cmdline"), cmdline + "\0");
        Files.writeString(dir.resolve("status"), "Name:\tjava\nSigCgt:\t0000000181005ccf\n");
        return dir;
    }
}
