package dev.hearth.symbolizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.hearth.symbolizer.safefs.SafeFile;
import dev.hearth.symbolizer.safefs.UnsafeFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A container's file system (here a folder standing in for /proc/PID/root) decides what its paths are. */
class ProcessFilesTest {
    @TempDir
    Path root;

    @Test
    void aBinaryOrDebugFileIsOpenedOnlyWithoutLinksAndOnlyWhenRegular() throws Exception {
        Path lib = Files.createDirectories(root.resolve("usr/lib"));
        Path secret = Files.writeString(root.resolve("outside"), "not for us");
        Files.copy(Path.of("/bin/true"), lib.resolve("real.so"));
        Files.createSymbolicLink(lib.resolve("link.so"), secret);
        Files.createSymbolicLink(root.resolve("lib"), lib); // /lib -> /usr/lib, as merged-usr systems have it
        Tools.run(List.of("mkfifo", lib.resolve("fifo.so").toString()));

        try (SafeFile f = ProcessFiles.openBeneath(root, "/usr/lib/real.so")) {
            assertEquals(Files.size(Path.of("/bin/true")), f.stat().size());
            assertEquals(BinaryLoader.buildId(Path.of("/bin/true")), BinaryLoader.buildId(f.path()));
        }
        assertThrows(UnsafeFileException.class, () -> ProcessFiles.openBeneath(root, "/usr/lib/link.so"));
        assertThrows(UnsafeFileException.class, () -> ProcessFiles.openBeneath(root, "/lib/real.so"));
        assertThrows(UnsafeFileException.class, () -> ProcessFiles.openBeneath(root, "/usr/lib/../../outside"));
        assertTimeoutPreemptively(
                Duration.ofSeconds(30),
                () -> assertThrows(
                        UnsafeFileException.class, () -> ProcessFiles.openBeneath(root, "/usr/lib/fifo.so")));
    }
}
