package dev.hearth.symbolizer;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.management.ThreadMXBean;
import dev.hearth.symbolizer.unwind.FrameSections;
import dev.hearth.symbolizer.unwind.UnwindResult;
import dev.hearth.symbolizer.unwind.UnwindTable;
import dev.hearth.symbolizer.unwind.UnwindTables;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frame sections of real binaries, mutated with a seed (bit flips, entry lengths and pointers set
 * to boundary values, endless LEB128 numbers, random call frame instructions, cut short), give a
 * table or a reason, never an exception, within bounded time and memory.
 * {@code -Dhearth.mutation.seed=N} replays a run; a failure names its seed and mutation.
 */
class UnwindTableMutationTest {
    private static final long SEED = Long.getLong("hearth.mutation.seed", 17);
    private static final int MUTATIONS = Integer.getInteger("hearth.mutations", 300);
    /** Far above a bounded build of libc's table (tens of ms), far below a loop over a forged count. */
    private static final long MAX_NANOS = 3_000_000_000L;
    /** What a table at its row bound costs while built, with room: a forged file cannot make it cost more. */
    private static final long MAX_BYTES = 160L << 20;

    private static final long[] LARGE = {0xffffffffL, 0xfffffff0L, 0x7fffffffL, 0x80000000L, 0, 1, 4, 8};
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    @TempDir
    static Path dir;

    @Test
    void mutatedLibcFrameSectionsStayBounded() throws Exception {
        mutate(ElfMutationTest.libc(), 1);
    }

    @Test
    void mutatedLibstdcxxFrameSectionsStayBounded() throws Exception {
        mutate(
                Path.of(Tools.run(List.of("gcc", "-print-file-name=libstdc++.so.6"))
                                .trim())
                        .toRealPath(),
                2);
    }

    @Test
    void aForgedSectionSizeInTheFileIsNoTable() throws Exception {
        byte[] b = Files.readAllBytes(Path.of("/usr/bin/ls").toRealPath());
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int shoff = (int) buf.getLong(40), shnum = buf.getShort(60) & 0xffff, shstr = buf.getShort(62) & 0xffff;
        int names = (int) buf.getLong(shoff + shstr * 64 + 24), forged = 0;
        for (int i = 0; i < shnum; i++) {
            int sh = shoff + i * 64, name = names + buf.getInt(sh);
            if (new String(b, name, 9).equals(".eh_frame")) {
                buf.putLong(sh + 32, Long.MAX_VALUE / 2); // .eh_frame and .eh_frame_hdr past the end of the file
                forged++;
            }
        }
        assertEquals(2, forged);
        Path f = dir.resolve("ls-forged");
        Files.write(f, b);
        UnwindResult r = UnwindTableCache.build(f);
        assertEquals(
                "no .eh_frame or .debug_frame",
                assertInstanceOf(dev.hearth.symbolizer.unwind.NoUnwindTable.class, r)
                        .reason());
    }

    @Test
    void aFrameSectionOfMillionsOfInstructionsIsBuiltQuicklyAndOnePastTheBoundIsRefused() {
        // one FDE whose program is an advance, a CFA offset and 60 MB of DW_CFA_nop: one step per byte
        FrameSections.Section big = synthetic(UnwindTables.MAX_SECTION_BYTES - (4 << 20));
        long start = System.nanoTime();
        UnwindTable t = assertInstanceOf(UnwindTable.class, UnwindTables.build(new FrameSections(big, null, null)));
        long nanos = System.nanoTime() - start;
        assertTrue(nanos < MAX_NANOS, "60 MB of instructions took " + nanos / 1_000_000 + " ms");
        assertEquals(3, t.rows());
        assertEquals(List.of(0x1000L, 0x1004L, 0x1100L), List.of(t.start(0), t.start(1), t.start(2)));
        assertEquals(
                List.of(UnwindTable.RSP, UnwindTable.RSP, UnwindTable.GAP), List.of(t.rule(0), t.rule(1), t.rule(2)));
        assertEquals(List.of(8, 16), List.of(t.cfaOffset(0), t.cfaOffset(1)));

        UnwindResult past =
                UnwindTables.build(new FrameSections(synthetic(UnwindTables.MAX_SECTION_BYTES + 16), null, null));
        assertTrue(
                assertInstanceOf(dev.hearth.symbolizer.unwind.NoUnwindTable.class, past)
                        .reason()
                        .contains("more than"),
                past.toString());
    }

    /**
     * A binary whose .eh_frame_hdr lists 4,096 FDEs that start inside one another (each 64 bytes after
     * the last, all running to the end of a 60 MB section). Here the later headers stop each run early,
     * but headers an attacker writes as valid instructions would not: 4,096 runs over 60 MB. FDEs whose
     * instructions add up to more than the section are refused before they run.
     */
    @Test
    void fdesListedInsideOneAnotherAreRefusedNotRunOverAndOver() {
        long addr = 0x100000, hdrAddr = 0x90000;
        int size = UnwindTables.MAX_SECTION_BYTES - (4 << 20), count = 4096, first = 24, stride = 64;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        byte[] cieBody = {0, 0, 0, 0, 1, 'z', 'R', 0, 1, 0x78, 16, 1, 0x1b, 0x0c, 7, 8, (byte) 0x90, 1, 0, 0};
        b.putInt(cieBody.length).put(cieBody);
        ByteBuffer hdr = ByteBuffer.allocate(12 + 8 * count).order(ByteOrder.LITTLE_ENDIAN);
        hdr.put((byte) 1).put((byte) 0x03).put((byte) 0x03).put((byte) 0x3b); // udata4 pointers, datarel table
        hdr.putInt((int) addr).putInt(count);
        for (int i = 0; i < count; i++) {
            int at = first + stride * i;
            b.position(at).putInt(size - 4 - at - 4); // every FDE runs to the terminator
            b.putInt(at + 4); // back to the CIE at 0
            b.putInt((int) (0x1000 + 0x100 * i - (addr + b.position()))); // its own 256 bytes of code
            b.putInt(0x100).put((byte) 0);
            hdr.putInt((int) (0x1000 + 0x100 * i - hdrAddr)).putInt((int) (addr + at - hdrAddr));
        }
        b.position(size - 4).putInt(0);
        FrameSections sections = new FrameSections(
                new FrameSections.Section(addr, b.flip()), new FrameSections.Section(hdrAddr, hdr.flip()), null);
        long start = System.nanoTime();
        UnwindResult r = UnwindTables.build(sections);
        long nanos = System.nanoTime() - start;
        assertTrue(
                assertInstanceOf(dev.hearth.symbolizer.unwind.NoUnwindTable.class, r)
                        .reason()
                        .contains("share their instructions"),
                r.toString());
        assertTrue(nanos < MAX_NANOS, "refused in " + nanos / 1_000_000 + " ms");
    }

    /** A .eh_frame at 0x100000 of about {@code size} bytes: a "zR" CIE, one FDE for [0x1000, 0x1100), nops to fill. */
    private static FrameSections.Section synthetic(int size) {
        long addr = 0x100000;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        byte[] cieBody = {0, 0, 0, 0, 1, 'z', 'R', 0, 1, 0x78, 16, 1, 0x1b, 0x0c, 7, 8, (byte) 0x90, 1, 0, 0};
        b.putInt(cieBody.length).put(cieBody);
        int fde = b.position(), fdeLength = size - fde - 4 - 4; // room for the terminator
        b.putInt(fdeLength);
        b.putInt(b.position() - 0); // back to the CIE at 0
        b.putInt((int) (0x1000 - (addr + b.position()))); // pc-relative start
        b.putInt(0x100).put((byte) 0); // range, no augmentation data
        b.put((byte) 0x44).put((byte) 0x0e).put((byte) 16); // advance 4; CFA = rsp + 16
        b.position(fde + 4 + fdeLength).putInt(0); // nops (zeros) up to here, then the terminator
        return new FrameSections.Section(addr, b.flip());
    }

    private static void mutate(Path binary, int salt) throws Exception {
        FrameSections.Section eh, hdr;
        try (ElfFile elf = ElfFile.open(binary)) {
            eh = copy(elf.section(".eh_frame"));
            hdr = copy(elf.section(".eh_frame_hdr"));
        }
        UnwindTable clean = assertInstanceOf(UnwindTable.class, UnwindTables.build(new FrameSections(eh, hdr, null)));
        List<Integer> entries = entries(eh.data());
        Random random = new Random(SEED * 31 + salt);
        int tables = 0, noTables = 0, fewer = 0;
        long worstNanos = 0, worstBytes = 0;
        for (int n = 0; n < MUTATIONS; n++) {
            byte[] e = bytes(eh.data()), h = bytes(hdr.data());
            String what = mutate(e, h, entries, random);
            int cut = what.startsWith("cut") ? random.nextInt(e.length) : e.length;
            FrameSections s =
                    new FrameSections(section(eh.addr(), Arrays.copyOf(e, cut)), section(hdr.addr(), h), null);
            long bytesBefore = THREADS.getCurrentThreadAllocatedBytes(), start = System.nanoTime();
            UnwindResult r;
            try {
                r = UnwindTables.build(s);
            } catch (Throwable t) {
                throw new AssertionError(
                        "seed " + SEED + ", " + binary + " mutation " + n + " (" + what + ") threw", t);
            }
            long nanos = System.nanoTime() - start, allocated = THREADS.getCurrentThreadAllocatedBytes() - bytesBefore;
            assertNotNull(r);
            assertTrue(
                    nanos < MAX_NANOS,
                    "seed " + SEED + " mutation " + n + " (" + what + ") took " + nanos / 1_000_000 + " ms");
            assertTrue(
                    allocated < MAX_BYTES,
                    "seed " + SEED + " mutation " + n + " (" + what + ") allocated " + allocated + " bytes");
            worstNanos = Math.max(worstNanos, nanos);
            worstBytes = Math.max(worstBytes, allocated);
            if (r instanceof UnwindTable t) {
                tables++;
                if (t.fdes() < clean.fdes()) fewer++;
                for (int i = 1; i < t.rows(); i++) assertTrue(t.start(i) > t.start(i - 1), "rows sorted after " + what);
            } else {
                noTables++;
            }
        }
        System.out.printf(
                "%s: %d mutations of .eh_frame (seed %d): %d tables (%d with FDEs skipped), %d no table; worst %.1f ms, %.1f MB%n",
                binary, MUTATIONS, SEED, tables, fewer, noTables, worstNanos / 1e6, worstBytes / 1e6);
        assertTrue(fewer > 0, "some mutations cost FDEs");
    }

    /** Applies one random mutation to the section copies and says which. */
    private static String mutate(byte[] eh, byte[] hdr, List<Integer> entries, Random r) {
        ByteBuffer buf = ByteBuffer.wrap(eh).order(ByteOrder.LITTLE_ENDIAN);
        int entry = entries.get(r.nextInt(entries.size()));
        switch (r.nextInt(7)) {
            case 0 -> {
                int flips = 1 + r.nextInt(32);
                for (int i = 0; i < flips; i++) eh[r.nextInt(eh.length)] ^= (byte) (1 << r.nextInt(8));
                return flips + " bit flips";
            }
            case 1 -> {
                int flips = 1 + r.nextInt(8);
                for (int i = 0; i < flips; i++) hdr[r.nextInt(hdr.length)] ^= (byte) (1 << r.nextInt(8));
                return flips + " bit flips in .eh_frame_hdr";
            }
            case 2 -> { // length, CIE pointer, pc_begin or pc_range of one entry
                int field = entry + 4 * r.nextInt(4);
                long v = LARGE[r.nextInt(LARGE.length)];
                if (field + 4 <= eh.length) buf.putInt(field, (int) v);
                return "field at " + field + " = " + Long.toHexString(v);
            }
            case 3 -> { // LEB128 that never ends
                int at = entry + 8 + r.nextInt(16), len = 1 + r.nextInt(64);
                for (int i = at; i < Math.min(eh.length, at + len); i++) eh[i] = (byte) 0x80;
                return len + " continuation bytes at " + at;
            }
            case 4 -> { // random instructions in one entry
                int len = buf.getInt(entry);
                for (int i = entry + 16; i < Math.min(eh.length, entry + 4 + Math.min(len, 4096)); i++)
                    eh[i] = (byte) r.nextInt(256);
                return "random instructions in the entry at " + entry;
            }
            case 5 -> { // an FDE pointing at itself or at another FDE as its CIE
                int other = entries.get(r.nextInt(entries.size()));
                if (entry + 8 <= eh.length) buf.putInt(entry + 4, entry + 4 - other);
                return "CIE pointer of " + entry + " to " + other;
            }
            default -> {
                return "cut short";
            }
        }
    }

    /** Entry offsets of .eh_frame, read independently of the code under test, to aim mutations at them. */
    private static List<Integer> entries(ByteBuffer b) {
        List<Integer> out = new ArrayList<>();
        for (int at = 0; at + 4 <= b.limit(); ) {
            long len = Integer.toUnsignedLong(b.getInt(at));
            if (len == 0 || len == 0xffffffffL) break;
            out.add(at);
            at += 4 + (int) len;
        }
        return out;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.limit()];
        b.get(0, out);
        return out;
    }

    private static FrameSections.Section copy(FrameSections.Section s) {
        return section(s.addr(), bytes(s.data()));
    }

    private static FrameSections.Section section(long addr, byte[] b) {
        return new FrameSections.Section(addr, ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN));
    }
}
