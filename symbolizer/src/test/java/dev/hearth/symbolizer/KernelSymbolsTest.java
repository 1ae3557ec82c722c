package dev.hearth.symbolizer;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.StackFrame;
import dev.hearth.testsupport.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelSymbolsTest {
    @Test
    void namesAddressesInsideFunctionsAndKeepsModules(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("kallsyms");
        Files.writeString(
                f,
                String.join(
                        "\n",
                        "ffffffff81000000 T _stext",
                        "ffffffff81001000 t local_fn",
                        "ffffffff81001000 T global_alias",
                        "ffffffff81002000 D some_data",
                        "ffffffff81003000 T do_sys_openat2",
                        "ffffffffc0201000 t nft_do_chain\t[nf_tables]",
                        "0000000000000000 T hidden",
                        ""));
        KernelSymbols k = KernelSymbols.load(f);
        assertEquals(
                StackFrame.ofAddress("global_alias", FrameKind.KERNEL, "[kernel.kallsyms]", null, 0xffffffff81001010L),
                k.frame(0xffffffff81001010L, 0xffffffff81001010L));
        assertEquals(
                "global_alias",
                k.frame(0xffffffff81002010L, 0xffffffff81002010L).name(),
                "data symbols are not frames");
        assertEquals(
                "do_sys_openat2",
                k.frame(0xffffffff81003abcL, 0xffffffff81003abcL).name());
        StackFrame mod = k.frame(0xffffffffc0201044L, 0xffffffffc0201044L);
        assertEquals("nft_do_chain", mod.name());
        assertEquals("[nf_tables]", mod.binary());
        assertNull(k.frame(0xffffffff80000000L, 0xffffffff80000000L));
    }

    @Test
    void realKallsymsResolveThroughSymbolizer() throws Exception {
        Privileges.assumeRootOrCi("kernel addresses in /proc/kallsyms are hidden from other users");
        long addr = 0;
        for (String line : Files.readAllLines(Path.of("/proc/kallsyms"))) {
            String[] p = line.split("\\s+");
            if (p.length >= 3 && p[2].equals("do_sys_openat2")) addr = Long.parseUnsignedLong(p[0], 16);
        }
        assertNotEquals(0, addr, "do_sys_openat2 in /proc/kallsyms");
        try (Symbolizer s = new Symbolizer(SymbolizerOptions.defaults())) {
            List<StackFrame> frames = s.kernel(new long[] {addr + 4, 1});
            assertEquals("do_sys_openat2", frames.get(0).name());
            assertEquals(FrameKind.KERNEL, frames.get(0).kind());
            assertEquals(FrameKind.UNKNOWN, frames.get(1).kind(), "address 1 is below every kernel symbol");
            assertEquals(1, s.stats().unknown());
        }
    }
}
