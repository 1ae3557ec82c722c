package dev.hearth.agent.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's token file: private or refused, the first line is the token, a rotated token is used, a broken one is not. */
class BearerTokenTest {
    @TempDir
    Path dir;

    Path file(String text, String mode) throws Exception {
        Path f = dir.resolve("token");
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void aPrivateFilesFirstLineIsTheTokenAndARotatedOneIsUsed() throws Exception {
        Path f = file("abcdef0123456789abcdef\n# comment\n", "rw-------");
        BearerToken t = BearerToken.read(f);
        assertEquals("abcdef0123456789abcdef", t.current());
        Files.writeString(f, "rotated0123456789rotated\n");
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals("rotated0123456789rotated", t.current());
        // a broken rewrite keeps the token in use
        Files.writeString(f, "two words\n");
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(10)));
        assertEquals("rotated0123456789rotated", t.current());
    }

    @Test
    void aFileOthersCanReadOrAMalformedTokenIsRefusedWithTheFileNamed() throws Exception {
        Path open = file("abcdef0123456789abcdef\n", "rw-r--r--");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BearerToken.read(open));
        assertTrue(
                e.getMessage().contains("token file " + open + ": other users can read or change it"), e.getMessage());
        Path spaced = file("Bearer abc\n", "rw-------");
        e = assertThrows(IllegalArgumentException.class, () -> BearerToken.read(spaced));
        assertTrue(e.getMessage().contains("the first line must be the token"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BearerToken.read(dir.resolve("missing")));
    }
}
