package dev.hearth.symbolizer.unwind;

/**
 * One executable mapping of a process (a file, the vDSO, or anonymous memory such as a JIT's code
 * cache) and the unwind table of its file.
 *
 * @param start    first address of the mapping (inclusive)
 * @param end      end of the mapping (exclusive)
 * @param loadBias subtract from a pc in [start, end) to get the table address ({@link UnwindTable})
 * @param key      the table's identity, shared by every mapping of the same file: "build-id:HEX",
 *                 "file:DEV:INODE" for a file without build-id, "vdso" for the vDSO (one image per kernel),
 *                 "" for anonymous memory (no file, no table: walked by frame pointer)
 * @param table    the table, or why there is none
 */
public record MappedTable(long start, long end, long loadBias, String key, UnwindResult table) {}
