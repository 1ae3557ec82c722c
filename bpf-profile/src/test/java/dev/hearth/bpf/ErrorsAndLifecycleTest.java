package dev.hearth.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.testsupport.Privileges;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorsAndLifecycleTest {
    @BeforeAll
    static void root() {
        Privileges.assumeRootOrCi("loads BPF programs");
    }

    @Test
    void uprobeOnAMissingSymbolNamesTheSymbolAndTheFix() throws Exception {
        String bin = Workload.binary().toString();
        Set<String> before = bpfFds();
        BpfException e = assertThrows(
                BpfException.class,
                () -> BpfProfiler.start(
                        ProfilerConfig.defaults().withUprobes(List.of(new UprobeSpec(bin, "no_such_fn", false)))));
        assertTrue(e.getMessage().contains("no function 'no_such_fn' in " + bin), e.getMessage());
        assertTrue(e.getMessage().contains("nm"), e.getMessage());
        // the symbol is looked up when attaching, after the load: what the load made must be gone
        assertEquals(before, bpfFds(), "programs, maps, links and perf events of the failed start are closed");
    }

    @Test
    void uprobeOnAMissingBinaryIsClear() {
        BpfException e = assertThrows(
                BpfException.class,
                () -> BpfProfiler.start(
                        ProfilerConfig.defaults().withUprobes(List.of(UprobeSpec.parse("/no/such/binary:f")))));
        assertTrue(e.getMessage().contains("/no/such/binary does not exist"), e.getMessage());
    }

    @Test
    void aPidThatDoesNotExistIsClear() {
        int pid = Integer.MAX_VALUE - 7;
        BpfException e = assertThrows(
                BpfException.class,
                () -> BpfProfiler.start(ProfilerConfig.defaults().withPids(Set.of(pid))));
        assertTrue(e.getMessage().contains("no process with pid [" + pid + "]"), e.getMessage());
    }

    @Test
    void anUnprivilegedUserIsToldToRunAsRoot(@TempDir Path dir) throws Exception {
        // the classes and JNA, copied where user nobody can read them
        StringBuilder cp = new StringBuilder();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path from = Path.of(entry);
            if (!(Files.isDirectory(from) || from.getFileName().toString().startsWith("jna-"))) {
                continue;
            }
            Path to = dir.resolve("cp" + n++);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path t = Files.isDirectory(from)
                            ? to.resolve(from.relativize(f).toString())
                            : to;
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(t);
                    } else {
                        Files.copy(f, t);
                    }
                }
            }
            cp.append(cp.length() == 0 ? "" : File.pathSeparator).append(to);
        }
        Path jnaTmp = Files.createDirectories(dir.resolve("jna"));
        new ProcessBuilder("chmod", "-R", "a+rwX", dir.toString()).start().waitFor();
        Process p = new ProcessBuilder(
                        "setpriv",
                        "--reuid=65534",
                        "--regid=65534",
                        "--clear-groups",
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Djna.tmpdir=" + jnaTmp,
                        "-cp",
                        cp.toString(),
                        NoPrivilegeProbe.class.getName())
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        assertTrue(
                out.startsWith("BpfException: the kernel refused to load BPF programs (Operation not permitted): "
                        + "run as root"),
                out + err);
        assertFalse(err.contains("libbpf:"), "libbpf messages stay out of stderr: " + err);
    }

    @Test
    void nothingToProfileIsClear() {
        BpfException e = assertThrows(
                BpfException.class,
                () -> BpfProfiler.start(ProfilerConfig.defaults().withOnCpu(false)));
        assertTrue(e.getMessage().contains("nothing to profile"), e.getMessage());
    }

    @Test
    void closeUnloadsEveryProgramWeLoaded() throws Exception {
        BpfProfiler p = BpfProfiler.start(ProfilerConfig.defaults()
                .withOffCpu(true)
                .withUprobes(List.of(new UprobeSpec(Workload.binary().toString(), "call_fn", true))));
        List<Integer> ids = p.programIds();
        assertTrue(ids.size() == 4, "on_cpu, off_cpu, uprobe_entry, uprobe_return loaded: " + ids);
        for (int id : ids) {
            assertTrue(progShown(id), "program " + id + " is loaded");
        }
        p.close();
        p.close();
        assertUnloaded(ids);
        assertThrows(IllegalStateException.class, p::drain);
    }

    @Test
    void targetPidsCanChangeWhileRunning() throws Exception {
        try (Workload a = Workload.start("spin", "1000");
                BpfProfiler p = BpfProfiler.start(ProfilerConfig.defaults().withPids(Set.of(a.pid())))) {
            p.setTargetPids(Set.of(Math.toIntExact(ProcessHandle.current().pid())));
            a.go();
            a.awaitDone();
            assertTrue(Samples.sum(p.drain(), a.pid(), SampleType.ON_CPU) == 0, "a is no longer a target");
            assertThrows(BpfException.class, () -> p.setTargetPids(Set.of(Integer.MAX_VALUE - 7)));
        }
    }

    static void assertUnloaded(List<Integer> ids) throws Exception {
        assertFalse(ids.isEmpty(), "some programs were loaded");
        for (int id : ids) {
            assertFalse(progShown(id), "program " + id + " still loaded after close");
        }
    }

    /** this process's descriptors of BPF objects and perf events: (fd, what it refers to) */
    private static Set<String> bpfFds() throws IOException {
        Set<String> out = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("anon_inode:bpf") || target.equals("anon_inode:[perf_event]")) {
                        out.add(fd.getFileName() + " " + target);
                    }
                } catch (IOException closedMeanwhile) {
                    // the listing's own descriptor, or one closed since
                }
            }
        }
        return out;
    }

    private static boolean progShown(int id) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bpftool", "prog", "show", "id", Integer.toString(id))
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }
}
