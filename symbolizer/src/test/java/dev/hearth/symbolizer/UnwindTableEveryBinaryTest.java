package dev.hearth.symbolizer;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.symbolizer.unwind.NoUnwindTable;
import dev.hearth.symbolizer.unwind.UnwindResult;
import dev.hearth.symbolizer.unwind.UnwindTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every executable in /usr/bin and every shared library under /usr/lib/x86_64-linux-gnu on this
 * machine gives a table or a clean "no table", never an exception; and nearly all of them give a
 * table (distribution binaries carry .eh_frame).
 */
class UnwindTableEveryBinaryTest {
    @Test
    void everyBinaryOfThisMachineGivesATableOrAReason() throws Exception {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> bin = Files.list(Path.of("/usr/bin"))) {
            bin.filter(Files::isRegularFile).forEach(files::add);
        }
        try (Stream<Path> lib = Files.walk(Path.of("/usr/lib/x86_64-linux-gnu"), 4)) {
            lib.filter(p -> p.getFileName().toString().contains(".so") && Files.isRegularFile(p))
                    .forEach(files::add);
        }
        AtomicInteger elf = new AtomicInteger(), tables = new AtomicInteger();
        Map<String, Integer> reasons = new ConcurrentHashMap<>();
        List<String> failures = new ArrayList<>();
        files.parallelStream().forEach(p -> {
            if (!isElf(p)) return;
            elf.incrementAndGet();
            try {
                UnwindResult r = UnwindTableCache.build(p);
                if (r instanceof UnwindTable t) {
                    tables.incrementAndGet();
                    checkSorted(p, t);
                } else {
                    reasons.merge(((NoUnwindTable) r).reason().replaceAll("[0-9a-f]{8,}|/\\S+", "…"), 1, Integer::sum);
                }
            } catch (Throwable e) {
                synchronized (failures) {
                    failures.add(p + ": " + e);
                }
            }
        });
        System.out.printf(
                "unwind tables: %d of %d ELF files (%d files looked at); no table: %s%n",
                tables.get(), elf.get(), files.size(), new TreeMap<>(reasons));
        assertTrue(failures.isEmpty(), "threw instead of answering:\n" + String.join("\n", failures));
        assertTrue(elf.get() > 300, "ELF files found: " + elf.get());
        assertTrue(
                tables.get() >= elf.get() * 0.95, "tables for " + tables.get() + " of " + elf.get() + ": " + reasons);
    }

    private static void checkSorted(Path p, UnwindTable t) {
        for (int i = 1; i < t.rows(); i++) {
            if (t.start(i) <= t.start(i - 1))
                throw new AssertionError(p + ": row " + i + " is not after row " + (i - 1));
            if (t.rule(i) == t.rule(i - 1)
                    && t.cfaOffset(i) == t.cfaOffset(i - 1)
                    && t.rbpOffset(i) == t.rbpOffset(i - 1)) {
                throw new AssertionError(p + ": rows " + (i - 1) + " and " + i + " are equal, not merged");
            }
        }
    }

    private static boolean isElf(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }
}
