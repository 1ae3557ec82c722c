package dev.hearth.symbolizer;

import dev.hearth.symbolizer.safefs.SafeFile;
import dev.hearth.symbolizer.unwind.FrameSections;
import dev.hearth.symbolizer.unwind.MappedTable;
import dev.hearth.symbolizer.unwind.NoUnwindTable;
import dev.hearth.symbolizer.unwind.UnwindResult;
import dev.hearth.symbolizer.unwind.UnwindTable;
import dev.hearth.symbolizer.unwind.UnwindTables;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unwind tables of the binaries processes map, one per binary, shared by every process mapping it:
 * known by build-id (copies in different containers share a table), or by device and inode without
 * one. Built on first sight from the file the process mapped, opened as {@link ProcessFiles} does;
 * least recently used tables leave beyond a bound in bytes. Thread-safe.
 */
public final class UnwindTableCache {
    private static final Path PROC = Path.of("/proc");
    private static final String VDSO_KEY = "vdso";
    private static final int EM_X86_64 = 62;
    private static final long PAGE = 4096;
    private static final long RETRY_UNREADABLE_NANOS = 10_000_000_000L;
    /** Held for a file whose tables were not built: a small entry, so that it is not rebuilt every time. */
    private static final long NO_TABLE_BYTES = 128;

    private static final NoUnwindTable ANONYMOUS = new NoUnwindTable("anonymous executable memory: no file to read");

    /** A built table and the loadable segments that map file offsets to its addresses. */
    private record Entry(UnwindResult result, long[] segOffset, long[] segVaddr, long[] segSize, long bytes) {}

    private final long maxBytes;
    private final Map<String, Entry> tables = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, String> keyOfFile; // dev:inode -> table key
    private final Map<String, Long> unreadableSince; // dev:inode -> when opening last failed
    private long bytes, builds, noTables, unreadable, evicted;
    private Entry vdso;

    /** @param maxBytes heap bytes the tables may hold together; one larger table is still kept alone */
    public UnwindTableCache(long maxBytes) {
        this.maxBytes = maxBytes;
        keyOfFile = lru(4096);
        unreadableSince = lru(4096);
    }

    private static <K, V> Map<K, V> lru(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }

    /**
     * The executable mappings of process {@code pid}, each with its binary's table (built now if new)
     * and the load bias that turns its pcs into table addresses. Anonymous executable memory (a JIT's
     * code cache) is listed too, without a table: a pc there is known to be walked by frame pointer,
     * where a pc in no listed mapping has the process listed again. Empty when the process is gone or
     * its maps cannot be read.
     */
    public synchronized List<MappedTable> tables(int pid) {
        List<MappedTable> out = new ArrayList<>();
        for (Mapping m : LiveProcessMaps.read(PROC, pid).current().all()) {
            if (!m.executable()) continue;
            if (m.isFile()) out.add(mapped(pid, m));
            else if (m.path().equals(Vdso.BINARY))
                out.add(new MappedTable(m.start(), m.end(), loadBias(vdso(), m), VDSO_KEY, vdso().result()));
            else out.add(new MappedTable(m.start(), m.end(), 0, "", ANONYMOUS));
        }
        return out;
    }

    /** The vDSO's table: the kernel maps the same image into every 64-bit process, so this process's copy serves all. */
    private Entry vdso() {
        if (vdso == null) {
            try {
                byte[] image = Vdso.image();
                vdso = image == null
                        ? noTable("no vDSO")
                        : entry(ElfFile.of(ByteBuffer.wrap(image)), elf -> build(elf, null, null, null));
            } catch (IOException | RuntimeException e) {
                vdso = noTable("vDSO unreadable: " + e.getMessage());
            }
        }
        return vdso;
    }

    private MappedTable mapped(int pid, Mapping m) {
        String fileKey = m.fileKey();
        String key = keyOfFile.get(fileKey);
        Entry e = key == null ? null : tables.get(key);
        if (e == null) {
            Long failed = unreadableSince.get(fileKey);
            if (failed != null && System.nanoTime() - failed < RETRY_UNREADABLE_NANOS) {
                return new MappedTable(m.start(), m.end(), 0, "file:" + fileKey, new NoUnwindTable("unreadable"));
            }
            try (SafeFile file = ProcessFiles.open(PROC, pid, m)) {
                Path p = file.path();
                if (key == null) {
                    String id = BinaryLoader.buildId(p);
                    key = id != null ? "build-id:" + id : "file:" + fileKey;
                    keyOfFile.put(fileKey, key);
                    e = tables.get(key);
                }
                if (e == null) e = put(key, load(p, m.path(), ProcessFiles.root(PROC, pid)));
                unreadableSince.remove(fileKey);
            } catch (IOException | RuntimeException | InternalError ex) {
                // gone, not ours to read, not a regular file, too large, or cut short while read: tried again later
                unreadable++;
                unreadableSince.put(fileKey, System.nanoTime());
                return new MappedTable(
                        m.start(),
                        m.end(),
                        0,
                        key != null ? key : "file:" + fileKey,
                        new NoUnwindTable("unreadable: " + ex.getMessage()));
            }
        }
        return new MappedTable(m.start(), m.end(), loadBias(e, m), key, e.result());
    }

    /** Subtracted from a pc of the mapping, gives the ELF virtual address: through the segment holding the mapped file offset. */
    private static long loadBias(Entry e, Mapping m) {
        for (int i = 0; i < e.segOffset().length; i++) {
            long from = e.segOffset()[i] & -PAGE, to = e.segOffset()[i] + e.segSize()[i];
            if (m.fileOffset() >= from && m.fileOffset() < to)
                return m.start() - m.fileOffset() + e.segOffset()[i] - e.segVaddr()[i];
        }
        return m.start() - m.fileOffset();
    }

    private Entry put(String key, Entry e) {
        builds++;
        if (!(e.result() instanceof UnwindTable)) noTables++;
        tables.put(key, e);
        bytes += e.bytes();
        for (Iterator<Map.Entry<String, Entry>> it = tables.entrySet().iterator();
                bytes > maxBytes && tables.size() > 1 && it.hasNext(); ) {
            Map.Entry<String, Entry> eldest = it.next();
            if (eldest.getKey().equals(key)) continue;
            bytes -= eldest.getValue().bytes();
            it.remove();
            evicted++;
        }
        return e;
    }

    private static Entry load(Path opened, String binaryPath, Path root) {
        try (ElfFile elf = ElfFile.open(opened)) {
            return entry(elf, e -> build(e, opened, binaryPath, root));
        } catch (IOException | RuntimeException | InternalError | OutOfMemoryError e) {
            // not ELF, malformed, truncated under us (a fault reading the mapped file), or built to
            // exhaust its reader (each allocation is bounded: an OutOfMemoryError is one that did not fit)
            return noTable("unreadable ELF: " + e.getMessage());
        }
    }

    private interface Builder {
        UnwindResult build(ElfFile elf) throws IOException;
    }

    private static Entry entry(ElfFile elf, Builder builder) throws IOException {
        UnwindResult r = builder.build(elf);
        List<ElfFile.Segment> segs = elf.segments();
        long[] off = new long[segs.size()], va = new long[segs.size()], size = new long[segs.size()];
        for (int i = 0; i < segs.size(); i++) {
            off[i] = segs.get(i).offset();
            va[i] = segs.get(i).vaddr();
            size[i] = segs.get(i).fileSize();
        }
        long b = (r instanceof UnwindTable t ? t.bytes() : NO_TABLE_BYTES) + 24L * segs.size();
        return new Entry(r, off, va, size, b);
    }

    private static Entry noTable(String reason) {
        return new Entry(new NoUnwindTable(reason), new long[0], new long[0], new long[0], NO_TABLE_BYTES);
    }

    /**
     * The table of the ELF file at {@code elf}, a path root may read as it is (tests, benchmarks,
     * the agent's own files); its debug file is looked for on the host. Never throws.
     */
    public static UnwindResult build(Path elf) {
        return load(elf, elf.toString(), null).result();
    }

    /** From .eh_frame (with .eh_frame_hdr), else .debug_frame of the file, else of its debug file. */
    private static UnwindResult build(ElfFile elf, Path opened, String binaryPath, Path root) throws IOException {
        if (elf.machine() != EM_X86_64)
            return new NoUnwindTable("not an x86-64 binary (e_machine " + elf.machine() + ")");
        FrameSections.Section eh = elf.section(".eh_frame");
        if (eh != null) return UnwindTables.build(new FrameSections(eh, elf.section(".eh_frame_hdr"), null));
        FrameSections.Section debugFrame = elf.section(".debug_frame");
        if (debugFrame != null) return UnwindTables.build(new FrameSections(null, null, debugFrame));
        if (opened == null) return new NoUnwindTable("no .eh_frame or .debug_frame");
        try (SafeFile debug =
                DebugFiles.find(root, opened, binaryPath, elf.buildId(), elf.debugLink(), elf.debugLinkCrc())) {
            if (debug != null) {
                try (ElfFile dbg = ElfFile.open(debug.path())) {
                    FrameSections.Section fromDebug = dbg.section(".debug_frame");
                    if (fromDebug != null) return UnwindTables.build(new FrameSections(null, null, fromDebug));
                }
            }
        }
        return new NoUnwindTable("no .eh_frame or .debug_frame");
    }

    /** Tables and no-table entries held. */
    public synchronized int size() {
        return tables.size();
    }

    /** Heap bytes the tables hold. */
    public synchronized long bytes() {
        return bytes;
    }

    /** Binaries read (a table or a reason built). */
    public synchronized long builds() {
        return builds;
    }

    /** Binaries read that gave no table. */
    public synchronized long noTables() {
        return noTables;
    }

    /** Mapped files that could not be opened (gone, refused, not root). */
    public synchronized long unreadable() {
        return unreadable;
    }

    /** Tables dropped to stay within the byte bound. */
    public synchronized long evicted() {
        return evicted;
    }
}
