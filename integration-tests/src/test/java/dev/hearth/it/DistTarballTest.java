package dev.hearth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.hearth.collector.Http;
import dev.hearth.collector.TestTokens;
import dev.hearth.testsupport.Privileges;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball of {@code ./hearth dist}, made once from the jars this build packaged, unpacked into
 * an empty folder and run from there with a PATH that holds bash, dirname and java only (no Maven,
 * no compiler): its collector stores, its {@code record} profiles, its agent ships profiles while
 * running as {@code nobody} with only {@link #AGENT_CAPABILITIES}, and the systemd units in it verify
 * against it.
 */
class DistTarballTest {
    /** What a non-root agent needs (docs/deploy.md says what each is for); the units and manifests carry these and more. */
    static final List<String> AGENT_CAPABILITIES =
            List.of("bpf", "perfmon", "sys_ptrace", "syslog", "dac_read_search", "checkpoint_restore");

    static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");

    @TempDir
    static Path dir;

    static Path project;
    static Path tarball;
    static Path install;
    static Path bin;
    static Process collector;
    static StringBuilder collectorLog = new StringBuilder();
    static Http http;
    static int port;
    static String token;

    @BeforeAll
    static void buildUnpackAndStartTheCollector() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // nobody reaches the install
        // this class's folder: <project>/integration-tests/<target>/test-classes
        Path classes = Path.of(DistTarballTest.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        project = classes.getParent().getParent().getParent();
        ProcessBuilder dist = new ProcessBuilder(
                project.resolve("hearth").toString(),
                "dist",
                "--no-build",
                "-o",
                dir.resolve("out").toString());
        dist.environment()
                .put("HEARTH_TARGET", classes.getParent().getFileName().toString());
        Run made = run(dist, 120);
        assertEquals(0, made.status(), made.output());
        tarball = Path.of(made.output().strip().lines().reduce((a, b) -> b).orElseThrow());
        assertTrue(Files.isRegularFile(tarball), made.output());

        Path unpacked = Files.createDirectories(dir.resolve("empty"));
        Run tar = run(new ProcessBuilder("tar", "-C", unpacked.toString(), "-xzf", tarball.toString()), 60);
        assertEquals(0, tar.status(), tar.output());
        try (Stream<Path> top = Files.list(unpacked)) {
            install = top.findFirst().orElseThrow();
        }
        bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        for (String tool : List.of("bash", "dirname")) Files.createSymbolicLink(bin.resolve(tool), which(tool));

        Path tokens = dir.resolve("collector.tokens");
        token = TestTokens.writeFullAccess(tokens);
        collector = withoutMaven(new ProcessBuilder(
                        install.resolve("hearth").toString(),
                        "collector",
                        "--port",
                        "0",
                        "--host",
                        "127.0.0.1",
                        "--data",
                        dir.resolve("data").toString(),
                        "--tokens",
                        tokens.toString()))
                .redirectErrorStream(true)
                .start();
        port = awaitPort(collector, collectorLog);
        http = new Http(port).withToken(token);
    }

    @AfterAll
    static void stopTheCollector() throws Exception {
        if (collector == null) return;
        collector.destroy();
        if (!collector.waitFor(30, TimeUnit.SECONDS))
            collector.destroyForcibly().waitFor();
    }

    @Test
    void theTarballHoldsTheLauncherAndJarsWithTheBpfObjectAndNoSources() throws Exception {
        Run list = run(new ProcessBuilder("tar", "-tzf", tarball.toString()), 60);
        assertEquals(0, list.status(), list.output());
        List<String> entries =
                list.output().lines().map(e -> e.substring(e.indexOf('/') + 1)).toList();
        for (String needed : List.of(
                "hearth",
                "agent/target/agent.jar",
                "collector-server/target/collector-server.jar",
                "deploy/systemd/hearth-agent.service",
                "deploy/kubernetes/agent.yaml",
                "docs/deploy.md")) {
            assertTrue(entries.contains(needed), needed + " missing: " + entries);
        }
        assertTrue(Files.isExecutable(install.resolve("hearth")));
        for (String e : entries) {
            assertFalse(
                    e.endsWith(".java") || e.endsWith(".c") || e.endsWith("pom.xml") || e.contains("/src/"),
                    "source in the tarball: " + e);
        }
        // the BPF object is built into the bpf-profile jar: an ELF file for the BPF machine (247)
        Path bpfJar;
        try (Stream<Path> libs = Files.list(install.resolve("agent/target/lib"))) {
            bpfJar = libs.filter(p -> p.getFileName().toString().startsWith("bpf-profile-"))
                    .findFirst()
                    .orElseThrow();
        }
        try (JarFile jar = new JarFile(bpfJar.toFile());
                InputStream in = jar.getInputStream(jar.getEntry("dev/hearth/bpf/profile.bpf.o"))) {
            byte[] head = in.readNBytes(20);
            assertEquals("\u007fELF", new String(head, 0, 4, StandardCharsets.ISO_8859_1));
            assertEquals(247, (head[18] & 0xff) | (head[19] & 0xff) << 8, "e_machine EM_BPF");
        }
        // what needs the sources says so instead of installing a compiler
        Run up = run(withoutMaven(new ProcessBuilder(install.resolve("hearth").toString(), "build")), 30);
        assertEquals(2, up.status(), up.output());
        assertTrue(up.output().contains("installed package"), up.output());
    }

    @Test
    void recordAndTheCollectorRunFromTheUnpackedTarballWithoutMaven() throws Exception {
        Privileges.assumeRootOrCi("record loads BPF programs");
        Run tools = run(
                withoutMaven(
                        new ProcessBuilder(bin.resolve("bash").toString(), "-c", "command -v mvn javac clang gcc")),
                30);
        assertTrue(tools.status() != 0 && tools.output().isBlank(), "the PATH has build tools: " + tools.output());
        assertEquals(200, http.get("/api/v1/services").status(), collectorLog.toString());

        Process workload = startWorkload(Map.of());
        try {
            Path work = Files.createDirectories(dir.resolve("record"));
            // a relative -o is the caller's folder, not the install's
            Run rec = run(
                    withoutMaven(new ProcessBuilder(
                                    install.resolve("hearth").toString(),
                                    "record",
                                    "--pid",
                                    Long.toString(workload.pid()),
                                    "--duration",
                                    "4s",
                                    "--hz",
                                    "499",
                                    "--run-dir",
                                    dir.resolve("record-run").toString(),
                                    "-o",
                                    "out.folded"))
                            .directory(work.toFile()),
                    90);
            assertEquals(0, rec.status(), rec.output());
            List<String> folded = Files.readAllLines(work.resolve("out.folded"));
            long samples = folded.stream()
                    .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum();
            assertTrue(samples >= 100, samples + " samples: " + folded);
            assertTrue(
                    folded.stream().allMatch(l -> l.startsWith("java;")),
                    "the process name is the first frame: " + folded);
        } finally {
            workload.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anAgentAsNobodyWithOnlyItsCapabilitiesSamplesRootsProcessAndShips() throws Exception {
        Privileges.assumeRootOrCi("gives capabilities to another user");
        String service = "caps-" + TestTokens.newToken().substring(0, 8);
        // the agent's own state: nobody's, private, as the units make it
        Path state = Files.createDirectories(
                dir.resolve("agent-state"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path tokenFile = TestTokens.write(state.resolve("token"), token);
        giveToNobody(state, tokenFile);
        String caps = "-all" + AGENT_CAPABILITIES.stream().map(c -> ",+" + c).reduce("", String::concat);
        long from = System.currentTimeMillis();
        Process workload = startWorkload(Map.of("HEARTH_SERVICE", service));
        Path log = dir.resolve("agent.log");
        Process agent = withoutMaven(new ProcessBuilder(
                        "/usr/bin/setpriv",
                        "--reuid=nobody",
                        "--regid=nogroup",
                        "--clear-groups",
                        "--inh-caps=" + caps,
                        "--ambient-caps=" + caps,
                        "--bounding-set=" + caps,
                        install.resolve("hearth").toString(),
                        "agent",
                        "--collector",
                        "http://127.0.0.1:" + port,
                        "--token-file",
                        tokenFile.toString(),
                        "--pid",
                        Long.toString(workload.pid()),
                        "--period",
                        "2s",
                        "--hz",
                        "499",
                        "--host",
                        "caps-host",
                        "--run-dir",
                        state.resolve("run").toString(),
                        "--spool-dir",
                        state.resolve("spool").toString(),
                        "--metrics-port",
                        "-1"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            Map<String, Object> graph = null;
            long deadline = System.currentTimeMillis() + 90_000;
            for (; ; ) {
                assertTrue(agent.isAlive(), "agent exited: " + Files.readString(log));
                Http.Reply r = http.get(Http.query(
                        "/api/v1/flamegraph",
                        "service",
                        service,
                        "type",
                        "cpu",
                        "value",
                        "samples",
                        "from",
                        from - 60_000,
                        "until",
                        System.currentTimeMillis() + 60_000));
                // the service comes from the workload's environment: /proc/PID/environ is root's, mode 0400
                if (r.status() == 200 && Http.num(r.json(), "total") >= 200) {
                    graph = r.json();
                    break;
                }
                if (System.currentTimeMillis() > deadline)
                    fail("no profile of " + service + ": " + r.text() + "\n" + Files.readString(log));
                Thread.sleep(1000);
            }
            List<Map<String, Object>> frames = frames(graph);
            // root's binaries are read through /proc/PID/root and /proc/PID/maps: native frames have names
            assertTrue(
                    frames.stream()
                            .anyMatch(f -> "native".equals(f.get("kind")) && !((String) f.get("name")).contains("+0x")),
                    "no named native frame: "
                            + frames.stream().map(f -> f.get("name")).toList());
            // kernel symbols come with addresses only with CAP_SYSLOG
            for (Map<String, Object> f : frames) {
                if ("kernel".equals(f.get("kind")))
                    assertFalse(((String) f.get("name")).contains("+0x"), "unnamed kernel frame " + f.get("name"));
            }
            new ProcessBuilder("kill", "-TERM", Long.toString(agent.pid()))
                    .start()
                    .waitFor();
            assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "agent stops on SIGTERM");
            String out = Files.readString(log);
            assertTrue(out.contains("stopped"), out);
            // root's JVM is left to eBPF at once: HotSpot would refuse a non-root agent's attach whatever its
            // capabilities
            assertTrue(out.contains("attach impossible: HotSpot takes attach requests only from root"), out);
        } finally {
            agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            workload.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anAgentAsRootWithOnlyTheUnitsCapabilitiesAttachesToAnotherUsersJvm() throws Exception {
        Privileges.assumeRootOrCi("loads BPF programs and attaches to JVMs");
        String service = "unit-caps-" + TestTokens.newToken().substring(0, 8);
        String caps = "-all"
                + DeployManifestsTest.unitCapabilities().stream()
                        .map(c -> ",+" + c.toLowerCase())
                        .reduce("", String::concat);
        long from = System.currentTimeMillis();
        // a JVM of another user, on the one folder of classes nobody can read
        Path classes = Path.of(Workload.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        ProcessBuilder jvm = new ProcessBuilder(
                        "/usr/bin/setpriv",
                        "--reuid=nobody",
                        "--regid=nogroup",
                        "--clear-groups",
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:+PreserveFramePointer",
                        "-cp",
                        classes.toString(),
                        Workload.class.getName(),
                        "1",
                        "1",
                        "2",
                        dir.resolve("never").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        jvm.environment().put("HEARTH_SERVICE", service);
        Process workload = jvm.start();
        Path log = dir.resolve("root-agent.log");
        Path state = Files.createDirectories(dir.resolve("root-agent"));
        // and the unit's UMask=0077: what others must read (async-profiler's library and folder) gets its mode
        // explicitly
        Process agent = withoutMaven(new ProcessBuilder(
                        "/usr/bin/setpriv",
                        "--bounding-set=" + caps,
                        "--inh-caps=-all",
                        bin.resolve("bash").toString(),
                        "-c",
                        "umask 0077 && exec \"$0\" \"$@\"",
                        install.resolve("hearth").toString(),
                        "agent",
                        "--collector",
                        "http://127.0.0.1:" + port,
                        "--token-file",
                        TestTokens.write(state.resolve("token"), token).toString(),
                        "--pid",
                        Long.toString(workload.pid()),
                        "--period",
                        "2s",
                        "--hz",
                        "499",
                        "--host",
                        "unit-caps-host",
                        "--run-dir",
                        state.resolve("run").toString(),
                        "--spool-dir",
                        state.resolve("spool").toString(),
                        "--metrics-port",
                        "-1"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            long deadline = System.currentTimeMillis() + 90_000;
            for (; ; ) {
                assertTrue(agent.isAlive(), "agent exited: " + Files.readString(log));
                // async-profiler inside nobody's JVM: SIGQUIT (CAP_KILL), its attach socket (CAP_DAC_OVERRIDE), the
                // session folder handed to its user (CAP_CHOWN) and read back (CAP_DAC_READ_SEARCH)
                Http.Reply r = http.get(Http.query(
                        "/api/v1/flamegraph",
                        "service",
                        service,
                        "type",
                        "cpu",
                        "value",
                        "samples",
                        "from",
                        from - 60_000,
                        "until",
                        System.currentTimeMillis() + 60_000,
                        "labels",
                        "jvm_profiler=async-profiler"));
                if (r.status() == 200
                        && frames(r.json()).stream().anyMatch(f -> EndToEndTest.ALPHA.equals(f.get("name")))) break;
                if (System.currentTimeMillis() > deadline)
                    fail("no " + EndToEndTest.ALPHA + " in " + service + ": " + r.text() + "\n"
                            + Files.readString(log));
                Thread.sleep(1000);
            }
            new ProcessBuilder("kill", "-TERM", Long.toString(agent.pid()))
                    .start()
                    .waitFor();
            assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "agent stops on SIGTERM");
            assertTrue(Files.readString(log).contains("stopped"), Files.readString(log));
        } finally {
            agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            workload.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theSystemdUnitsVerifyAgainstTheInstall() throws Exception {
        Path units = Files.createDirectories(dir.resolve("units"));
        List<String> names = List.of("hearth-agent.service", "hearth-collector.service");
        for (String name : names) {
            // the units name /opt/hearth, where the docs unpack the tarball: here it is this install
            String text = Files.readString(install.resolve("deploy/systemd").resolve(name));
            assertTrue(text.contains("/opt/hearth/hearth "), name);
            Files.writeString(units.resolve(name), text.replace("/opt/hearth/", install + "/"));
        }
        List<String> verify = new ArrayList<>(List.of("systemd-analyze", "verify"));
        names.forEach(n -> verify.add(units.resolve(n).toString()));
        Run v = run(new ProcessBuilder(verify), 60);
        assertEquals(0, v.status(), v.output());
        assertTrue(v.output().isBlank(), "systemd-analyze verify warned: " + v.output());
        // exposure on systemd's 0-100 scale: the collector has nothing to spare, the agent keeps what profiling needs
        for (var limit : Map.of("hearth-collector.service", 20, "hearth-agent.service", 50)
                .entrySet()) {
            Run s = run(
                    new ProcessBuilder(
                            "systemd-analyze",
                            "security",
                            "--offline=yes",
                            "--threshold=" + limit.getValue(),
                            units.resolve(limit.getKey()).toString()),
                    60);
            assertEquals(0, s.status(), s.output());
        }
        List<String> bounding = Files.readAllLines(units.resolve("hearth-agent.service")).stream()
                .filter(l -> l.startsWith("CapabilityBoundingSet="))
                .flatMap(l -> List.of(l.substring(22).split(" ")).stream())
                .toList();
        for (String c : AGENT_CAPABILITIES)
            assertTrue(
                    bounding.contains("CAP_" + c.toUpperCase()),
                    "the agent unit lacks CAP_" + c.toUpperCase() + ": " + bounding);
    }

    @Test
    void theDockerfilesAddTheTarballThatDistWrites() throws Exception {
        String version =
                tarball.getFileName().toString().replaceFirst("^hearth-", "").replaceFirst("\\.tar\\.gz$", "");
        for (String name : List.of("agent.Dockerfile", "collector.Dockerfile")) {
            String text = Files.readString(install.resolve("deploy/docker").resolve(name));
            assertTrue(text.contains("ADD hearth-${VERSION}.tar.gz /opt/"), name);
            assertTrue(text.contains("ln -s /opt/hearth-${VERSION} /opt/hearth"), name);
            assertEquals(install.getFileName().toString(), "hearth-" + version, "the tarball's top folder");
            assertTrue(text.contains("ENTRYPOINT [\"/opt/hearth/hearth\""), name);
            assertTrue(text.contains("FROM eclipse-temurin:17-jre"), "a JRE base image: " + name);
        }
    }

    /** An empty environment but for a PATH of bash, dirname and java. */
    static ProcessBuilder withoutMaven(ProcessBuilder pb) {
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        return pb;
    }

    private static Process startWorkload(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:+PreserveFramePointer",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Workload.class.getName(),
                        "1",
                        "1",
                        "2",
                        dir.resolve("never").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        return pb.start();
    }

    private static void giveToNobody(Path... paths) throws Exception {
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        GroupPrincipal nogroup = users.lookupPrincipalByGroupName("nogroup");
        for (Path p : paths) {
            Files.setOwner(p, users.lookupPrincipalByName("nobody"));
            Files.getFileAttributeView(p, PosixFileAttributeView.class).setGroup(nogroup);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> frames(Map<String, Object> graph) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<Map<String, Object>> todo = new ArrayList<>(List.of((Map<String, Object>) graph.get("root")));
        while (!todo.isEmpty()) {
            Map<String, Object> n = todo.remove(todo.size() - 1);
            out.add(n);
            todo.addAll((List<Map<String, Object>>) n.get("children"));
        }
        return out;
    }

    private static int awaitPort(Process p, StringBuilder log) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader out =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = out.readLine()) != null; ) {
                            synchronized (log) {
                                log.append(line).append('\n');
                            }
                            Matcher m = LISTENING.matcher(line);
                            if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                        }
                    } catch (Exception gone) {
                        // the process went away
                    }
                    port.completeExceptionally(new IllegalStateException("collector exited before listening:\n" + log));
                },
                "dist-collector-output");
        reader.setDaemon(true);
        reader.start();
        return port.get(90, TimeUnit.SECONDS);
    }

    private static Path which(String tool) {
        for (String d : List.of("/usr/bin", "/bin")) {
            if (Files.isExecutable(Path.of(d, tool))) return Path.of(d, tool);
        }
        throw new IllegalStateException("no " + tool);
    }

    record Run(int status, String output) {}

    private static Run run(ProcessBuilder pb, int seconds) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (Exception e) {
                return e.toString();
            }
        });
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out after " + seconds + " s: " + pb.command() + "\n" + out.getNow(""));
        }
        return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS));
    }
}
