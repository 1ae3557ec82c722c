package dev.hearth.agent.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.pprof.ProfileType;
import dev.hearth.testsupport.Privileges;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local user (nobody) attacks the files the agent (root) places into and reads from a JVM's /tmp.
 * A victim run by root lives in a /tmp of its own (a private mount namespace, as with systemd's
 * PrivateTmp, and its own pid namespace so the JDK attach finds it there), which nobody shares and
 * plants into before the agent attaches. Each test also checks that the victim is still profiled.
 */
class AsyncProfilerAttackTest {
    private static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** A private /tmp (and pid namespace) for the victim, shared with nobody alone. */
    private static final List<String> OWN_TMP = List.of(
            "unshare",
            "--pid",
            "--fork",
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            "mount -t tmpfs tmpfs /tmp && exec \"$0\" \"$@\"");

    private static final String MARKER = "/tmp/planted-constructor-ran";
    private static final String W = JvmWorkload.class.getName();

    static AsyncProfilerLibrary library;

    @TempDir
    Path base;

    @BeforeAll
    static void library() throws Exception {
        library = AsyncProfilerLibrary.fromClasspath();
    }

    @BeforeEach
    void root() {
        Privileges.assumeRootOrCi("the victim runs as root, the attacker as nobody, in namespaces of their own");
    }

    @Test
    void aPlantedFolderWithASameSizeLibraryIsNeverLoaded() throws Exception {
        Path planted = plantedLibrary();
        try (WorkloadJvm jvm = new WorkloadJvm(OWN_TMP, JAVA)) {
            nobodyIn(
                    jvm,
                    "mkdir " + AsyncProfilerLibrary.TARGET_DIR + " && cat > " + AsyncProfilerLibrary.TARGET_DIR + "/"
                            + library.fileName(),
                    planted);
            try (AsyncProfilerSession session = start(jvm)) {
                assertFalse(session.library().startsWith(AsyncProfilerLibrary.TARGET_DIR + "/"), session.library());
                assertStillProfiled(jvm, session);
            }
            assertFalse(Files.exists(inJvm(jvm, MARKER)), "the planted library ran inside the root JVM");
            assertEquals(
                    65534,
                    Files.getAttribute(
                            inJvm(jvm, AsyncProfilerLibrary.TARGET_DIR + "/" + library.fileName()),
                            "unix:uid",
                            LinkOption.NOFOLLOW_LINKS),
                    "the planted file was replaced, not left alone");
        }
    }

    @Test
    void aSymlinkedFolderIsNotFollowed() throws Exception {
        try (WorkloadJvm jvm = new WorkloadJvm(OWN_TMP, JAVA)) {
            nobodyIn(jvm, "mkdir /tmp/evil && ln -s /tmp/evil " + AsyncProfilerLibrary.TARGET_DIR, null);
            try (AsyncProfilerSession session = start(jvm)) {
                assertFalse(session.library().startsWith(AsyncProfilerLibrary.TARGET_DIR + "/"), session.library());
                assertStillProfiled(jvm, session);
            }
            try (var s = Files.list(inJvm(jvm, "/tmp/evil"))) {
                assertEquals(List.of(), s.toList(), "root wrote into the folder nobody linked to");
            }
            assertTrue(Files.isSymbolicLink(inJvm(jvm, AsyncProfilerLibrary.TARGET_DIR)));
            assertEquals(
                    "rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(inJvm(jvm, "/tmp/evil"))));
        }
    }

    @Test
    void theLibraryCannotBeSwappedBetweenWriteAndLoad() throws Exception {
        try (WorkloadJvm jvm = new WorkloadJvm(OWN_TMP, JAVA)) {
            // an empty folder ready for the agent to write into, which nobody could then swap files in
            nobodyIn(jvm, "mkdir -m 0777 " + AsyncProfilerLibrary.TARGET_DIR, null);
            try (AsyncProfilerSession session = start(jvm)) {
                String lib = session.library();
                String folder = lib.substring(0, lib.lastIndexOf('/'));
                Path hostFolder = inJvm(jvm, folder);
                assertEquals(0, Files.getAttribute(hostFolder, "unix:uid", LinkOption.NOFOLLOW_LINKS));
                assertEquals(
                        "rwxr-xr-x",
                        PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(hostFolder, LinkOption.NOFOLLOW_LINKS)));
                assertEquals(
                        "rw-r--r--",
                        PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(inJvm(jvm, lib), LinkOption.NOFOLLOW_LINKS)));
                for (String attempt : List.of(
                        "mv " + lib + " " + lib + ".old",
                        "rm -f " + lib,
                        "touch " + folder + "/x",
                        "cp /bin/true " + lib,
                        "mv " + folder + " /tmp/moved")) {
                    assertNotEquals(0, nobodyInStatus(jvm, attempt), "nobody could: " + attempt);
                }
                assertStillProfiled(jvm, session);
            }
        }
    }

    @Test
    void linksAndFifosInTheRecordingFolderAreNeitherReadNorFollowed() throws Exception {
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path own = Files.createDirectory(base.resolve("nobody"));
        Files.setAttribute(own, "unix:uid", 65534);
        // the victim JVM is nobody's: the recording folder is theirs to write
        try (WorkloadJvm jvm = new WorkloadJvm(
                        List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"), JAVA);
                AsyncProfilerSession session = start(jvm)) {
            Path dir = session.directory();
            jvm.run("cpu 700");
            session.stop();
            Path recording = AsyncProfilerSessionTest.recordings(dir).get(0);
            Path secret = Files.copy(recording, base.resolve("secret.jfr"));
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
            byte[] secretBytes = Files.readAllBytes(secret);
            assertFalse(session.collect().recordings().isEmpty(), "no recording of the workload");

            Path ownCopy = own.resolve("own.jfr");
            Files.write(ownCopy, secretBytes);
            Files.setAttribute(ownCopy, "unix:uid", 65534);
            Files.setPosixFilePermissions(ownCopy, PosixFilePermissions.fromString("rw-r--r--"));
            asNobody("cd " + dir + " && ln -s " + secret + " 900000.jfr && ln " + ownCopy
                    + " 900001.jfr && mkfifo 900002.jfr");

            AsyncProfilerSession.Collected c;
            try {
                c = assertTimeoutPreemptively(Duration.ofSeconds(60), session::collect, "a FIFO blocked the agent");
            } finally {
                // a reader stuck opening the FIFO would keep the session locked: give it a writer
                if (Files.exists(dir.resolve("900002.jfr"), LinkOption.NOFOLLOW_LINKS)) {
                    run(List.of("timeout", "5", "sh", "-c", ": > " + dir.resolve("900002.jfr")), null);
                }
            }
            assertEquals(List.of(), c.recordings(), "root read a file through a link");
            assertEquals(3, c.skipped());
            assertArrayEquals(secretBytes, Files.readAllBytes(secret), "the link's target changed");
            assertArrayEquals(secretBytes, Files.readAllBytes(ownCopy), "the hard link's other name changed");
            assertEquals(
                    1,
                    Files.getAttribute(ownCopy, "unix:nlink"),
                    "the name in the session folder was removed, only it");
            assertEquals(List.of(), AsyncProfilerSessionTest.recordings(dir));
            session.close();
            assertFalse(Files.exists(dir, LinkOption.NOFOLLOW_LINKS));
            assertTrue(Files.exists(secret) && Files.exists(ownCopy), "deleting the folder deleted a link's target");
        }
    }

    private static AsyncProfilerSession start(WorkloadJvm jvm) throws Exception {
        return AsyncProfilerSession.start(JvmTarget.of(jvm.pid()), library, AsyncProfilerSessionTest.OPTIONS);
    }

    /** Checks the victim still gets profiled through async-profiler after the attack. */
    private static void assertStillProfiled(WorkloadJvm jvm, AsyncProfilerSession session) throws Exception {
        // in a pid namespace of its own the profiler falls back from perf events to a timer
        assertTrue(session.cpuEvent() != null, "no CPU profiling");
        jvm.run("cpu 400");
        var cpu = AsyncProfilerSessionTest.stopAndCollect(session, ProfileType.CPU);
        assertTrue(
                AsyncProfilerSessionTest.total(cpu, 0, AsyncProfilerSessionTest.onStack(W + ".heavy")) > 0,
                "the victim was not profiled");
    }

    /** A library whose constructor leaves {@link #MARKER}, padded to the real library's size. */
    private Path plantedLibrary() throws Exception {
        Path c = Files.writeString(base.resolve("planted.c"), """
                #include <fcntl.h>
                #include <unistd.h>
                __attribute__((constructor)) static void planted(void) {
                    int fd = open("%s", O_CREAT | O_WRONLY, 0644);
                    if (fd >= 0) close(fd);
                }
                """.formatted(MARKER));
        Path so = base.resolve("planted.so");
        run(List.of("gcc", "-shared", "-fPIC", "-o", so.toString(), c.toString()), null);
        assertTrue(Files.size(so) < library.size());
        run(List.of("truncate", "-s", Integer.toString(library.size()), so.toString()), null);
        return so;
    }

    private static Path inJvm(WorkloadJvm jvm, String path) {
        return Path.of("/proc/" + jvm.pid() + "/root" + path);
    }

    /** nobody, in the victim's mount namespace (sharing its /tmp), runs {@code script}, with {@code stdin} as input. */
    private static void nobodyIn(WorkloadJvm jvm, String script, Path stdin) throws Exception {
        assertEquals(0, run(nobodyInCmd(jvm, script), stdin), script);
    }

    private static int nobodyInStatus(WorkloadJvm jvm, String script) throws Exception {
        return run(nobodyInCmd(jvm, script), null);
    }

    private static List<String> nobodyInCmd(WorkloadJvm jvm, String script) {
        return List.of(
                "nsenter",
                "-t",
                Integer.toString(jvm.pid()),
                "-m",
                "--",
                "setpriv",
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                "sh",
                "-c",
                script);
    }

    private static void asNobody(String script) throws Exception {
        assertEquals(
                0,
                run(
                        List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "sh", "-c", script),
                        null),
                script);
    }

    private static int run(List<String> cmd, Path stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true);
        pb.redirectInput(
                stdin == null
                        ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                        : ProcessBuilder.Redirect.from(stdin.toFile()));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "hung: " + cmd);
        if (p.exitValue() != 0) System.err.println(cmd + ": " + out);
        return p.exitValue();
    }
}
