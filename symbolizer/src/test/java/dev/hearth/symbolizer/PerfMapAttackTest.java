package dev.hearth.symbolizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.testsupport.Privileges;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The perf map of a JVM run by nobody is nobody's to write: each test lets nobody put something
 * hostile at /tmp/perf-PID.map, then has root symbolize the JVM's JIT code. Root must neither
 * block, nor follow a link, nor hold more than the bounds, and must keep naming frames.
 */
class PerfMapAttackTest {
    private static final List<String> AS_NOBODY =
            List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "sh", "-c", "\"$0\" \"$@\"");
    private static final String SHOP = "dev.hearth.symbolizer.jvmapp.Shop";

    @TempDir
    Path base;

    JvmTarget jvm;
    Path map;
    long checkout;

    @BeforeEach
    void victim() throws Exception {
        Privileges.assumeRootOrCi("the attacker is nobody, root the victim");
        jvm = JvmTarget.start(Path.of(System.getProperty("java.home")), AS_NOBODY);
        map = Path.of("/tmp/perf-" + jvm.pid + ".map");
        Files.deleteIfExists(map);
        checkout = jvm.compiledAddress("Shop.checkout", 60_000);
    }

    @AfterEach
    void stop() throws Exception {
        if (jvm != null) jvm.close();
    }

    private void asNobody(String script) throws Exception {
        Process p = new ProcessBuilder(
                        "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "sh", "-c", script)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "attacker script hung");
        assertEquals(0, p.exitValue(), script + ": " + out);
    }

    private String goodLine(long addr, String name) {
        return Long.toHexString(addr - 8) + " 40 " + name + "\n";
    }

    private static Symbolizer symbolizer() {
        return new Symbolizer(new SymbolizerOptions(false, 16, Duration.ZERO));
    }

    private String name(Symbolizer s) {
        return s.user(jvm.pid, new long[] {checkout}).get(0).name();
    }

    @Test
    void aFifoDoesNotBlockAndSymbolizationGoesOn() throws Exception {
        asNobody("mkfifo " + map);
        try (Symbolizer s = symbolizer()) {
            String first;
            try {
                first = assertTimeoutPreemptively(
                        Duration.ofSeconds(60), () -> name(s), "reading the FIFO blocked the agent");
            } finally {
                // a reader stuck opening the FIFO would keep the symbolizer locked: give it a writer
                new ProcessBuilder("timeout", "2", "sh", "-c", ": > " + map)
                        .start()
                        .waitFor();
            }
            assertEquals("[jit]", first);
            assertEquals(1, s.stats().unsafeFilesRefused());
            asNobody("rm " + map + " && printf '" + goodLine(checkout, "void " + SHOP + ".checkout(long)") + "' > "
                    + map);
            assertEquals(SHOP + ".checkout", name(s), "a proper map is read once it is there");
        }
    }

    @Test
    void aLinkToARootOnlyFileIsNotFollowed() throws Exception {
        Path secret = Files.writeString(base.resolve("secret.map"), goodLine(checkout, "ROOT_ONLY_SECRET"));
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        asNobody("ln -s " + secret + " " + map);
        try (Symbolizer s = symbolizer()) {
            assertEquals("[jit]", name(s), "the secret named a frame: root followed nobody's link");
            assertEquals(1, s.stats().unsafeFilesRefused());
        }
    }

    @Test
    void anOverLongLineIsSkippedAndCountedAndTheRestIsRead() throws Exception {
        // one line of 1 MB (the bound is 4 KB), then the real entry
        asNobody("{ head -c 1048576 /dev/zero | tr '\\0' 'x'; printf '\\n"
                + goodLine(checkout, "void " + SHOP + ".checkout(long)") + "'; } > " + map);
        try (Symbolizer s = symbolizer()) {
            assertEquals(SHOP + ".checkout", name(s));
            assertEquals(1, s.stats().perfMapLinesSkipped());
            assertEquals(0, s.stats().perfMapsTruncated());
        }
    }

    @Test
    void aHugeOneLineMapCostsBoundedMemory() throws Exception {
        // 200 MB without a line end: the old reader built one 200 MB line (400 MB of chars) in a 128 MB agent
        asNobody("head -c 209715200 /dev/zero | tr '\\0' 'x' > " + map);
        try (Symbolizer s = symbolizer()) {
            long allocated = allocatedBytes();
            assertEquals("[jit]", name(s));
            long cost = allocatedBytes() - allocated;
            assertTrue(cost < 8L << 20, "reading the map allocated " + cost + " bytes");
            assertEquals(1, s.stats().perfMapsTruncated());
        }
    }

    @Test
    void anOversizedMapIsReadUpToTheBoundAndCounted() throws Exception {
        // 17 MB of valid entries elsewhere, with this method's entry last: past the 16 MB bound
        String filler = "7f0000000000 10 filler.F.f()\n";
        asNobody("yes '" + filler.strip() + "' | head -c " + (17L << 20) / filler.length() * filler.length() + " > "
                + map + " && printf '" + goodLine(checkout, "void " + SHOP + ".checkout(long)") + "' >> " + map);
        try (Symbolizer s = symbolizer()) {
            assertEquals("[jit]", name(s), "the entry past the bound was read");
            assertEquals(1, s.stats().perfMapsTruncated());
            assertEquals(1, s.stats().perfMapReloads());
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
