package dev.hearth.symbolizer;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.symbolizer.unwind.UnwindResult;
import dev.hearth.symbolizer.unwind.UnwindTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unwind tables agree with binutils: every row {@code readelf --debug-dump=frames-interp} prints,
 * for real binaries of this machine and for programs compiled here, gives the same CFA rule and
 * offset, the same saved-rbp place and the same return-address rule at its first and last address; code outside
 * every FDE is a gap, but for the padding between functions. The PLT's rule is checked against the PLT's own instructions.
 */
class UnwindTableReadelfTest {
    private static final Pattern REG_PLUS = Pattern.compile("(rsp|rbp)\\+(\\d+)");
    private static final Pattern SAVED = Pattern.compile("c(-\\d+)");

    @TempDir
    static Path dir;

    static Path omitFp;
    static Path debugFrameOnly;

    @BeforeAll
    static void compile() throws Exception {
        Path src = Path.of(
                UnwindTableReadelfTest.class.getResource("/unwind_target.c").toURI());
        omitFp = dir.resolve("omit-fp");
        Tools.run(List.of(
                "gcc",
                "-O2",
                "-fomit-frame-pointer",
                "-Wl,-z,lazy",
                "-Wl,--build-id",
                "-o",
                omitFp.toString(),
                src.toString()));
        // no .eh_frame at all: the table comes from .debug_frame
        debugFrameOnly = dir.resolve("debug-frame-only");
        Tools.run(List.of(
                "gcc",
                "-O2",
                "-g",
                "-fno-asynchronous-unwind-tables",
                "-fno-unwind-tables",
                "-nostartfiles",
                "-static",
                "-Wl,--build-id",
                "-e",
                "main",
                "-fno-builtin",
                "-nostdlib",
                "-o",
                debugFrameOnly.toString(),
                writeNoLibc().toString()));
    }

    private static Path writeNoLibc() throws Exception {
        Path src = dir.resolve("nolibc.c");
        java.nio.file.Files.writeString(src, """
                __attribute__((noinline)) long twice(long x) { long a[100]; for (int i = 0; i < 100; i++) a[i] = x + i; return a[x & 63] * 2; }
                __attribute__((noinline)) long outer(long x) { long s = 0; for (int i = 0; i < 10; i++) s += twice(x + i); return s; }
                int main(void) { for (;;) outer(3); }
                """);
        return src;
    }

    @Test
    void libcAgreesWithReadelf() throws Exception {
        agrees(ElfMutationTest.libc(), ".eh_frame");
    }

    @Test
    void lsAgreesWithReadelf() throws Exception {
        agrees(Path.of("/usr/bin/ls").toRealPath(), ".eh_frame");
    }

    @Test
    void libstdcxxAgreesWithReadelf() throws Exception {
        agrees(
                Path.of(Tools.run(List.of("gcc", "-print-file-name=libstdc++.so.6"))
                                .trim())
                        .toRealPath(),
                ".eh_frame");
    }

    @Test
    void programWithoutFramePointersAgreesWithReadelf() throws Exception {
        UnwindTable t = agrees(omitFp, ".eh_frame");
        // middle() keeps 72 KB on its stack: a CFA offset no 16-bit field holds
        long middle = Tools.nmValue(omitFp, "middle");
        int bigRow = -1;
        for (int i = t.find(middle); i < t.rows() && t.start(i) < middle + 200; i++)
            if (t.rule(i) == UnwindTable.RSP && t.cfaOffset(i) > 72_000) bigRow = i;
        assertTrue(bigRow >= 0, "middle() has a row with CFA = rsp + more than 72,000");
    }

    @Test
    void debugFrameIsReadWhenThereIsNoEhFrame() throws Exception {
        String sections = Tools.run(List.of("readelf", "-SW", debugFrameOnly.toString()));
        assertFalse(sections.contains(".eh_frame"), "the program has no .eh_frame:\n" + sections);
        assertTrue(sections.contains(".debug_frame"), "the program has a .debug_frame");
        UnwindTable t = agrees(debugFrameOnly, ".debug_frame");
        long twice = Tools.nmValue(debugFrameOnly, "twice");
        int row = t.find(twice);
        assertEquals(UnwindTable.RSP, t.rule(row), "twice() starts with CFA = rsp + 8");
        assertEquals(8, t.cfaOffset(row));
    }

    @Test
    void pltRuleMatchesThePltInstructions() throws Exception {
        UnwindTable t = table(omitFp);
        long[] plt = section(omitFp, ".plt");
        // entry k (k >= 1): jmp *GOT[k]; push k; jmp PLT0 - one more word on the stack once the push ran
        List<long[]> pushes = new ArrayList<>(); // {address after the push}
        Pattern ins = Pattern.compile("^\\s*([0-9a-f]+):\\s+((?:[0-9a-f]{2} )+)\\s*(\\S+)");
        for (String line : Tools.run(List.of("objdump", "-d", "-j", ".plt", omitFp.toString()))
                .split("\n")) {
            Matcher m = ins.matcher(line);
            if (m.find() && m.group(3).startsWith("push")) {
                long at = Long.parseLong(m.group(1), 16);
                if (at >= plt[0] + 16)
                    pushes.add(new long[] {at + m.group(2).trim().split(" ").length});
            }
        }
        assertTrue(
                pushes.size() >= 3,
                "the program calls at least three libc functions through the lazy PLT: " + pushes.size());
        for (long[] p : pushes) {
            long entry = p[0] & -16;
            for (long a = entry; a < entry + 16; a++) {
                int row = t.find(a);
                assertEquals(UnwindTable.PLT, t.rule(row), "PLT rule at 0x" + Long.toHexString(a));
                long cfa = 8 + ((a & 15) >= t.cfaOffset(row) ? 8 : 0);
                assertEquals(
                        a >= p[0] ? 16 : 8,
                        cfa,
                        "CFA - rsp at 0x" + Long.toHexString(a) + " (push ends at 0x" + Long.toHexString(p[0]) + ")");
            }
        }
    }

    @Test
    void signalTrampolineOfLibcUnwindsThroughTheSavedContext() throws Exception {
        Path libc = ElfMutationTest.libc();
        ReadelfFrames frames = ReadelfFrames.parse(
                Tools.run(List.of(
                        "readelf", "--debug-dump=no-follow-links", "--debug-dump=frames-interp", libc.toString())),
                ".eh_frame");
        UnwindTable t = table(libc);
        int signalFdes = 0;
        for (ReadelfFrames.Fde f : frames.fdes()) {
            if (!frames.cieAugmentations().getOrDefault(f.cie(), "").contains("S")) continue;
            signalFdes++;
            int row = t.find(f.begin());
            assertEquals(UnwindTable.SIGNAL, t.rule(row), "__restore_rt's rule");
            // glibc: the interrupted rsp at 160 and rbp at 120 into the ucontext (offsetof uc_mcontext.gregs[REG_RSP],
            // [REG_RBP])
            assertEquals(160, t.cfaOffset(row));
            assertEquals(120, t.rbpOffset(row));
        }
        assertEquals(1, signalFdes, "libc has one signal trampoline FDE");
    }

    @Test
    void outermostFrameEndsTheStack() throws Exception {
        UnwindTable t = table(omitFp);
        int row = t.find(Tools.nmValue(omitFp, "_start"));
        assertEquals(UnwindTable.END, t.rule(row), "_start's return address is undefined");
    }

    static UnwindTable table(Path binary) {
        UnwindResult r = UnwindTableCache.build(binary);
        return assertInstanceOf(UnwindTable.class, r, binary + " gives a table: " + r);
    }

    /** Every row readelf prints has the same rule in the table at its address; the addresses after FDEs are gaps. */
    static UnwindTable agrees(Path binary, String section) throws Exception {
        UnwindTable t = table(binary);
        ReadelfFrames frames = ReadelfFrames.parse(
                Tools.run(List.of(
                        "readelf", "--debug-dump=no-follow-links", "--debug-dump=frames-interp", binary.toString())),
                section);
        assertFalse(frames.fdes().isEmpty(), "readelf printed FDEs of " + binary);
        TreeSet<Long> begins = new TreeSet<>();
        for (ReadelfFrames.Fde f : frames.fdes()) if (f.end() > f.begin()) begins.add(f.begin());
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (ReadelfFrames.Fde f : frames.fdes()) {
            if (f.end() <= f.begin()) continue;
            for (int k = 0; k < f.rows().size(); k++) {
                ReadelfFrames.Row r = f.rows().get(k);
                if (r.loc() < f.begin() || r.loc() >= f.end()) continue;
                long until =
                        k + 1 < f.rows().size() ? Math.min(f.rows().get(k + 1).loc(), f.end()) : f.end();
                for (long at : new long[] {r.loc(), until - 1}) { // a row holds from its address to the next row's
                    checked++;
                    String want = expected(r), got = describe(t, t.find(at));
                    boolean ok = want.equals("EXPR")
                            ? got.startsWith("PLT") || got.startsWith("SIGNAL") || got.equals("STOP")
                            : want.equals(got);
                    if (!ok && mismatches.size() < 10)
                        mismatches.add(String.format(
                                "0x%x: readelf %s/%s/%s -> %s, table %s", at, r.cfa(), r.rbp(), r.ra(), want, got));
                }
            }
            if (!begins.contains(f.end())) {
                // padding before the next function keeps a function end's rule; any other space is a gap
                Long next = begins.ceiling(f.end());
                String last = describe(t, t.find(f.end() - 1));
                String want = next != null && next - f.end() < 16 && last.equals("RSP 8 0") ? last : "GAP";
                String got = describe(t, t.find(f.end()));
                if (!got.equals(want) && mismatches.size() < 10)
                    mismatches.add(String.format("0x%x (end of an FDE): table %s, not %s", f.end(), got, want));
            }
        }
        assertTrue(
                mismatches.isEmpty(),
                binary + ": " + mismatches.size() + "+ rows disagree with readelf, first ones:\n"
                        + String.join("\n", mismatches));
        assertTrue(checked > 3, "rows compared for " + binary + ": " + checked);
        assertEquals(0, t.skippedFdes(), binary + ": no FDE skipped");
        return t;
    }

    /** What readelf's row means in the table's terms; "EXPR" where only PLT, SIGNAL or STOP can fit. */
    private static String expected(ReadelfFrames.Row r) {
        if (r.ra().equals("u")) return "END";
        if (r.cfa().equals("exp")) return "EXPR";
        Matcher cfa = REG_PLUS.matcher(r.cfa());
        if (!cfa.matches() || !r.ra().equals("c-8")) return "STOP";
        int rbp;
        if (r.rbp().isEmpty() || r.rbp().equals("u") || r.rbp().equals("s")) {
            rbp = 0;
        } else {
            Matcher saved = SAVED.matcher(r.rbp());
            if (!saved.matches()) return "STOP";
            rbp = Integer.parseInt(saved.group(1));
        }
        return (cfa.group(1).equals("rsp") ? "RSP " : "RBP ") + cfa.group(2) + " " + rbp;
    }

    private static String describe(UnwindTable t, int row) {
        if (row < 0) return "GAP";
        return switch (t.rule(row)) {
            case UnwindTable.GAP -> "GAP";
            case UnwindTable.RSP -> "RSP " + t.cfaOffset(row) + " " + t.rbpOffset(row);
            case UnwindTable.RBP -> "RBP " + t.cfaOffset(row) + " " + t.rbpOffset(row);
            case UnwindTable.PLT -> "PLT " + t.cfaOffset(row);
            case UnwindTable.SIGNAL -> "SIGNAL " + t.cfaOffset(row) + " " + t.rbpOffset(row);
            case UnwindTable.END -> "END";
            default -> "STOP";
        };
    }

    /** {start, end} of a section, from readelf. */
    private static long[] section(Path binary, String name) throws Exception {
        for (String line :
                Tools.run(List.of("readelf", "-SW", binary.toString())).split("\n")) {
            String[] f = line.replaceFirst("^\\s*\\[\\s*\\d+]\\s*", "").trim().split("\\s+");
            if (f.length > 5 && f[0].equals(name)) {
                long addr = Long.parseLong(f[2], 16);
                return new long[] {addr, addr + Long.parseLong(f[4], 16)};
            }
        }
        throw new AssertionError(name + " not in " + binary);
    }
}
