package dev.hearth.symbolizer;

import java.util.List;

/**
 * The function symbols of one binary, by ELF virtual address, with what is needed to turn a file
 * offset into such an address. Shared by every process that maps the binary.
 *
 * @param buildId   hex GNU build-id, or null
 * @param table     symbols; empty when the binary has none (or could not be read)
 * @param segOffset file offsets of the loadable segments
 * @param segVaddr  their virtual addresses
 * @param segSize   their sizes in the file
 * @param debugFile the separate debug file the symbols came from, or null
 * @param partial   the file was malformed or past a bound in places, and read only in part
 */
record BinarySymbols(
        String buildId,
        SymbolTable table,
        long[] segOffset,
        long[] segVaddr,
        long[] segSize,
        String debugFile,
        boolean partial) {
    static final BinarySymbols UNREADABLE =
            new BinarySymbols(null, SymbolTable.EMPTY, new long[0], new long[0], new long[0], null, false);

    static BinarySymbols of(
            String buildId, SymbolTable table, List<ElfFile.Segment> segments, String debugFile, boolean partial) {
        int n = segments.size();
        long[] off = new long[n], va = new long[n], size = new long[n];
        for (int i = 0; i < n; i++) {
            off[i] = segments.get(i).offset();
            va[i] = segments.get(i).vaddr();
            size[i] = Math.max(segments.get(i).fileSize(), 1);
        }
        return new BinarySymbols(buildId, table, off, va, size, debugFile, partial);
    }

    /** ELF virtual address of a file offset (what symbol values are), or -1 outside every segment. */
    long vaddr(long fileOffset) {
        for (int i = 0; i < segOffset.length; i++) {
            if (fileOffset >= segOffset[i] && fileOffset < segOffset[i] + segSize[i])
                return fileOffset - segOffset[i] + segVaddr[i];
        }
        return -1;
    }

    long bytes() {
        return table.bytes() + 24L * segOffset.length + 64;
    }
}
