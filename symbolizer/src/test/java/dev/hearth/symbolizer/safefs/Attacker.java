package dev.hearth.symbolizer.safefs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hearth.testsupport.Privileges;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs shell commands as the unprivileged user nobody, the way a profiled process's user would act. */
final class Attacker {
    static final int NOBODY = 65534;

    private Attacker() {}

    /** CI rule: these tests need root (to be the victim and to drop to nobody); outside CI they skip with a reason. */
    static void assumeRoot() {
        Privileges.assumeRootOrCi("root is the victim, nobody the attacker");
    }

    /** A folder anyone may write, like /tmp: world-writable with the sticky bit. */
    static Path sharedTmp(Path base) throws IOException {
        Path d = Files.createDirectory(base.resolve("tmp"));
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
        new ProcessBuilder("chmod", "1777", d.toString()).start().onExit().join();
        return d;
    }

    static void run(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "sh", "-c", script)
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS), "attacker script hung: " + script);
        assertEquals(0, p.exitValue(), "attacker script failed: " + script + "\n" + out);
    }

    static List<String> cmd(String... c) {
        return List.of(c);
    }
}
