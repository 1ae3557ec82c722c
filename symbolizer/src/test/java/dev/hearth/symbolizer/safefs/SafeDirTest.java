package dev.hearth.symbolizer.safefs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Root working in a folder that nobody (the attacker) can write: each test plants something as nobody first. */
class SafeDirTest {
    @TempDir
    Path base;

    Path tmp;

    @BeforeEach
    void shared() throws IOException {
        Attacker.assumeRoot();
        tmp = Attacker.sharedTmp(base);
    }

    @Test
    void aSymlinkedFolderOrFileIsNeverFollowed() throws Exception {
        Path secret = Files.writeString(base.resolve("secret"), "root only\n");
        Attacker.run("cd " + tmp + " && mkdir d && ln -s " + base + " d/up && ln -s " + secret + " d/file && ln -s "
                + base + " linkdir");
        try (SafeDir root = SafeDir.openTrusted(tmp)) {
            assertThrows(UnsafeFileException.class, () -> root.dir("linkdir"));
            assertThrows(UnsafeFileException.class, () -> root.dir("d/up"));
            try (SafeDir d = root.dir("d")) {
                assertThrows(UnsafeFileException.class, () -> d.openFile("file"));
                assertThrows(UnsafeFileException.class, () -> d.openFile(".."));
                assertThrows(UnsafeFileException.class, () -> d.openFile("up/secret"));
            }
        }
    }

    @Test
    void aFifoNeitherBlocksNorIsRead() throws Exception {
        Attacker.run("mkfifo " + tmp + "/perf-1.map");
        try (SafeDir root = SafeDir.openTrusted(tmp)) {
            UnsafeFileException e = assertTimeoutPreemptively(
                    Duration.ofSeconds(30),
                    () -> assertThrows(UnsafeFileException.class, () -> root.openFile("perf-1.map")));
            assertTrue(e.getMessage().contains("FIFO"), e.getMessage());
        }
    }

    @Test
    void linkCountOwnerAndSizeComeFromTheOpenedFile() throws Exception {
        Attacker.run("cd " + tmp + " && printf 'abcdef' > a && ln a b");
        try (SafeDir root = SafeDir.openTrusted(tmp);
                SafeFile f = root.openFile("a")) {
            assertEquals(2, f.stat().links());
            assertEquals(Attacker.NOBODY, f.stat().uid());
            assertThrows(UnsafeFileException.class, f::requireOneLink);
            assertThrows(UnsafeFileException.class, () -> f.requireOwner(0));
            f.requireOwner(0, Attacker.NOBODY).requireSizeAtMost(6);
            assertThrows(UnsafeFileException.class, () -> f.requireSizeAtMost(5));
            assertArrayEquals("abcdef".getBytes(StandardCharsets.US_ASCII), f.readAll(6));
            assertThrows(UnsafeFileException.class, () -> f.readAll(5));
        }
    }

    @Test
    void createIsExclusiveEvenAgainstADanglingLink() throws Exception {
        Path target = base.resolve("would-be-created");
        Attacker.run("cd " + tmp + " && ln -s " + target + " lib.so && echo planted > plain.so");
        try (SafeDir root = SafeDir.openTrusted(tmp)) {
            assertThrows(FileAlreadyExistsException.class, () -> root.createFile("lib.so", 0644));
            assertThrows(FileAlreadyExistsException.class, () -> root.createFile("plain.so", 0644));
            assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS));
            try (SafeFile f = root.createFile("fresh.so", 0600)) {
                f.write("hello".getBytes(StandardCharsets.US_ASCII));
                f.chmod(0644);
                assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), f.readAll(100));
                assertEquals(0644, f.restat().permissions());
                assertEquals(0, f.restat().uid());
            }
        }
    }

    @Test
    void freshFoldersAreUnpredictableOwnedByRootWithTheExactMode() throws Exception {
        try (SafeDir root = SafeDir.openTrusted(tmp);
                SafeDir a = root.createFreshDir("hearth-", 0755);
                SafeDir b = root.createFreshDir("hearth-", 0711)) {
            assertNotEquals(a.name(), b.name());
            assertTrue(a.name().matches(".*/hearth-[0-9a-f]{16}"), a.name());
            assertEquals(0, a.stat().uid());
            assertEquals(0755, a.restat().permissions());
            assertEquals(0711, b.restat().permissions());
            // nobody can neither add to nor rename it
            String name = a.name().substring(a.name().lastIndexOf('/') + 1);
            assertThrows(AssertionError.class, () -> Attacker.run("touch " + tmp + "/" + name + "/x"));
            assertThrows(AssertionError.class, () -> Attacker.run("mv " + tmp + "/" + name + " " + tmp + "/moved"));
        }
    }

    @Test
    void trustedFoldersAreOwnedByTheGivenUsersAndWritableByNoOneElse() throws Exception {
        Attacker.run("cd " + tmp + " && mkdir planted && mkdir -m 0777 open");
        Files.createDirectory(tmp.resolve("mine"));
        new ProcessBuilder("chmod", "0777", tmp.resolve("open").toString())
                .start()
                .onExit()
                .join();
        try (SafeDir root = SafeDir.openTrusted(base)) {
            // a sticky world-writable parent is fine, a folder planted in it by nobody is not
            root.trustedDir("tmp/mine", 0).close();
            assertThrows(UnsafeFileException.class, () -> root.trustedDir("tmp/planted", 0));
            assertThrows(UnsafeFileException.class, () -> root.trustedDir("tmp/open", 0, Attacker.NOBODY));
            root.trustedDir("tmp/planted", 0, Attacker.NOBODY).close();
            // the sticky folder itself, as the last component, is writable by others
            assertThrows(UnsafeFileException.class, () -> root.trustedDir("tmp", 0));
        }
    }

    @Test
    void deletingATreeRemovesLinksNeverWhatTheyPointTo() throws Exception {
        Path victimDir = Files.createDirectory(base.resolve("victim"));
        Path victimFile = Files.writeString(victimDir.resolve("data"), "keep");
        try (SafeDir root = SafeDir.openTrusted(tmp);
                SafeDir session = root.createDir("session", 0777)) {
            session.chmod(0777);
            Attacker.run("cd " + tmp + "/session && ln -s " + victimDir + " dirlink && ln -s " + victimFile
                    + " filelink" + " && mkdir -p a/b && ln -s " + victimDir + " a/b/deep && echo x > a/own");
            root.deleteTree("session");
            assertFalse(Files.exists(tmp.resolve("session"), LinkOption.NOFOLLOW_LINKS));
        }
        assertEquals("keep", Files.readString(victimFile));
        try (SafeDir root = SafeDir.openTrusted(tmp)) {
            root.deleteTree("nothing-here");
        }
    }

    @Test
    void deletingANameThatIsALinkRemovesTheLink() throws Exception {
        Path victim = Files.writeString(base.resolve("victim"), "keep");
        Attacker.run("ln -s " + victim + " " + tmp + "/1.jfr");
        try (SafeDir root = SafeDir.openTrusted(tmp)) {
            assertTrue(root.statEntry("1.jfr") != null);
            root.delete("1.jfr");
            assertEquals(null, root.statEntry("1.jfr"));
            assertThrows(NoSuchFileException.class, () -> root.delete("1.jfr"));
        }
        assertEquals("keep", Files.readString(victim));
    }

    @Test
    void aProcessRootReachesItsTmp() throws Exception {
        try (SafeDir root = SafeDir.processRoot((int) ProcessHandle.current().pid());
                SafeDir t = root.dir("tmp")) {
            assertTrue(t.stat().isDirectory());
            assertTrue(t.list().size() >= 0);
            assertEquals(
                    Files.readAttributes(Path.of("/tmp"), "unix:ino").get("ino"),
                    t.stat().inode());
        }
    }
}
