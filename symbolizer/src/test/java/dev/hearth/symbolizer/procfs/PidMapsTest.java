package dev.hearth.symbolizer.procfs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whether a process maps libjvm.so, from its own maps (this JVM's, a shell's) and from maps grown past the bound. */
class PidMapsTest {
    @TempDir
    Path dir;

    @Test
    void aJvmMapsLibjvmAndAShellDoesNot() throws Exception {
        assertTrue(PidMaps.mapsLibjvm(Path.of("/proc/self")));
        Process sh = new ProcessBuilder("sleep", "30").start();
        try {
            assertFalse(PidMaps.mapsLibjvm(Path.of("/proc", Long.toString(sh.pid()))));
        } finally {
            sh.destroyForcibly().waitFor();
        }
    }

    /** Maps a process grew past the bound (long paths, many mappings) are refused, not read whole. */
    @Test
    void mapsPastTheBoundAreRefused() throws Exception {
        String line = "7f0000000000-7f0000001000 r--p 00000000 fd:00 1234 /" + "x".repeat(4000) + "\n";
        StringBuilder text = new StringBuilder(PidMaps.MAX_BYTES + line.length());
        while (text.length() <= PidMaps.MAX_BYTES) text.append(line);
        text.append("7f0000002000-7f0000003000 r-xp 00000000 fd:00 99 /usr/lib/jvm/x/lib/server/libjvm.so\n");
        Files.writeString(dir.resolve("maps"), text);
        IOException e = assertThrows(IOException.class, () -> PidMaps.mapsLibjvm(dir));
        assertTrue(e.getMessage().contains("more than the bound of " + PidMaps.MAX_BYTES), e.getMessage());
    }
}
