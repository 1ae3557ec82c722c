package dev.hearth.agent.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.testsupport.Privileges;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the real /proc: processes this test starts and stops. */
class ProcessScannerTest {
    @TempDir
    Path tmp;

    @Test
    void followsStartedAndExitedProcessesWithTheirServiceAndVersion() throws Exception {
        ProcessScanner scanner = ProcessScanner.system();
        scanner.scan();
        ProcessBuilder pb = new ProcessBuilder("sleep", "60");
        pb.environment().put("HEARTH_SERVICE", "billing");
        pb.environment().put("HEARTH_VERSION", "7.1.0");
        Process p = pb.start();
        try {
            ProcessInfo seen = find(scanner.scan().started(), (int) p.pid());
            assertNotNull(seen, "the new process is reported as started");
            assertEquals("billing", seen.service());
            assertEquals("7.1.0", seen.version());
            assertEquals("sleep", seen.comm());
            assertNull(find(scanner.scan().started(), (int) p.pid()), "reported once");
        } finally {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        assertNotNull(find(scanner.scan().exited(), (int) p.pid()), "the process is reported as exited");
        assertNull(scanner.lookup((int) p.pid()));
    }

    @Test
    void namesAJvmByItsJarAndReadsTheManifestVersion() throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Sleeper");
        m.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "3.4.5");
        Path src = tmp.resolve("Sleeper.java");
        Files.writeString(
                src,
                "public class Sleeper { public static void main(String[] a) throws Exception { Thread.sleep(60000); } }");
        Process javac = new ProcessBuilder("javac", "-d", tmp.toString(), src.toString())
                .inheritIO()
                .start();
        assertEquals(0, javac.waitFor());
        Path jar = tmp.resolve("inventory.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            out.putNextEntry(new java.util.jar.JarEntry("Sleeper.class"));
            out.write(Files.readAllBytes(tmp.resolve("Sleeper.class")));
        }
        // relative path: resolved in the process's working directory
        Process p = new ProcessBuilder("java", "-Xmx32m", "-jar", "inventory.jar")
                .directory(tmp.toFile())
                .start();
        try {
            ProcessScanner scanner = ProcessScanner.system();
            ProcessInfo info = scanner.lookup((int) p.pid());
            assertNotNull(info);
            assertEquals("inventory", info.service());
            assertEquals("3.4.5", info.version());
            assertTrue(info.jvm());
        } finally {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aJarThatIsAFifoDoesNotBlockTheScanner() throws Exception {
        Privileges.assumeRootOrCi("the attacker is nobody, the scanner root");
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path own = Files.createDirectory(tmp.resolve("nobody"));
        Files.setAttribute(own, "unix:uid", 65534);
        Path fifo = own.resolve("evil.jar");
        List<String> nobody = List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups");
        Process mk = new ProcessBuilder(concat(nobody, List.of("mkfifo", fifo.toString())))
                .inheritIO()
                .start();
        assertEquals(0, mk.waitFor());
        // the launcher itself blocks opening the FIFO: the process stays, named by its jar
        Process p = new ProcessBuilder(concat(nobody, List.of("java", "-jar", fifo.toString()))).start();
        try {
            awaitExec(p, "java"); // until then the process is setpriv, named by itself
            ProcessInfo info = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                    java.time.Duration.ofSeconds(30),
                    () -> ProcessScanner.system().lookup((int) p.pid()),
                    "the scanner blocked on the FIFO");
            assertNotNull(info);
            assertEquals("evil", info.service());
            assertNull(info.version());
        } finally {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            // release a reader a regression left stuck in open()
            new ProcessBuilder("timeout", "2", "sh", "-c", ": > " + fifo)
                    .start()
                    .waitFor();
        }
    }

    @Test
    void aJarManifestIsReadWithinBounds() throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "9.9.9");
        for (int i = 0; i < 200_000; i++)
            m.getEntries().computeIfAbsent("entry-" + i, k -> new Attributes()).putValue("Digest", "x".repeat(40));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, m)) {
            out.putNextEntry(new java.util.jar.JarEntry("a.txt"));
        }
        assertEquals(
                "9.9.9",
                JarManifest.implementationVersion(new java.io.ByteArrayInputStream(bytes.toByteArray())),
                "a manifest far past the bound still gives its main section");
        assertNull(JarManifest.implementationVersion(new java.io.ByteArrayInputStream("not a jar".getBytes())));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Test
    void aReusedPidIsANewProcess() throws Exception {
        Path proc = tmp.resolve("proc");
        writeProc(proc, 100, "alpha", 5000);
        ProcessScanner scanner = new ProcessScanner(proc);
        assertEquals(1, scanner.scan().started().size());
        writeProc(proc, 100, "beta", 9000);
        ProcessScanner.Changes c = scanner.scan();
        assertEquals("alpha", c.exited().get(0).comm());
        assertEquals("beta", c.started().get(0).comm());
    }

    @Test
    void kernelThreadsAreRecognised() throws Exception {
        Path proc = tmp.resolve("proc");
        writeProc(proc, 2, "kthreadd", 1, 0x00200040);
        assertEquals("kernel", new ProcessScanner(proc).scan().started().get(0).service());
    }

    private static void writeProc(Path proc, int pid, String comm, long start) throws Exception {
        writeProc(proc, pid, comm, start, 0x400100);
    }

    private static void writeProc(Path proc, int pid, String comm, long start, long flags) throws Exception {
        Path d = Files.createDirectories(proc.resolve(Integer.toString(pid)));
        Files.writeString(d.resolve("comm"), comm + "\n");
        Files.write(d.resolve("cmdline"), ("/bin/" + comm + "\0").getBytes());
        Files.write(d.resolve("environ"), new byte[0]);
        StringBuilder stat = new StringBuilder(pid + " (" + comm + ") S 1 1 1 0 -1 " + flags);
        for (int field = 10; field <= 21; field++) stat.append(" 0");
        stat.append(' ').append(start).append(" 0 0");
        try (OutputStream out = Files.newOutputStream(d.resolve("stat"))) {
            out.write(stat.toString().getBytes());
        }
    }

    private static ProcessInfo find(List<ProcessInfo> list, int pid) {
        return list.stream().filter(p -> p.pid() == pid).findFirst().orElse(null);
    }

    /** Waits until {@code p} runs {@code program} (a process started through setpriv is setpriv until it execs). */
    private static void awaitExec(Process p, String program) throws Exception {
        Path cmdline = Path.of("/proc", Long.toString(p.pid()), "cmdline");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!new String(Files.readAllBytes(cmdline), java.nio.charset.StandardCharsets.ISO_8859_1)
                .startsWith(program + "\0")) {
            if (System.nanoTime() > deadline) throw new AssertionError(p.pid() + " never ran " + program);
            Thread.sleep(10);
        }
    }
}
