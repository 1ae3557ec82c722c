package dev.hearth.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.pprof.StackFrame;
import dev.hearth.symbolizer.Symbolizer;
import dev.hearth.symbolizer.SymbolizerOptions;
import dev.hearth.symbolizer.procfs.PidStat;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The frame cache against a real process whose code changes under the same addresses. */
class SymbolizingResolverTest {
    private static final long[] NONE = new long[0];

    @TempDir
    Path tmp;

    private Process process;
    private BufferedReader out;
    private PrintWriter in;
    private long function;
    private long jit;
    private Symbolizer symbolizer;
    private SymbolizingResolver resolver;

    @BeforeEach
    void start() throws Exception {
        process = new ProcessBuilder(Workloads.compile(tmp, "remap").toString()).start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream()));
        in = new PrintWriter(process.getOutputStream(), true);
        String[] addrs = out.readLine().split(" ");
        function = Long.parseUnsignedLong(addrs[0], 16);
        jit = Long.parseUnsignedLong(addrs[1], 16);
        // the perf map may be re-read on every miss, so a test need not wait
        symbolizer = new Symbolizer(new SymbolizerOptions(false, 16, Duration.ZERO));
        resolver = new SymbolizingResolver(symbolizer);
    }

    @AfterEach
    void stop() throws Exception {
        process.destroyForcibly().waitFor();
        symbolizer.close();
        // killed, the process cannot remove its map; left behind it would name a later process's JIT code
        Files.deleteIfExists(Path.of("/tmp/perf-" + process.pid() + ".map"));
    }

    private StackFrame leaf(long addr) {
        return resolver.resolve(pid(), new long[] {addr}, NONE).get(0);
    }

    private int pid() {
        return (int) process.pid();
    }

    private void command(String line) throws Exception {
        in.println(line);
        assertEquals("ok", out.readLine(), "the process's answer to " + line);
    }

    @Test
    void aNamedFrameIsSymbolizedOnceAndThenServedFromTheCache() {
        assertEquals("named_function", leaf(function).name());
        assertEquals(0, resolver.cacheHits());
        assertEquals("named_function", leaf(function).name());
        assertEquals(1, resolver.cacheHits());
    }

    @Test
    void framesThatCouldNotBeNamedAreAskedForAgainNextPeriod() {
        long unmapped = 0x10;
        String name = leaf(unmapped).name();
        assertTrue(name.startsWith("["), name);
        leaf(unmapped);
        assertEquals(1, resolver.unnamedCacheHits(), "kept for the rest of the period");
        resolver.endPeriod();
        leaf(unmapped);
        assertEquals(1, resolver.unnamedCacheHits(), "asked for again");
        assertEquals(0, resolver.cacheHits());
    }

    @Test
    void anAddressOutsideEveryMappingDoesNotEmptyTheCacheWhenTheMapsAreUnchanged() throws Exception {
        assertEquals("named_function", leaf(function).name());
        Thread.sleep(300); // past the symbolizer's limit on re-reading the maps
        leaf(0x10); // a bad unwind: the maps are read again, and found unchanged
        assertEquals("named_function", leaf(function).name());
        assertEquals(1, resolver.cacheHits());
    }

    @Test
    void anExecDropsTheProcessFramesAtTheNextPeriod() throws Exception {
        // no need for address randomization: the exec stamp includes where the code ends, and another
        // program's code ends elsewhere even when it is loaded at the same base
        assertEquals("named_function", leaf(function).name());
        in.println("exec");
        Path exe = Path.of("/proc", Integer.toString(pid()), "exe");
        for (int i = 0;
                i < 500 && !Files.readSymbolicLink(exe).getFileName().toString().equals("sleep");
                i++) Thread.sleep(10);
        assertEquals("sleep", Files.readSymbolicLink(exe).getFileName().toString(), "the process exec'd");
        resolver.endPeriod();
        StackFrame after = leaf(function);
        assertNotEquals("named_function", after.name(), "the old program's frame after exec: " + after);
        assertEquals(0, resolver.cacheHits());
    }

    @Test
    void anAddressTheJitReusesIsRenamedOnceTheSymbolizerReloadsThePerfMap() throws Exception {
        command("jit first_method");
        assertEquals("first_method", leaf(jit + 0x10).name());
        command("jit second_method");
        assertEquals("first_method", leaf(jit + 0x10).name(), "cached until the symbolizer looks again");
        // an address the map does not name makes the symbolizer reload the map: the cache follows
        assertTrue(leaf(jit + 0x800).name().startsWith("["));
        assertEquals("second_method", leaf(jit + 0x10).name());
    }

    @Test
    void anExitedProcessIsForgotten() {
        leaf(function);
        assertTrue(resolver.cachedFrames() > 0);
        resolver.forget(pid());
        assertEquals(0, resolver.cachedFrames());
    }

    @Test
    void execStampParsesCommandNamesWithSpacesAndParentheses() {
        String stat = "42 (a) b (c) S 1 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 500 1000 100 "
                + "18446744073709551615 94000000000000 94000000001000 140700000000000 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        assertEquals(
                new ExecStamp(94000000000000L, 94000000001000L, 140700000000000L), ExecStamp.of(PidStat.parse(stat)));
        assertEquals(ExecStamp.NONE, ExecStamp.read(tmp.resolve("gone")));
    }
}
