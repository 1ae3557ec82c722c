package dev.hearth.symbolizer;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.StackFrame;
import dev.hearth.testsupport.Jdks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Demangling checked against c++filt (binutils) on every C++ symbol of real libjvm.so and libstdc++. */
class DemanglerTest {
    static final Path JDK17_JVM = Path.of(System.getProperty("java.home"), "lib/server/libjvm.so");

    @Test
    void knownNames() {
        assertEquals("SafepointSynchronize::begin()", Demangler.demangle("_ZN20SafepointSynchronize5beginEv"));
        assertEquals(
                "JavaThread::JavaThread(void (*)(JavaThread*, JavaThread*), unsigned long)",
                Demangler.demangle("_ZN10JavaThreadC1EPFvPS_S0_Em"));
        assertEquals("std::basic_ostream<char, std::char_traits<char> >::flush()", Demangler.demangle("_ZNSo5flushEv"));
        assertEquals(
                "initialize(JavaThread*) [clone .isra.0]", Demangler.demangle("_ZL10initializeP10JavaThread.isra.0"));
        assertEquals("vtable for Thread", Demangler.demangle("_ZTV6Thread"));
        assertEquals(
                "LogPrefix<(LogTag::type)112, (LogTag::type)15, (LogTag::type)154, (LogTag::type)0, (LogTag::type)0, (LogTag::type)0>::prefix(char*, unsigned long)",
                Demangler.demangle("_ZN9LogPrefixILN6LogTag4typeE112ELS1_15ELS1_154ELS1_0ELS1_0ELS1_0EE6prefixEPcm"));
    }

    @Test
    void notMangledOrBrokenNamesAreKept() {
        assertNull(Demangler.demangle("malloc"));
        assertNull(Demangler.demangle("_ZN3foo"), "truncated");
        assertNull(Demangler.demangle("_ZN3fooEvXYZ"), "trailing junk");
        assertEquals("_ZN3foo", Demangler.demangleOrSelf("_ZN3foo"));
        assertEquals("memcpy", Demangler.demangleOrSelf("memcpy"));
    }

    @Test
    void deepNestingIsRefusedOnTheAgentsStackSize() throws Exception {
        String deep = HostileNames.nested(5000);
        Demangler.Named n = onAgentStack(() -> Demangler.name(deep));
        assertEquals(new Demangler.Named(deep, false), n, "kept raw, and counted as not read");
        String justDeepEnough = HostileNames.nested(DemangleNode.MAX_DEPTH - 8);
        assertEquals(
                Tools.run(List.of("c++filt", justDeepEnough)).trim(),
                onAgentStack(() -> Demangler.demangle(justDeepEnough)));
    }

    @Test
    void doublingSubstitutionsAreCutAtTheBoundAsAPrefixOfTheWholeName() throws Exception {
        String small = HostileNames.doubling(4);
        assertEquals(Tools.run(List.of("c++filt", small)).trim(), Demangler.demangle(small));
        String huge = HostileNames.doubling(21);
        assertEquals(223, huge.length());
        String whole = Tools.run(List.of("c++filt", huge)).trim();
        assertEquals(54_525_852, whole.length(), "c++filt prints it whole");
        Demangler.Named n = onAgentStack(() -> Demangler.name(huge));
        assertFalse(n.complete());
        assertEquals(Demangler.MAX_NAME + Demangler.CUT.length(), n.name().length());
        assertTrue(n.name().endsWith(Demangler.CUT));
        assertEquals(whole.substring(0, Demangler.MAX_NAME), n.name().substring(0, Demangler.MAX_NAME));
        for (int groups : new int[] {23, 40, 200}) {
            String bigger = HostileNames.doubling(groups);
            Demangler.Named b = onAgentStack(() -> Demangler.name(bigger));
            assertFalse(b.complete(), bigger);
            assertEquals(n.name(), b.name(), "the same start, the same cut, whatever the size it would print");
        }
    }

    @Test
    void aHostileNameCostsBoundedMemory() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (String name :
                List.of(HostileNames.doubling(23), HostileNames.doubling(200), HostileNames.nested(100_000))) {
            long allocated = onAgentStack(() -> {
                long before = threads.getCurrentThreadAllocatedBytes();
                Demangler.name(name);
                return threads.getCurrentThreadAllocatedBytes() - before;
            });
            // the work bound in characters, a few times over for the builders' growth and the parse tree
            assertTrue(
                    allocated < 8L * Demangler.MAX_WORK,
                    allocated + " bytes allocated for " + name.length() + " characters");
        }
    }

    /** Runs {@code task} on a thread with the agent's stack size (-Xss512k in the launcher). */
    static <T> T onAgentStack(java.util.concurrent.Callable<T> task) throws Exception {
        var result = new java.util.concurrent.atomic.AtomicReference<T>();
        var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        Thread t = new Thread(
                null,
                () -> {
                    try {
                        result.set(task.call());
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                },
                "agent-stack",
                512 * 1024);
        t.start();
        t.join();
        if (failure.get() != null) throw new AssertionError("thrown on a 512 KiB stack", failure.get());
        return result.get();
    }

    @Test
    void agreesWithCxxFiltOnLibstdcxx() throws Exception {
        Path lib = Path.of(Tools.run(List.of("gcc", "-print-file-name=libstdc++.so.6"))
                        .trim())
                .toRealPath();
        assertAgreement(symbols(lib, true), 1.0);
    }

    @Test
    void agreesWithCxxFiltOnJdk17Libjvm() throws Exception {
        assertAgreement(symbols(JDK17_JVM, false), 0.9995);
    }

    @Test
    void agreesWithCxxFiltOnTemurin25Libjvm() throws Exception {
        // a handful of lambdas nested in template arguments print differently (c++filt drops a return type)
        assertAgreement(symbols(Jdks.require(25).resolve("lib/server/libjvm.so"), false), 0.999);
    }

    private static List<String> symbols(Path lib, boolean dynamic) throws Exception {
        assertTrue(Files.exists(lib), lib + " is installed");
        List<String> cmd = new ArrayList<>(List.of("nm", "--defined-only"));
        if (dynamic) cmd.add("-D");
        cmd.add(lib.toString());
        List<String> out = new ArrayList<>();
        for (String line : Tools.run(cmd).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[2].startsWith("_Z")) out.add(f[2].replaceAll("@.*", ""));
        }
        assertTrue(out.size() > 1000, "symbols of " + lib + ": " + out.size());
        return out;
    }

    private static void assertAgreement(List<String> mangled, double minShare) throws Exception {
        String[] expected =
                Tools.run(List.of("c++filt"), String.join("\n", mangled) + "\n").split("\n");
        assertEquals(mangled.size(), expected.length);
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < mangled.size(); i++) {
            String ours = Demangler.demangleOrSelf(mangled.get(i));
            if (!ours.equals(expected[i]))
                differing.add(mangled.get(i) + "\n  ours:     " + ours + "\n  c++filt:  " + expected[i]);
        }
        double share = 1.0 - (double) differing.size() / mangled.size();
        assertTrue(
                share >= minShare,
                differing.size() + " of " + mangled.size() + " differ, e.g.\n"
                        + String.join("\n", differing.subList(0, Math.min(5, differing.size()))));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "_ZN20SafepointSynchronize5beginEv",
                "_ZN13ObjectMonitor4waitElbP10JavaThread",
                "_ZN9JavaCalls11call_helperEP9JavaValueRK12methodHandleP17JavaCallArgumentsP10JavaThread"
            })
    void realLibjvmSymbolsResolveInThisJvm(String mangled) throws Exception {
        long vaddr = Tools.nmValue(JDK17_JVM, mangled);
        // where libjvm.so is mapped in this very process: the mapping at file offset 0 is its base
        int pid = (int) ProcessHandle.current().pid();
        MapsParser maps = MapsParser.parse(Files.readString(Path.of("/proc/self/maps")));
        String libjvm = JDK17_JVM.toRealPath().toString();
        Mapping base = maps.all().stream()
                .filter(m -> m.path().equals(libjvm) && m.fileOffset() == 0)
                .findFirst()
                .orElseThrow(() -> new AssertionError("libjvm.so not mapped here"));
        try (Symbolizer s = new Symbolizer(SymbolizerOptions.defaults())) {
            StackFrame f = s.user(pid, new long[] {base.start() + vaddr + 2}).get(0);
            assertEquals(expectedName(mangled), f.name());
            assertEquals(FrameKind.CPP, f.kind());
            assertEquals(JDK17_JVM.toRealPath().toString(), f.binary());
            assertEquals(Tools.buildId(JDK17_JVM), f.buildId());
        }
    }

    private static String expectedName(String mangled) throws Exception {
        return Tools.run(List.of("c++filt", mangled)).trim();
    }
}
