package dev.hearth.symbolizer;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.symbolizer.unwind.MappedTable;
import dev.hearth.symbolizer.unwind.NoUnwindTable;
import dev.hearth.symbolizer.unwind.UnwindTable;
import dev.hearth.testsupport.Privileges;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables of running processes: a pc minus its mapping's load bias is the file address the table
 * (and nm) use, for the program and for the vDSO; a binary mapped by two processes is built once;
 * tables past the byte budget leave the cache, counted; a process of nobody whose binary
 * has forged frame sections, and is swapped for a FIFO on disk, costs a clean "no table".
 */
class UnwindTableCacheTest {
    @TempDir
    static Path dir;

    static Path target;

    @BeforeAll
    static void compile() throws Exception {
        Path src = Path.of(
                UnwindTableCacheTest.class.getResource("/hearth_target.c").toURI());
        target = dir.resolve("target");
        Tools.run(List.of("gcc", "-O1", "-Wl,--build-id", "-o", target.toString(), src.toString()));
    }

    @Test
    void pcsOfARunningProcessMapToItsFileAndTablesAreShared() throws Exception {
        UnwindTableCache cache = new UnwindTableCache(64 << 20);
        try (TargetProcess a = TargetProcess.start(target);
                TargetProcess b = TargetProcess.start(target)) {
            List<MappedTable> first = cache.tables(a.pid);
            MappedTable own = containing(first, a.alpha);
            UnwindTable t = assertInstanceOf(UnwindTable.class, own.table(), "the target's table");
            assertEquals(
                    Tools.nmValue(target, "hearth_alpha"),
                    a.alpha - own.loadBias(),
                    "pc - load bias is the address nm gives");
            int row = t.find(a.alpha - own.loadBias());
            assertEquals(UnwindTable.RSP, t.rule(row), "at a function's first instruction, CFA = rsp + 8");
            assertEquals(8, t.cfaOffset(row));
            assertEquals("build-id:" + Tools.buildId(target), own.key());
            MappedTable libc = containing(first, a.getpid);
            assertInstanceOf(UnwindTable.class, libc.table(), "libc's table");
            assertNotEquals(0, a.vdsoClock, "the target found the vDSO's clock_gettime");
            MappedTable vdso = containing(first, a.vdsoClock);
            assertEquals("vdso", vdso.key());
            UnwindTable v = assertInstanceOf(UnwindTable.class, vdso.table(), "the vDSO's table");
            int at = v.find(a.vdsoClock - vdso.loadBias());
            assertEquals(UnwindTable.RSP, v.rule(at), "__vdso_clock_gettime's first instruction");
            assertEquals(8, v.cfaOffset(at));
            long builds = cache.builds();
            assertTrue(builds >= 2, "the target, libc and the loader were built: " + builds);

            List<MappedTable> second = cache.tables(b.pid);
            assertEquals(builds, cache.builds(), "the second process's binaries were all built already");
            assertSame(libc.table(), containing(second, b.getpid).table(), "one libc table for both");
            assertSame(own.table(), containing(second, b.alpha).table(), "one target table for both");
        }
    }

    /**
     * A JIT's code cache (this JVM's) is anonymous executable memory: listed, as is [vsyscall], without a key or a table,
     * so the kernel walk knows its pcs go by frame pointer instead of asking for the process again.
     */
    @Test
    void aJitsCodeCacheIsListedWithoutATable() throws Exception {
        int self = (int) ProcessHandle.current().pid();
        List<MappedTable> anonymous = new UnwindTableCache(64 << 20)
                .tables(self).stream().filter(t -> t.key().isEmpty()).toList();
        assertFalse(anonymous.isEmpty(), "this JVM's code cache is listed");
        List<Long> anonymousExecutable = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .map(line -> line.split("\\s+", 6))
                .filter(f -> f[1].contains("x")
                        && (f.length < 6
                                || !f[5].startsWith("/") && !f[5].strip().equals("[vdso]")))
                .map(f -> Long.parseUnsignedLong(f[0].substring(0, f[0].indexOf('-')), 16))
                .toList();
        for (MappedTable t : anonymous) {
            assertTrue(
                    anonymousExecutable.contains(t.start()),
                    Long.toHexString(t.start()) + " is executable memory no file backs");
            assertInstanceOf(NoUnwindTable.class, t.table());
            assertEquals(0, t.loadBias());
        }
    }

    @Test
    void tablesPastTheByteBudgetLeaveAndAreCounted() throws Exception {
        try (TargetProcess a = TargetProcess.start(target)) {
            UnwindTableCache all = new UnwindTableCache(64 << 20);
            all.tables(a.pid);
            assertTrue(all.size() >= 3, "the target, libc and the loader: " + all.size());
            assertEquals(0, all.evicted());
            long libcBytes =
                    ((UnwindTable) containing(all.tables(a.pid), a.getpid).table()).bytes();

            UnwindTableCache small = new UnwindTableCache(libcBytes); // room for libc's table, not for it and another
            small.tables(a.pid);
            assertTrue(
                    small.bytes() <= libcBytes || small.size() == 1,
                    "within the budget, or one table alone: " + small.bytes());
            assertEquals(all.size() - small.size(), small.evicted(), "what left was counted");
            assertTrue(small.evicted() >= 2, "evicted: " + small.evicted());
        }
    }

    @Test
    void aProcessOfNobodyWithForgedFrameSectionsSwappedForAFifoIsNoTable() throws Exception {
        Privileges.assumeRootOrCi("the attacker is nobody, root the victim");
        Path home = Files.createDirectory(dir.resolve("nobody"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path forged = home.resolve("forged");
        Files.copy(target, forged);
        long[] eh = sectionInFile(forged, ".eh_frame");
        try (RandomAccessFile f = new RandomAccessFile(forged.toFile(), "rw")) {
            byte[] fill = new byte[(int) eh[1]];
            Arrays.fill(fill, (byte) 0x80); // every length and number runs on: nothing can be read
            f.seek(eh[0]);
            f.write(fill);
        }
        Tools.run(List.of("chown", "-R", "nobody:nogroup", home.toString()));
        try (TargetProcess p = TargetProcess.start(
                List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", forged.toString()))) {
            Process swap = new ProcessBuilder(
                            "setpriv",
                            "--reuid=nobody",
                            "--regid=nogroup",
                            "--clear-groups",
                            "sh",
                            "-c",
                            "rm " + forged + " && mkfifo " + forged)
                    .redirectErrorStream(true)
                    .start();
            assertTrue(
                    swap.waitFor(30, TimeUnit.SECONDS) && swap.exitValue() == 0,
                    "nobody swapped its binary for a FIFO");
            UnwindTableCache cache = new UnwindTableCache(64 << 20);
            List<MappedTable> tables = assertTimeoutPreemptively(
                    Duration.ofSeconds(60), () -> cache.tables(p.pid), "reading the tables blocked");
            NoUnwindTable none = assertInstanceOf(
                    NoUnwindTable.class, containing(tables, p.alpha).table(), "the forged binary has no table");
            assertTrue(none.reason().startsWith("no readable FDE"), none.reason());
            assertInstanceOf(UnwindTable.class, containing(tables, p.getpid).table(), "libc still has its table");
        }
    }

    private static MappedTable containing(List<MappedTable> tables, long pc) {
        for (MappedTable m : tables)
            if (Long.compareUnsigned(pc, m.start()) >= 0 && Long.compareUnsigned(pc, m.end()) < 0) return m;
        throw new AssertionError("no executable mapping holds 0x" + Long.toHexString(pc) + ": " + tables);
    }

    /** {file offset, size} of a section, from readelf. */
    private static long[] sectionInFile(Path binary, String name) throws Exception {
        for (String line :
                Tools.run(List.of("readelf", "-SW", binary.toString())).split("\n")) {
            String[] f = line.replaceFirst("^\\s*\\[\\s*\\d+]\\s*", "").trim().split("\\s+");
            if (f.length > 5 && f[0].equals(name))
                return new long[] {Long.parseLong(f[3], 16), Long.parseLong(f[4], 16)};
        }
        throw new AssertionError(name + " not in " + binary);
    }
}
