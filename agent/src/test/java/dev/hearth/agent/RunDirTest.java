package dev.hearth.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.testsupport.Privileges;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run dir holds the host lock and the agent's JVM list: only root's own folder will do. */
class RunDirTest {
    static final List<String> NOBODY = List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups");

    @Test
    void madeForRootAloneAndRefusedWhenAnotherUserCouldPlantInIt(@TempDir Path tmp) throws Exception {
        Privileges.assumeRootOrCi("needs root's folders and an attacker as nobody");
        Path fresh = RunDir.prepare(tmp.resolve("run"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
        assertEquals(0, (int) Files.getAttribute(fresh, "unix:uid"));
        assertEquals(fresh, RunDir.prepare(fresh), "an existing one is taken as it is");

        // made by another user in /tmp, or a link they put there to root's own folder
        String suffix = Long.toHexString(System.nanoTime());
        Path planted = Path.of("/tmp/hearth-run-" + suffix);
        Path link = Path.of("/tmp/hearth-run-link-" + suffix);
        try {
            run("mkdir", "-m", "0700", planted.toString());
            run("ln", "-s", fresh.toString(), link.toString());
            IOException owned = assertThrows(IOException.class, () -> RunDir.prepare(planted));
            assertTrue(owned.getMessage().contains("owned by uid 65534"), owned.getMessage());
            IOException linked = assertThrows(IOException.class, () -> RunDir.prepare(link));
            assertTrue(Files.isSymbolicLink(link), linked.getMessage());
            assertThrows(IOException.class, () -> HostLock.acquire(RunDir.prepare(link.resolve("sub"))));
        } finally {
            Files.deleteIfExists(link);
            Files.deleteIfExists(planted);
        }
        assertTrue(Files.isDirectory(fresh, LinkOption.NOFOLLOW_LINKS));
    }

    private static void run(String... cmd) throws Exception {
        List<String> all = new java.util.ArrayList<>(NOBODY);
        all.addAll(List.of(cmd));
        Process p = new ProcessBuilder(all).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, all + ": " + out);
    }
}
