package dev.hearth.agent.jvm;

import static dev.hearth.agent.jvm.HotSpotAttachTest.NOBODY;
import static dev.hearth.agent.jvm.HotSpotAttachTest.command;
import static dev.hearth.agent.jvm.HotSpotAttachTest.java17;
import static dev.hearth.agent.jvm.HotSpotAttachTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.agent.proc.ProcessStatus;
import dev.hearth.testsupport.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Perf maps the agent had JVMs write are removed when their JVM exits or the agent stops, and only
 * those: a map someone else caused stays, and so does whatever a JVM's user put in place of the map.
 */
class PerfMapRequestsTest {
    static final Path PROC = Path.of("/proc");

    @Test
    void onlyTheMapsTheAgentCausedAreRemovedAndNeverThroughALink(@TempDir Path tmp) throws Exception {
        Privileges.assumeRootOrCi("runs a JVM and its user's attack as nobody");
        Path victim = tmp.resolve("victim");
        Files.writeString(victim, "root's file");
        PerfMapRequests perfMaps = new PerfMapRequests();
        try (WorkloadJvm asked = WorkloadJvm.jdk17();
                WorkloadJvm askedBefore = WorkloadJvm.jdk17();
                WorkloadJvm nobodys = new WorkloadJvm(NOBODY, java17());
                WorkloadJvm running = WorkloadJvm.jdk17()) {
            // someone else (the JDK's own jcmd) had this JVM write its map before the agent asked
            run(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Integer.toString(askedBefore.pid()),
                    "Compiler.perfmap"));
            for (WorkloadJvm jvm : List.of(asked, askedBefore, nobodys, running)) {
                assertTrue(perfMaps.canAsk(jvm.pid()));
                perfMaps.request(jvm.pid());
                assertTrue(Files.size(map(jvm)) > 0, "map of " + jvm.pid());
            }

            exit(asked, perfMaps);
            assertFalse(Files.exists(map(asked)), "the map the agent caused is removed when its JVM exits");

            exit(askedBefore, perfMaps);
            assertTrue(Files.exists(map(askedBefore)), "a map that was there before the agent asked stays");

            // the JVM's user swaps the map for a link to a file of root's
            run(command(
                    NOBODY,
                    "sh",
                    "-c",
                    "rm -f \"$0\" && ln -s \"$1\" \"$0\"",
                    map(nobodys).toString(),
                    victim.toString()));
            exit(nobodys, perfMaps);
            assertTrue(
                    Files.isSymbolicLink(map(nobodys)), "what the JVM's user put there is not the agent's to remove");
            assertEquals("root's file", Files.readString(victim));

            perfMaps.close();
            assertFalse(Files.exists(map(running)), "the agent's stop removes the maps of JVMs still running");
            assertEquals(2, perfMaps.removed());
        } finally {
            perfMaps.close();
        }
    }

    private static void exit(WorkloadJvm jvm, PerfMapRequests perfMaps) throws Exception {
        long started = ProcessStatus.read(PROC, jvm.pid()).startTicks();
        jvm.kill();
        perfMaps.exited(jvm.pid(), started);
    }

    private static Path map(WorkloadJvm jvm) {
        return Path.of("/tmp/perf-" + jvm.pid() + ".map");
    }
}
