package dev.hearth.agent.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.testsupport.Privileges;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Services of real processes: threads that renamed themselves (the main one included) do not name
 * the service, a program run from a memfd gets a stable name, and processes that live within one
 * period share one bucket while those a scan saw keep their executable's name.
 */
class ServiceNamingProcessTest {
    @TempDir
    Path tmp;

    @Test
    void renamedThreadsNeverNameTheService() throws Exception {
        Path exe = compile("renamed");
        Process p = ready(new ProcessBuilder(exe.toString()));
        try {
            ProcessInfo info = ProcessScanner.system().lookup((int) p.pid());
            assertNotNull(info);
            assertEquals("C1 CompilerThre", info.comm(), "the main thread renamed itself");
            assertEquals("renamed", info.service(), "named by its executable");
        } finally {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aProgramRunFromAMemfdIsNamedByItsArgv0() throws Exception {
        Process p = ready(new ProcessBuilder(compile("renamed").toString(), "memfd"));
        try {
            String link =
                    Files.readSymbolicLink(Path.of("/proc/" + p.pid() + "/exe")).toString();
            assertTrue(link.startsWith("/memfd:sealed"), "runs from the memfd: " + link);
            assertEquals(
                    "memfd-tool", ProcessScanner.system().lookup((int) p.pid()).service());
        } finally {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void processesWithinOnePeriodShareTheShortLivedService() throws Exception {
        ProcessScanner scanner = ProcessScanner.system();
        Process longLived = new ProcessBuilder("sleep", "60").start();
        try {
            scanner.scan(); // the period starts: the long-lived one is followed
            PeriodProcesses period = new PeriodProcesses(scanner);
            Process quick = new ProcessBuilder("sleep", "0.3").start();
            ProcessBuilder namedBuilder = new ProcessBuilder("sleep", "0.3");
            namedBuilder.environment().put(ServiceNamer.SERVICE_ENV, "nightly-job");
            Process named = namedBuilder.start();
            Process stays = new ProcessBuilder("sleep", "60").start();
            try {
                // sampled while running
                assertEquals("sleep", period.get((int) quick.pid(), "sleep").service());
                assertEquals(
                        "nightly-job", period.get((int) named.pid(), "sleep").service());
                period.get((int) stays.pid(), "sleep");
                period.get((int) longLived.pid(), "sleep");
                assertTrue(quick.waitFor(10, TimeUnit.SECONDS) && named.waitFor(10, TimeUnit.SECONDS));
                longLived.destroyForcibly().waitFor(5, TimeUnit.SECONDS); // exits, but a scan saw it
                Process gone = new ProcessBuilder("true").start();
                gone.waitFor(5, TimeUnit.SECONDS);
                ProcessInfo vanished = period.get((int) gone.pid(), "ThreadPoolForeg");

                scanner.scan(); // the period ends
                assertEquals(
                        ServiceNamer.SHORT_LIVED_SERVICE,
                        period.settled((int) quick.pid()).service());
                assertEquals("sleep", period.settled((int) quick.pid()).comm(), "its comm still tells it apart");
                assertEquals("nightly-job", period.settled((int) named.pid()).service(), "a chosen name stays");
                assertEquals("sleep", period.settled((int) stays.pid()).service(), "the period's scan saw it");
                assertEquals("sleep", period.settled((int) longLived.pid()).service(), "an earlier scan saw it");
                assertEquals(
                        ServiceNamer.SHORT_LIVED_SERVICE,
                        period.settled((int) gone.pid()).service());
                assertEquals("ThreadPoolForeg", vanished.comm(), "a sampled thread's name is only its comm");
            } finally {
                stays.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } finally {
            longLived.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** An executable named by an attacker (nobody): control characters and a 255-byte name become a bounded, printable service. */
    @Test
    void aHostileExecutableNameIsBoundedAndPrintable() throws Exception {
        Privileges.assumeRootOrCi("the attacker is nobody");
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        String evil = "x\n\u001b[31mred\t" + "a".repeat(240);
        Path exe = Files.copy(Path.of("/bin/sleep"), tmp.resolve(evil));
        Process p = new ProcessBuilder(
                        "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", exe.toString(), "60")
                .start();
        try {
            long deadline = System.nanoTime() + 10_000_000_000L;
            ProcessInfo info = ProcessScanner.system().lookup((int) p.pid());
            while (info != null
                    && !info.service().startsWith("x")
                    && System.nanoTime() < deadline) { // until setpriv has exec'd
                Thread.sleep(20);
                info = ProcessScanner.system().lookup((int) p.pid());
            }
            assertNotNull(info);
            assertEquals(ServiceNamer.MAX_EXECUTABLE_NAME, info.service().length(), info.service());
            assertTrue(info.service().startsWith("x??[31mred?aaa"), info.service());
            assertTrue(info.service().chars().noneMatch(Character::isISOControl));
        } finally {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private Path compile(String name) throws Exception {
        Path src = tmp.resolve(name + ".c");
        try (var in = ServiceNamingProcessTest.class.getResourceAsStream("/workload/" + name + ".c")) {
            Files.copy(in, src);
        }
        Path exe = tmp.resolve(name);
        Process gcc = new ProcessBuilder("gcc", "-O1", "-pthread", "-o", exe.toString(), src.toString())
                .inheritIO()
                .start();
        assertEquals(0, gcc.waitFor(), "gcc " + name + ".c");
        return exe;
    }

    private static Process ready(ProcessBuilder pb) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
        assertEquals("ready", line);
        return p;
    }
}
