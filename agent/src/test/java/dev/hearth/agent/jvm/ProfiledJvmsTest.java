package dev.hearth.agent.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.agent.HostLock;
import dev.hearth.agent.RunDir;
import dev.hearth.agent.proc.ProcessStatus;
import dev.hearth.testsupport.Privileges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may stop a profiler found running in a JVM, on one real JVM: nobody when no agent is listed
 * as its starter (the application's own), nobody but that agent while it lives, the next agent
 * once it is gone.
 */
class ProfiledJvmsTest {
    static final Path PROC = Path.of("/proc");

    @Test
    void aRunningProfilerIsTakenOverOnlyWhenTheAgentListedForItIsGone(@TempDir Path dir) throws Exception {
        Privileges.assumeRootOrCi("the run dir's folders must be root's");
        Path run = RunDir.prepare(dir.resolve("run"));
        ProfiledJvms list = new ProfiledJvms(run, HostLock.Holder.self());
        AsyncProfilerLibrary library = AsyncProfilerLibrary.fromClasspath();
        Process otherAgent = new ProcessBuilder("sleep", "60").start();
        try (WorkloadJvm jvm = WorkloadJvm.jdk17();
                AsyncProfilerSession running = AsyncProfilerSession.start(
                        JvmTarget.of(jvm.pid()), library, AsyncProfilerSessionTest.OPTIONS)) {
            // no agent listed: the application's own profiler, say
            IOException notOurs = assertThrows(IOException.class, () -> start(jvm, library, list));
            assertTrue(notOurs.getMessage().contains("left alone"), notOurs.getMessage());
            assertTrue(ProfiledJvms.read(run).isEmpty(), "the failed claim left an entry");
            assertStillRecords(jvm, running, "the profiler found running was stopped");

            // listed as started by an agent that still runs: not even attached to
            ProcessStatus jvmStatus = ProcessStatus.read(PROC, jvm.pid());
            HostLock.Holder other = new HostLock.Holder(
                    (int) otherAgent.pid(),
                    ProcessStatus.read(PROC, (int) otherAgent.pid()).startTicks());
            Files.writeString(run.resolve(RunDir.JVMS).resolve(jvm.pid() + "-" + jvmStatus.startTicks()), other.line());
            IOException live = assertThrows(IOException.class, () -> start(jvm, library, list));
            assertTrue(
                    live.getMessage().contains("profiled by the running agent (pid " + otherAgent.pid() + ")"),
                    live.getMessage());
            assertStillRecords(jvm, running, "the live agent's profiler was stopped");
            assertEquals(
                    List.of(new ProfiledJvms.Entry(jvm.pid(), jvmStatus.startTicks(), other)),
                    ProfiledJvms.profiledByLiveAgents(run));

            // that agent is gone: its profiler is stopped and ours takes the JVM, listed as ours until it stops
            otherAgent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            assertTrue(ProfiledJvms.profiledByLiveAgents(run).isEmpty());
            try (AsyncProfilerSession ours = start(jvm, library, list)) {
                assertEquals(
                        HostLock.Holder.self(), ProfiledJvms.read(run).get(0).agent());
                jvm.run("cpu 300");
                ours.stop();
                assertFalse(ours.collect().recordings().isEmpty(), "the new session records");
            }
            assertTrue(ProfiledJvms.read(run).isEmpty(), "the entry outlived the session");
        } finally {
            otherAgent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** New recordings keep being finished (the loop rotates every second). */
    private static void assertStillRecords(WorkloadJvm jvm, AsyncProfilerSession session, String why) throws Exception {
        session.collect();
        jvm.run("cpu 200");
        Thread.sleep(2500);
        assertFalse(session.collect().recordings().isEmpty(), why);
    }

    private static AsyncProfilerSession start(WorkloadJvm jvm, AsyncProfilerLibrary library, ProfiledJvms list)
            throws IOException {
        return AsyncProfilerSession.start(JvmTarget.of(jvm.pid()), library, AsyncProfilerSessionTest.OPTIONS, list);
    }
}
