package dev.hearth.symbolizer;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.management.ThreadMXBean;
import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.StackFrame;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real binaries of this machine, mutated with a seed (bit flips, cuts, header and table fields set to
 * large values), read as the agent reads any binary a process maps. Each must load or be refused as
 * unreadable (an IOException), never throw anything else, and cost bounded time and memory.
 * {@code -Dhearth.mutation.seed=N} replays a run; a failure names its seed and mutation.
 */
class ElfMutationTest {
    private static final long SEED = Long.getLong("hearth.mutation.seed", 12);
    private static final int MUTATIONS_PER_FILE = Integer.getInteger("hearth.mutations", 800);
    /** Far above what a bounded read can take (a few ms), far below what a loop over a forged count takes. */
    private static final long MAX_NANOS_PER_FILE = 3_000_000_000L;
    /** What the table bounds allow a file to cost: half a million symbols and 16 MB of names while built, twice over. */
    private static final long MAX_BYTES_PER_FILE = 96L << 20;

    private static final long[] LARGE = {
        0xffffffffL, 0x7fffffffL, 0x80000000L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 0xfffffffffffL, 0
    };
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    @TempDir
    static Path dir;

    static Path withSymtab;

    @BeforeAll
    static void compile() throws Exception {
        Path src = Path.of(ElfMutationTest.class.getResource("/hearth_target.c").toURI());
        withSymtab = dir.resolve("target");
        Path debug = dir.resolve("target.debug");
        Path built = dir.resolve("target-full");
        Tools.run(List.of("gcc", "-O1", "-g", "-Wl,--build-id", "-o", built.toString(), src.toString()));
        Tools.run(List.of("objcopy", "--only-keep-debug", built.toString(), debug.toString()));
        // a .symtab, a .gnu_debuglink and the build-id note: every structure the reader parses
        Tools.run(List.of(
                "objcopy", "--strip-debug", "--add-gnu-debuglink=" + debug, built.toString(), withSymtab.toString()));
    }

    @Test
    void mutatedCompiledProgramIsReadOrRefused() throws Exception {
        mutate(withSymtab, 1);
    }

    @Test
    void mutatedLsIsReadOrRefused() throws Exception {
        mutate(Path.of("/bin/ls").toRealPath(), 2);
    }

    @Test
    void mutatedLibcIsReadOrRefused() throws Exception {
        mutate(libc(), 3);
    }

    @Test
    void mutatedLibstdcxxIsReadOrRefused() throws Exception {
        mutate(
                Path.of(Tools.run(List.of("gcc", "-print-file-name=libstdc++.so.6"))
                                .trim())
                        .toRealPath(),
                4);
    }

    static Path libc() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            int slash = line.indexOf('/');
            if (slash > 0 && line.substring(slash).matches(".*/libc[.-][^/]*so.*"))
                return Path.of(line.substring(slash).trim());
        }
        throw new AssertionError("libc is not mapped in this JVM");
    }

    private static void mutate(Path binary, int salt) throws Exception {
        byte[] original = Files.readAllBytes(binary);
        Layout layout = Layout.of(original);
        BinarySymbols clean = read(original);
        assertNotNull(clean, binary + " reads unmutated");
        assertFalse(clean.partial(), binary + " is not malformed as it is");
        assertTrue(clean.table().size() > 0, binary + " has symbols");

        Random random = new Random(SEED * 31 + salt);
        int loaded = 0, refused = 0, partial = 0;
        long worstNanos = 0, worstBytes = 0;
        for (int n = 0; n < MUTATIONS_PER_FILE; n++) {
            byte[] bytes = original.clone();
            String what = layout.mutate(bytes, random);
            long bytesBefore = THREADS.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            BinarySymbols b;
            try {
                b = read(bytes);
                if (b != null) nameSome(b, random);
            } catch (Throwable e) {
                throw new AssertionError(
                        "seed " + SEED + ", " + binary + " mutation " + n + " (" + what + ") threw", e);
            }
            long nanos = System.nanoTime() - start;
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - bytesBefore;
            assertTrue(nanos < MAX_NANOS_PER_FILE, what + " took " + nanos / 1_000_000 + " ms");
            assertTrue(allocated < MAX_BYTES_PER_FILE, what + " allocated " + allocated + " bytes");
            worstNanos = Math.max(worstNanos, nanos);
            worstBytes = Math.max(worstBytes, allocated);
            if (b == null) refused++;
            else if (b.partial()) partial++;
            else loaded++;
        }
        System.out.printf(
                "%s: %d mutations (seed %d): %d read, %d read in part, %d refused; worst %.1f ms, %.1f MB%n",
                binary, MUTATIONS_PER_FILE, SEED, loaded, partial, refused, worstNanos / 1e6, worstBytes / 1e6);
        assertTrue(refused > 0 && loaded + partial > 0, "the mutations reach both outcomes");
    }

    /** The binary's symbols as the agent reads them, or null when refused as unreadable. */
    private static BinarySymbols read(byte[] bytes) {
        try (ElfFile elf = ElfFile.of(ByteBuffer.wrap(bytes))) {
            return BinaryLoader.read(elf, buildId -> null);
        } catch (IOException e) {
            return null;
        }
    }

    /** Names symbols at random addresses as a frame would be named, demangling included. */
    private static void nameSome(BinarySymbols b, Random random) {
        SymbolTable t = b.table();
        for (int k = 0; k < Math.min(64, t.size()); k++) {
            int i = t.find(b.vaddr(random.nextInt(1 << 22)));
            if (i >= 0)
                assertTrue(Demangler.name(t.rawName(i)).name().length() <= Demangler.MAX_NAME + Demangler.CUT.length());
        }
        for (int k = 0; k < Math.min(64, t.size()); k++) {
            String name = Demangler.name(t.rawName(random.nextInt(t.size()))).name();
            assertTrue(name.length() <= Demangler.MAX_NAME + Demangler.CUT.length());
        }
    }

    /** Where a file's structures lie, read independently of the code under test, to aim mutations at them. */
    private record Layout(
            int size, List<int[]> regions, List<Integer> fields8, List<Integer> fields4, List<Integer> fields2) {
        static Layout of(byte[] b) {
            ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            List<int[]> regions = new ArrayList<>();
            List<Integer> f8 = new ArrayList<>(List.of(24, 32, 40)),
                    f4 = new ArrayList<>(),
                    f2 = new ArrayList<>(List.of(54, 56, 58, 60, 62));
            regions.add(new int[] {0, 64});
            int phoff = (int) buf.getLong(32), phnum = buf.getShort(56) & 0xffff;
            regions.add(new int[] {phoff, phnum * 56});
            for (int i = 0; i < phnum; i++) {
                int p = phoff + i * 56;
                f8.addAll(List.of(p + 8, p + 16, p + 32, p + 40));
                if (buf.getInt(p) == 4) { // PT_NOTE
                    int off = (int) buf.getLong(p + 8);
                    f4.addAll(List.of(off, off + 4));
                }
            }
            int shoff = (int) buf.getLong(40), shnum = buf.getShort(60) & 0xffff;
            regions.add(new int[] {shoff, shnum * 64});
            for (int i = 0; i < shnum; i++) {
                int s = shoff + i * 64;
                f4.addAll(List.of(s, s + 40));
                f8.addAll(List.of(s + 24, s + 32, s + 56));
                int type = buf.getInt(s + 4),
                        off = (int) buf.getLong(s + 24),
                        size = (int) Math.min(buf.getLong(s + 32), 1 << 16);
                if (type == 2 || type == 11) { // symbol tables: the first entries' name offsets, values, sizes
                    regions.add(new int[] {off, size});
                    for (int e = off; e < off + Math.min(size, 24 * 64); e += 24) {
                        f4.add(e);
                        f8.addAll(List.of(e + 8, e + 16));
                    }
                } else if (type == 7 || type == 3) { // notes, string tables
                    regions.add(new int[] {off, size});
                    if (type == 7) f4.addAll(List.of(off, off + 4));
                }
            }
            return new Layout(b.length, regions, f8, f4, f2);
        }

        /** Applies one random mutation to {@code b} and says which. */
        String mutate(byte[] b, Random r) {
            ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            switch (r.nextInt(5)) {
                case 0 -> { // bit flips anywhere
                    int flips = 1 + r.nextInt(32);
                    for (int i = 0; i < flips; i++) b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                    return flips + " bit flips";
                }
                case 1 -> { // bit flips in the structures
                    int[] reg = regions.get(r.nextInt(regions.size()));
                    int flips = 1 + r.nextInt(16);
                    for (int i = 0; i < flips && reg[1] > 0; i++) {
                        int at = reg[0] + r.nextInt(reg[1]);
                        if (at >= 0 && at < b.length) b[at] ^= (byte) (1 << r.nextInt(8));
                    }
                    return flips + " bit flips at " + reg[0];
                }
                case 2 -> { // cut short: mutate() cannot change the length, so zero the tail as a read past it would
                    // find
                    int at = r.nextInt(b.length);
                    Arrays.fill(b, at, b.length, (byte) 0);
                    return "zeroed from " + at;
                }
                default -> { // fields set to large or boundary values
                    long v = r.nextInt(4) == 0
                            ? (r.nextBoolean() ? size : size - r.nextInt(64))
                            : LARGE[r.nextInt(LARGE.length)];
                    int kind = r.nextInt(3);
                    List<Integer> at = kind == 0 ? fields8 : kind == 1 ? fields4 : fields2;
                    int off = at.get(r.nextInt(at.size()));
                    if (off < 0 || off + 8 > b.length) return "nothing (field past the end)";
                    if (kind == 0) buf.putLong(off, v);
                    else if (kind == 1) buf.putInt(off, (int) v);
                    else buf.putShort(off, (short) v);
                    return (8 >> kind) + "-byte field at " + off + " = " + Long.toHexString(v);
                }
            }
        }
    }

    @Test
    void aRunningProgramWithAForgedSymbolTableIsNamedWhereItCanBeAndCounted() throws Exception {
        // the loader reads program headers only: a forged .symtab size still runs
        byte[] b = Files.readAllBytes(withSymtab);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int shoff = (int) buf.getLong(40), shnum = buf.getShort(60) & 0xffff, forged = 0;
        for (int i = 0; i < shnum; i++) {
            int sh = shoff + i * 64;
            if (buf.getInt(sh + 4) == ElfFile.SHT_SYMTAB) {
                buf.putLong(sh + 32, Long.MAX_VALUE / 2);
                forged++;
            }
        }
        assertEquals(1, forged);
        Path forgedBinary = dir.resolve("target-forged");
        Files.write(forgedBinary, b);
        assertTrue(forgedBinary.toFile().setExecutable(true));
        try (TargetProcess t = TargetProcess.start(forgedBinary);
                Symbolizer s = new Symbolizer(SymbolizerOptions.defaults())) {
            List<StackFrame> frames = s.user(t.pid, NativeSymbolsTest.stack(t));
            assertEquals(4, frames.size());
            assertEquals(FrameKind.UNKNOWN, frames.get(0).kind(), "its own table is unreadable: " + frames.get(0));
            assertEquals(forgedBinary.toString(), frames.get(0).binary());
            assertEquals("getpid", frames.get(3).name(), "libc is still named");
            assertEquals(1, s.stats().badBinaries());
            assertEquals(0, s.stats().frameFailures());
        }
    }

    @Test
    void truncatedCopiesAreReadOrRefused() throws Exception {
        byte[] original = Files.readAllBytes(libc());
        Random random = new Random(SEED);
        for (int n = 0; n < 300; n++) {
            int len = n < 100 ? random.nextInt(4096) : random.nextInt(original.length);
            byte[] cut = Arrays.copyOf(original, len);
            try {
                BinarySymbols b = read(cut);
                if (b != null) nameSome(b, random);
            } catch (Throwable e) {
                throw new AssertionError("libc cut at " + len + " threw", e);
            }
        }
    }

    @Test
    void hostileMapsTextIsReadInBoundsAndCounted() throws Exception {
        String real = Files.readString(Path.of("/proc/self/maps"), StandardCharsets.ISO_8859_1);
        Random random = new Random(SEED);
        for (int n = 0; n < 2000; n++) {
            char[] text = real.toCharArray();
            for (int i = 0, flips = 1 + random.nextInt(64); i < flips; i++)
                text[random.nextInt(text.length)] = (char) random.nextInt(256);
            MapsParser maps = MapsParser.parse(new String(text));
            assertTrue(maps.all().size() + maps.skipped() >= 1);
        }
        String longPath = "/" + "x".repeat(MapsParser.MAX_LINE);
        MapsParser maps = MapsParser.parse(
                "1000-2000 r-xp 00000000 fe:00 1 " + longPath + "\n3000-4000 r-xp 00000000 fe:00 2 /bin/ok\n");
        assertEquals(1, maps.skipped(), "a line past the bound is skipped");
        assertEquals("/bin/ok", maps.find(0x3000).path());
    }

    @Test
    void oversizedMapsFileIsCutAtTheBound() throws Exception {
        // a process with very many mappings under long paths: only its own last mappings go unread
        Path proc = dir.resolve("proc");
        Path pidDir = Files.createDirectories(proc.resolve("4242"));
        String path = "/" + "p".repeat(4000);
        StringBuilder text = new StringBuilder();
        int lines = 0;
        while (text.length() <= LiveProcessMaps.MAX_MAPS_BYTES + 100_000) {
            text.append(Long.toHexString(0x10000L + lines * 0x1000L))
                    .append('-')
                    .append(Long.toHexString(0x11000L + lines * 0x1000L))
                    .append(" r-xp 00000000 fe:00 ")
                    .append(lines + 1)
                    .append(' ')
                    .append(path)
                    .append('\n');
            lines++;
        }
        Files.writeString(pidDir.resolve("maps"), text, StandardCharsets.ISO_8859_1);
        LiveProcessMaps maps = LiveProcessMaps.read(proc, 4242);
        int read = maps.current().all().size();
        assertTrue(read > 0 && read < lines, read + " of " + lines + " mappings read");
        assertEquals(0x10000L, maps.current().all().get(0).start());
        assertEquals(1, maps.problems(), "the cut is counted");
    }
}
