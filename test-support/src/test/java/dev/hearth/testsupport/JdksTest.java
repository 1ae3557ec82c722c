package dev.hearth.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The JDKs found are the versions they claim: their java prints it. */
class JdksTest {
    @Test
    void theRunningJdkIsFoundByItsVersion() throws Exception {
        int feature = Runtime.version().feature();
        assertTrue(Jdks.find(feature).isPresent(), "JDK " + feature + " runs these tests");
        assertTrue(version(Jdks.java(feature)).contains("version \"" + feature + "."), Jdks.java(feature));
    }

    @Test
    void jdk25IsFoundAndRuns() throws Exception {
        String java = Jdks.java(25); // skips outside CI when none is installed
        assertTrue(version(java).contains("version \"25."), java);
        assertEquals(java, Jdks.require(25).resolve("bin/java").toString());
        assertTrue(
                Jdks.find(9).isEmpty() || version(Jdks.java(9)).contains("\"9"),
                "a JDK found is of the release asked for");
    }

    private static String version(String java) throws Exception {
        Process p =
                new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }
}
