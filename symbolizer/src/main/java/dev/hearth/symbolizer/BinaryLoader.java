package dev.hearth.symbolizer;

import dev.hearth.symbolizer.safefs.SafeFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/** Reads a binary's function symbols: .symtab (its own or its debug file's), then .dynsym. */
final class BinaryLoader {
    private static final int DYNSYM_RANK = 100; // at one address, prefer the fuller table's name

    private BinaryLoader() {}

    /**
     * @param opened     where the file can be read from here (through /proc/PID/root or map_files)
     * @param binaryPath the path as the process sees it (for .gnu_debuglink lookups)
     * @param root       the process's root directory, or null
     */
    static BinarySymbols load(Path opened, String binaryPath, Path root) throws IOException {
        try (ElfFile elf = ElfFile.open(opened)) {
            return read(
                    elf,
                    buildId -> DebugFiles.find(root, opened, binaryPath, buildId, elf.debugLink(), elf.debugLinkCrc()));
        }
    }

    /**
     * The symbols of an open file, from its .symtab or else from the debug file {@code debugFile} finds
     * and opens by build-id (null for none; closed here), then from its .dynsym.
     */
    static BinarySymbols read(ElfFile elf, Function<String, SafeFile> debugFile) throws IOException {
        try {
            return readSymbols(elf, debugFile);
        } catch (RuntimeException e) {
            throw new IOException("bad ELF file: " + e.getMessage(), e);
        }
    }

    private static BinarySymbols readSymbols(ElfFile elf, Function<String, SafeFile> debugFile) throws IOException {
        String buildId = elf.buildId();
        SymbolTable.Builder b = new SymbolTable.Builder();
        String debugPath = null;
        int problems = 0;
        if (!elf.has(ElfFile.SHT_SYMTAB)) {
            try (SafeFile debug = debugFile.apply(buildId)) {
                if (debug != null) {
                    try (ElfFile dbg = ElfFile.open(debug.path())) {
                        if (dbg.addFunctions(ElfFile.SHT_SYMTAB, b, 0) > 0) debugPath = debug.name();
                        problems += dbg.problems();
                    }
                }
            }
        } else {
            elf.addFunctions(ElfFile.SHT_SYMTAB, b, 0);
        }
        elf.addFunctions(ElfFile.SHT_DYNSYM, b, DYNSYM_RANK);
        problems += elf.problems();
        return BinarySymbols.of(buildId, b.build(), elf.segments(), debugPath, problems > 0 || b.dropped() > 0);
    }

    /** Only the build-id, cheaply: used to share one table between copies of a binary. */
    static String buildId(Path opened) throws IOException {
        try (ElfFile elf = ElfFile.open(opened)) {
            return elf.buildId();
        }
    }
}
