package dev.hearth.symbolizer.procfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.security.auth.module.UnixSystem;
import dev.hearth.testsupport.Privileges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /proc/PID/stat and /proc/PID/status of real processes, one of them named and run by an attacker. */
class PidStatTest {
    private static final Path PROC = Path.of("/proc");

    @Test
    void ourOwnProcessStartedWhenTheJdkSaysAtTheKernelsTickRate() throws IOException {
        long pid = ProcessHandle.current().pid();
        PidStat stat = PidStat.read(PROC.resolve(Long.toString(pid)));
        long jdk = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
        // boot time is whole seconds and the JDK rounds on its own: a second apart at most
        assertEquals(jdk, stat.startMillis(PROC), 1_000.0);
        assertFalse(stat.kernelThread());
        assertTrue(
                stat.startCode() != 0 && Long.compareUnsigned(stat.startCode(), stat.endCode()) < 0, stat.toString());
        assertEquals(
                new UnixSystem().getUid(),
                PidStatus.read(PROC.resolve(Long.toString(pid))).effectiveUid());
    }

    @Test
    void kernelThreadsAreToldApart() throws IOException {
        assertTrue(PidStat.read(PROC.resolve("2")).kernelThread(), "pid 2 is kthreadd");
    }

    /**
     * The command name is the attacker's: one made of ") R 1 1 1" must not shift the fields. Run as
     * nobody, the process's status says so.
     */
    @Test
    void aCommandNameThatLooksLikeFieldsDoesNotShiftThem(@TempDir Path dir) throws Exception {
        Privileges.assumeRootOrCi("runs the process as nobody");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path fake = Files.createSymbolicLink(dir.resolve(") R 1 1 1 0 -1"), Path.of("/bin/sleep"));
        Process p = new ProcessBuilder(
                        "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", fake.toString(), "30")
                .start();
        try {
            Path pidDir = PROC.resolve(Long.toString(p.pid()));
            for (int i = 0; i < 100 && !Files.readString(pidDir.resolve("comm")).startsWith(")"); i++) Thread.sleep(20);
            assertTrue(
                    Files.readString(pidDir.resolve("comm")).startsWith(") R 1 1"),
                    "the process runs under its crafted name");
            PidStat stat = PidStat.read(pidDir);
            long jdk = p.toHandle().info().startInstant().orElseThrow().toEpochMilli();
            assertEquals(jdk, stat.startMillis(PROC), 1_000.0);
            assertFalse(stat.kernelThread());
            PidStatus status = PidStatus.read(pidDir);
            assertEquals(65534, status.effectiveUid());
            assertEquals(65534, status.fsUid());
            assertEquals(p.pid(), status.nsPid());
        } finally {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aLineCutShortIsRefusedAndExecFieldsMayBeMissing() {
        assertThrows(IllegalArgumentException.class, () -> PidStat.parse("42 (x) S 1 2 3"));
        assertThrows(IllegalArgumentException.class, () -> PidStat.parse("42 x S 1 2 3"));
        PidStat s = PidStat.parse("7 (a) b) S 1 1 1 0 -1 2097216 0 0 0 0 0 0 0 0 20 0 1 0 12345");
        assertEquals(12345, s.startTicks());
        assertTrue(s.kernelThread());
        assertEquals(0, s.startCode());
    }
}
