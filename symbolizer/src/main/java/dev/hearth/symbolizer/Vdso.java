package dev.hearth.symbolizer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Symbols of the vDSO (clock_gettime and friends, hot in Java through System.nanoTime). It is no file:
 * the kernel maps one image into every 64-bit process, so this process's own copy, read from
 * /proc/self/mem, names every other process's too.
 */
final class Vdso {
    static final String BINARY = "[vdso]";

    private Vdso() {}

    static BinarySymbols load() {
        try {
            byte[] image = image();
            if (image != null) {
                try (ElfFile elf = ElfFile.of(ByteBuffer.wrap(image))) {
                    SymbolTable.Builder b = new SymbolTable.Builder();
                    elf.addFunctions(ElfFile.SHT_DYNSYM, b, 0);
                    return BinarySymbols.of(elf.buildId(), b.build(), elf.segments(), null, false);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no vDSO here, or its memory cannot be read: its frames stay unknown
        }
        return BinarySymbols.UNREADABLE;
    }

    /** This process's vDSO image, or null when it has none. */
    static byte[] image() throws IOException {
        for (String line : Files.readString(Path.of("/proc/self/maps"), StandardCharsets.ISO_8859_1)
                .split("\n")) {
            if (!line.endsWith(BINARY)) continue;
            Mapping m = MapsParser.parseLine(line);
            byte[] image = new byte[(int) (m.end() - m.start())];
            try (RandomAccessFile mem = new RandomAccessFile("/proc/self/mem", "r")) {
                mem.seek(m.start());
                mem.readFully(image);
            }
            return image;
        }
        return null;
    }
}
