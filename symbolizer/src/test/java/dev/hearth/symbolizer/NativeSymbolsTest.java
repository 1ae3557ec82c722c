package dev.hearth.symbolizer;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.StackFrame;
import dev.hearth.testsupport.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A C program compiled by the test resolves to its own function names: PIE, non-PIE, stripped with a debug file. */
class NativeSymbolsTest {
    @TempDir
    static Path dir;

    static Path pie, noPie, stripped, debug, bare;

    @BeforeAll
    static void compile() throws Exception {
        Path src =
                Path.of(NativeSymbolsTest.class.getResource("/hearth_target.c").toURI());
        pie = dir.resolve("target-pie");
        noPie = dir.resolve("target-nopie");
        Tools.run(List.of("gcc", "-O1", "-fPIE", "-pie", "-Wl,--build-id", "-o", pie.toString(), src.toString()));
        Tools.run(
                List.of("gcc", "-O1", "-fno-pie", "-no-pie", "-Wl,--build-id", "-o", noPie.toString(), src.toString()));
        debug = dir.resolve("target-stripped.debug");
        stripped = dir.resolve("target-stripped");
        bare = dir.resolve("target-bare");
        Tools.run(List.of("objcopy", "--only-keep-debug", pie.toString(), debug.toString()));
        Tools.run(
                List.of("objcopy", "--strip-all", "--add-gnu-debuglink=" + debug, pie.toString(), stripped.toString()));
        Tools.run(List.of("objcopy", "--strip-all", pie.toString(), bare.toString()));
    }

    /** Leaf first; callers hold return addresses, so they are given one byte past the function start. */
    static long[] stack(TargetProcess t) {
        return new long[] {t.alpha, t.beta + 1, t.local + 1, t.getpid + 1};
    }

    @Test
    void pieExecutableResolvesWithFileOffsetsAndBuildId() throws Exception {
        try (TargetProcess t = TargetProcess.start(pie);
                Symbolizer s = new Symbolizer(SymbolizerOptions.defaults())) {
            List<StackFrame> frames = s.user(t.pid, stack(t));
            assertEquals(List.of("hearth_alpha", "hearth_beta", "hearth_local", "getpid"), names(frames));
            StackFrame alpha = frames.get(0);
            assertEquals(FrameKind.NATIVE, alpha.kind());
            assertEquals(pie.toString(), alpha.binary());
            assertEquals(Tools.buildId(pie), alpha.buildId());
            // this PIE maps its text at file offset == virtual address, as readelf shows for gcc/ld's layout
            assertEquals(Tools.nmValue(pie, "hearth_alpha"), alpha.offset());
            assertEquals(
                    Tools.nmValue(pie, "hearth_beta") + 1, frames.get(1).offset(), "offset is of the address itself");
            assertTrue(frames.get(3).binary().contains("libc.so"), frames.get(3).binary());
            assertEquals(
                    Tools.buildId(Path.of(frames.get(3).binary())),
                    frames.get(3).buildId());
            assertEquals(4, s.stats().resolved());
            assertEquals(0, s.stats().unknown());
        }
    }

    @Test
    void vdsoFramesAreNamedFromTheKernelsImage() throws Exception {
        try (TargetProcess t = TargetProcess.start(pie);
                Symbolizer s = new Symbolizer(SymbolizerOptions.defaults())) {
            assertNotEquals(0, t.vdsoClock, "the target found __vdso_clock_gettime");
            StackFrame f = s.user(t.pid, new long[] {t.vdsoClock + 3}).get(0);
            assertEquals("[vdso]", f.binary());
            assertEquals(FrameKind.NATIVE, f.kind());
            // the vDSO exports clock_gettime as a weak alias of __vdso_clock_gettime: the public name wins
            assertEquals("clock_gettime", f.name());
        }
    }

    @Test
    void otherJitsAreNamedFromTheirOwnPerfMap() throws Exception {
        try (TargetProcess t = TargetProcess.start(pie);
                Symbolizer s = new Symbolizer(new SymbolizerOptions(true, 8, java.time.Duration.ZERO))) {
            Path map = Path.of("/tmp/perf-" + t.pid + ".map");
            try {
                StackFrame none = s.user(t.pid, new long[] {t.jitPage + 8}).get(0);
                assertEquals(
                        StackFrame.ofAddress(
                                "[anon]+0x" + Long.toHexString(t.jitPage + 8),
                                FrameKind.UNKNOWN,
                                "[anon]",
                                null,
                                t.jitPage + 8),
                        none,
                        "no perf map: an unknown frame, not a JVM's [jit]");
                Files.writeString(map, Long.toHexString(t.jitPage) + " 40 LazyCompile:*handle server.js:12\n");
                StackFrame named = s.user(t.pid, new long[] {t.jitPage + 8}).get(0);
                assertEquals(
                        StackFrame.ofAddress(
                                "LazyCompile:*handle server.js:12", FrameKind.JIT, "[jit]", null, t.jitPage + 8),
                        named);
                assertEquals(0, s.stats().perfMapRequests(), "only JVMs are asked");
            } finally {
                Files.deleteIfExists(map);
            }
        }
    }

    @Test
    void nonPieExecutableResolves() throws Exception {
        try (TargetProcess t = TargetProcess.start(noPie);
                Symbolizer s = new Symbolizer(SymbolizerOptions.defaults())) {
            List<StackFrame> frames = s.user(t.pid, new long[] {t.alpha, t.beta + 1, t.local + 1});
            assertEquals(List.of("hearth_alpha", "hearth_beta", "hearth_local"), names(frames));
            long segmentBase = 0x400000; // ld's default for non-PIE x86-64: vaddr = 0x400000 + file offset
            assertEquals(
                    Tools.nmValue(noPie, "hearth_alpha") - segmentBase,
                    frames.get(0).offset());
        }
    }

    @Test
    void strippedBinaryIsNamedThroughItsDebugLink() throws Exception {
        assertThrows(
                AssertionError.class, () -> Tools.nmValue(stripped, "hearth_local"), "the copy really is stripped");
        try (TargetProcess t = TargetProcess.start(stripped);
                Symbolizer s = new Symbolizer(SymbolizerOptions.defaults())) {
            List<StackFrame> frames = s.user(t.pid, stack(t));
            assertEquals(List.of("hearth_alpha", "hearth_beta", "hearth_local", "getpid"), names(frames));
            assertEquals(stripped.toString(), frames.get(0).binary());
            assertEquals(Tools.buildId(pie), frames.get(0).buildId(), "the stripped copy keeps the build-id");
        }
    }

    @Test
    void binaryWithoutSymbolsGivesUnknownFramesTiedToIt() throws Exception {
        try (TargetProcess t = TargetProcess.start(bare);
                Symbolizer s = new Symbolizer(SymbolizerOptions.defaults())) {
            List<StackFrame> frames = s.user(t.pid, stack(t));
            assertEquals(4, frames.size());
            StackFrame f = frames.get(0);
            assertEquals(FrameKind.UNKNOWN, f.kind());
            assertEquals(bare.toString(), f.binary());
            assertEquals("target-bare+0x" + Long.toHexString(f.offset()), f.name());
            assertEquals(Tools.nmValue(pie, "hearth_alpha"), f.offset());
            assertEquals("getpid", frames.get(3).name(), "libc still resolves");
            assertEquals(3, s.stats().unknown());
            assertEquals(1, s.stats().resolved());
        }
    }

    @Test
    void addressesOutsideEveryMappingAreUnknownNotDropped() throws Exception {
        try (TargetProcess t = TargetProcess.start(pie);
                Symbolizer s = new Symbolizer(SymbolizerOptions.defaults())) {
            List<StackFrame> frames = s.user(t.pid, new long[] {16, t.alpha + 1, 0xffff_ffff_ffff_0000L});
            assertEquals(3, frames.size());
            assertEquals(StackFrame.ofAddress("[unknown]", FrameKind.UNKNOWN, null, null, 16), frames.get(0));
            assertEquals("hearth_alpha", frames.get(1).name());
            assertEquals(FrameKind.UNKNOWN, frames.get(2).kind());
        }
    }

    @Test
    void brokenElfFilesGiveClearErrors() throws Exception {
        Path text = dir.resolve("not-elf");
        Files.writeString(text, "#!/bin/sh\necho hi\n");
        assertEquals(
                "not an ELF file",
                assertThrows(java.io.IOException.class, () -> BinaryLoader.load(text, "/x", null))
                        .getMessage());
        byte[] whole = Files.readAllBytes(pie);
        for (int cut : new int[] {70, 1000, whole.length / 2}) {
            Path truncated = dir.resolve("truncated-" + cut);
            Files.write(truncated, java.util.Arrays.copyOf(whole, cut));
            assertThrows(java.io.IOException.class, () -> BinaryLoader.load(truncated, "/x", null), "cut at " + cut);
        }
        Path elf32 = dir.resolve("elf32");
        byte[] b = whole.clone();
        b[4] = 1; // ELFCLASS32
        Files.write(elf32, b);
        assertEquals(
                "not a 64-bit ELF file",
                assertThrows(java.io.IOException.class, () -> BinaryLoader.load(elf32, "/x", null))
                        .getMessage());
    }

    @Test
    void badInputIsRefusedClearly() {
        try (Symbolizer s = new Symbolizer(SymbolizerOptions.defaults())) {
            assertThrows(NullPointerException.class, () -> s.user(1, null));
            assertThrows(IllegalArgumentException.class, () -> s.user(0, new long[] {1}));
            assertThrows(NullPointerException.class, () -> s.kernel(null));
            assertEquals(List.of(), s.user(1, new long[0]));
            s.close();
            assertThrows(IllegalStateException.class, () -> s.user(1, new long[] {1}));
        }
        assertThrows(IllegalArgumentException.class, () -> new SymbolizerOptions(true, 0, java.time.Duration.ZERO));
        assertThrows(
                IllegalArgumentException.class, () -> new SymbolizerOptions(true, 1, java.time.Duration.ofSeconds(-1)));
    }

    @Test
    void exitedProcessYieldsUnknownFramesOrItsCachedMaps() throws Exception {
        TargetProcess t = TargetProcess.start(pie);
        try (Symbolizer seen = new Symbolizer(SymbolizerOptions.defaults());
                Symbolizer fresh = new Symbolizer(SymbolizerOptions.defaults())) {
            assertEquals(
                    "hearth_alpha",
                    seen.user(t.pid, new long[] {t.alpha}).get(0).name());
            t.stop();
            assertFalse(Files.exists(Path.of("/proc/" + t.pid)), "target has exited");
            assertEquals(
                    "hearth_beta",
                    seen.user(t.pid, new long[] {t.beta}).get(0).name(),
                    "maps read before the exit still serve");
            List<StackFrame> frames = fresh.user(t.pid, stack(t));
            assertEquals(4, frames.size());
            assertTrue(frames.stream().allMatch(f -> f.kind() == FrameKind.UNKNOWN), frames.toString());
            assertEquals(4, fresh.stats().unknown());
            seen.forget(t.pid);
            assertEquals(
                    FrameKind.UNKNOWN,
                    seen.user(t.pid, new long[] {t.beta}).get(0).kind(),
                    "forgotten");
        }
    }

    @Test
    void deletedButMappedBinaryIsReadThroughMapFiles() throws Exception {
        Privileges.assumeRootOrCi("opening /proc/PID/map_files needs CAP_SYS_ADMIN");
        Path copy = dir.resolve("target-deleted");
        Files.copy(pie, copy);
        try (TargetProcess t = TargetProcess.start(copy);
                Symbolizer s = new Symbolizer(SymbolizerOptions.defaults())) {
            Files.delete(copy);
            List<StackFrame> frames = s.user(t.pid, stack(t));
            assertEquals(List.of("hearth_alpha", "hearth_beta", "hearth_local", "getpid"), names(frames));
            assertEquals(copy.toString(), frames.get(0).binary());
        }
    }

    @Test
    void binaryInAnotherMountNamespaceIsReadThroughProcRoot() throws Exception {
        Privileges.assumeRootOrCi("unshare of a mount namespace needs root");
        Path hidden = dir.resolve("ns-bin");
        Files.createDirectories(hidden);
        Files.copy(pie, hidden.resolve("target"));
        // Inside its own mount namespace the program lives at a path that does not exist on the host.
        String inside = "/run/hearth-ns-test";
        List<String> cmd = List.of(
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                "mkdir -p " + inside + " && mount --bind " + hidden + " " + inside + " && exec " + inside + "/target");
        try (TargetProcess t = TargetProcess.start(cmd);
                Symbolizer s = new Symbolizer(SymbolizerOptions.defaults())) {
            assertFalse(Files.exists(Path.of(inside + "/target")), "not visible on the host");
            List<StackFrame> frames = s.user(t.pid, stack(t));
            assertEquals(List.of("hearth_alpha", "hearth_beta", "hearth_local", "getpid"), names(frames));
            assertEquals(inside + "/target", frames.get(0).binary());
        }
    }

    @Test
    void debugFileIsFoundByBuildIdInsideTheProcessRoot() throws Exception {
        Privileges.assumeRootOrCi("unshare of a mount namespace needs root");
        String id = Tools.buildId(bare);
        assertNotNull(id);
        // the debug file exists only in the target's own mount namespace, where GDB's layout puts it
        String dirInside = "/usr/lib/debug/.build-id/" + id.substring(0, 2);
        String script = "mount -t tmpfs tmpfs /usr/lib/debug && mkdir -p " + dirInside + " && cp " + debug + " "
                + dirInside + "/" + id.substring(2) + ".debug && exec " + bare;
        List<String> cmd = List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", script);
        try (TargetProcess t = TargetProcess.start(cmd);
                Symbolizer s = new Symbolizer(SymbolizerOptions.defaults())) {
            assertFalse(Files.exists(Path.of(dirInside, id.substring(2) + ".debug")), "not on the host");
            List<StackFrame> frames = s.user(t.pid, stack(t));
            assertEquals(List.of("hearth_alpha", "hearth_beta", "hearth_local", "getpid"), names(frames));
            assertEquals(bare.toString(), frames.get(0).binary());
        }
    }

    @Test
    void oneTableServesEveryProcessOfABinary() throws Exception {
        try (TargetProcess a = TargetProcess.start(pie);
                TargetProcess b = TargetProcess.start(stripped);
                Symbolizer s = new Symbolizer(SymbolizerOptions.defaults())) {
            s.user(a.pid, stack(a));
            long loads = s.stats().binaryLoads();
            s.user(b.pid, stack(b)); // same build-id and libc: nothing new to load
            assertEquals(loads, s.stats().binaryLoads());
            assertTrue(s.stats().cachedBytes() > 0);
        }
    }

    @Test
    void cacheStaysWithinItsBound() throws Exception {
        try (TargetProcess a = TargetProcess.start(pie);
                TargetProcess b = TargetProcess.start(noPie);
                Symbolizer s = new Symbolizer(new SymbolizerOptions(false, 1, java.time.Duration.ZERO))) {
            assertEquals(
                    "hearth_alpha", s.user(a.pid, new long[] {a.alpha}).get(0).name());
            assertEquals(
                    "hearth_alpha", s.user(b.pid, new long[] {b.alpha}).get(0).name());
            assertEquals(
                    "hearth_alpha", s.user(a.pid, new long[] {a.alpha}).get(0).name(), "evicted table is reloaded");
            assertEquals(1, s.stats().cachedBinaries());
            assertEquals(3, s.stats().binaryLoads());
        }
    }

    static List<String> names(List<StackFrame> frames) {
        List<String> out = new ArrayList<>();
        for (StackFrame f : frames) out.add(f.name());
        return out;
    }
}
