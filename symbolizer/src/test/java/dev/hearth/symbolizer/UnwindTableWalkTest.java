package dev.hearth.symbolizer;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.symbolizer.unwind.MappedTable;
import dev.hearth.symbolizer.unwind.UnwindTable;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The row semantics hold on a real stack: a program built without frame pointers stops deep in a
 * known call chain and prints its registers; the test reads its memory and unwinds it with the
 * tables alone, step by step as {@link UnwindTable} says (the BPF unwinder's contract), through
 * libc's qsort, and through a signal handler and glibc's signal trampoline, down to {@code _start};
 * built as a PIE and at its link address.
 */
class UnwindTableWalkTest {
    private static final int MAX_FRAMES = 64;

    @TempDir
    static Path dir;

    static Path program, noPie;

    @BeforeAll
    static void compile() throws Exception {
        Path src =
                Path.of(UnwindTableWalkTest.class.getResource("/unwind_walk.c").toURI());
        program = dir.resolve("unwind-walk");
        Tools.run(List.of(
                "gcc", "-O2", "-fomit-frame-pointer", "-Wl,--build-id", "-o", program.toString(), src.toString()));
        // loaded at its link address: a load bias of 0, and segments whose addresses are not their offsets
        noPie = dir.resolve("unwind-walk-no-pie");
        Tools.run(List.of(
                "gcc",
                "-O2",
                "-fomit-frame-pointer",
                "-no-pie",
                "-Wl,--build-id",
                "-o",
                noPie.toString(),
                src.toString()));
    }

    @Test
    void aStackThroughQsortUnwindsToStart() throws Exception {
        Walk w = walk(program, List.of(program.toString()));
        assertEquals("END", w.end, "the walk reached the outermost frame: " + w.frames);
        assertEquals(List.of("capture", "compare", "libc", "level2", "level1", "main", "libc", "_start"), w.frames);
    }

    @Test
    void aStackOfAProgramAtItsLinkAddressUnwindsToStart() throws Exception {
        Walk w = walk(noPie, List.of(noPie.toString()));
        assertEquals("END", w.end, "the walk reached the outermost frame: " + w.frames);
        assertEquals(List.of("capture", "compare", "libc", "level2", "level1", "main", "libc", "_start"), w.frames);
    }

    @Test
    void aStackThroughASignalHandlerUnwindsToStart() throws Exception {
        Walk w = walk(program, List.of("env", "HEARTH_SIGNAL=1", program.toString()));
        assertEquals("END", w.end, "the walk reached the outermost frame: " + w.frames);
        assertEquals(List.of("capture", "on_signal", "libc", "level2", "level1", "main", "libc", "_start"), w.frames);
        assertTrue(w.rules.contains("SIGNAL"), "through the signal trampoline's rule: " + w.rules);
    }

    /** Frames named by the program's symbols, or "libc" (consecutive libc frames as one); how the walk ended; the rules used. */
    record Walk(List<String> frames, String end, Set<String> rules) {}

    private static Walk walk(Path binary, List<String> command) throws Exception {
        List<String[]> symbols = new ArrayList<>(); // {start, size, name}
        for (String line : Tools.run(List.of("nm", "-S", "--defined-only", binary.toString()))
                .split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 4 && (f[2].equals("T") || f[2].equals("t"))) symbols.add(new String[] {f[0], f[1], f[3]});
        }
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            String[] regs = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                    .readLine()
                    .trim()
                    .split(" ");
            long rsp = Long.parseUnsignedLong(regs[0].substring(2), 16),
                    rbp = regs[1].startsWith("0x") ? Long.parseUnsignedLong(regs[1].substring(2), 16) : 0;
            int pid = (int) p.pid();
            List<MappedTable> maps = new UnwindTableCache(64 << 20).tables(pid);
            String own = "build-id:" + Tools.buildId(binary),
                    libc = "build-id:" + Tools.buildId(ElfMutationTest.libc());
            List<String> frames = new ArrayList<>();
            Set<String> rules = new TreeSet<>();
            try (RandomAccessFile mem = new RandomAccessFile("/proc/" + pid + "/mem", "r")) {
                // grab() stored rsp at its entry: the return address into capture is there
                long pc = read(mem, rsp);
                rsp += 8;
                boolean returnAddress = true;
                for (int i = 0; i < MAX_FRAMES; i++) {
                    MappedTable m = containing(maps, pc);
                    if (m == null) return new Walk(frames, "no mapping at 0x" + Long.toHexString(pc), rules);
                    String name = m.key().equals(own)
                            ? symbol(symbols, pc - m.loadBias() - (returnAddress ? 1 : 0))
                            : m.key().equals(libc) ? "libc" : m.key();
                    if (frames.isEmpty()
                            || !(name.equals("libc")
                                    && frames.get(frames.size() - 1).equals("libc"))) frames.add(name);
                    if (!(m.table() instanceof UnwindTable t)) return new Walk(frames, "no table: " + m.table(), rules);
                    // a return address may follow a call that ends its function: look up the call itself
                    int row = t.find(pc - m.loadBias() - (returnAddress ? 1 : 0));
                    byte rule = row < 0 ? UnwindTable.GAP : t.rule(row);
                    rules.add(RULES[rule]);
                    long cfa;
                    switch (rule) {
                        case UnwindTable.END -> {
                            return new Walk(frames, "END", rules);
                        }
                        case UnwindTable.RSP -> cfa = rsp + t.cfaOffset(row);
                        case UnwindTable.RBP -> cfa = rbp + t.cfaOffset(row);
                        case UnwindTable.PLT -> cfa = rsp + 8 + ((pc & 15) >= t.cfaOffset(row) ? 8 : 0);
                        case UnwindTable.SIGNAL -> {
                            // the interrupted context: its pc is where it stopped, not a return address
                            long newRsp = read(mem, rsp + t.cfaOffset(row));
                            pc = read(mem, rsp + t.cfaOffset(row) + 8);
                            rbp = read(mem, rsp + t.rbpOffset(row));
                            rsp = newRsp;
                            returnAddress = false;
                            continue;
                        }
                        default -> {
                            return new Walk(frames, RULES[rule], rules);
                        }
                    }
                    pc = read(mem, cfa - 8);
                    if (t.rbpOffset(row) != 0) rbp = read(mem, cfa + t.rbpOffset(row));
                    rsp = cfa;
                    returnAddress = true;
                }
            }
            return new Walk(frames, "too deep", rules);
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    private static final String[] RULES = {"GAP", "RSP", "RBP", "PLT", "SIGNAL", "END", "STOP"};

    private static String symbol(List<String[]> symbols, long addr) {
        for (String[] s : symbols) {
            long start = Long.parseUnsignedLong(s[0], 16), size = Long.parseUnsignedLong(s[1], 16);
            if (addr >= start && addr < start + size) return s[2].replaceFirst("\\..*", "");
        }
        return "0x" + Long.toHexString(addr);
    }

    private static MappedTable containing(List<MappedTable> tables, long pc) {
        for (MappedTable m : tables)
            if (Long.compareUnsigned(pc, m.start()) >= 0 && Long.compareUnsigned(pc, m.end()) < 0) return m;
        return null;
    }

    private static long read(RandomAccessFile mem, long addr) throws Exception {
        mem.seek(addr);
        return Long.reverseBytes(mem.readLong());
    }
}
