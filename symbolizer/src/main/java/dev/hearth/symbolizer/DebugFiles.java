package dev.hearth.symbolizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Finds the separate debug file of a stripped binary the way GDB does: by build-id under
 * /usr/lib/debug/.build-id/, then by .gnu_debuglink next to the binary, in its .debug/ folder and
 * under /usr/lib/debug/. Each candidate is looked for inside the process's root (containers) first.
 */
final class DebugFiles {
    private DebugFiles() {}

    /** Candidate paths in the order they are tried. */
    static List<Path> candidates(Path root, String binaryPath, String buildId, String debugLink) {
        List<String> rel = new ArrayList<>();
        if (buildId != null && buildId.length() > 2) {
            rel.add("/usr/lib/debug/.build-id/" + buildId.substring(0, 2) + "/" + buildId.substring(2) + ".debug");
        }
        if (debugLink != null && !debugLink.isEmpty() && !debugLink.contains("/")) {
            int slash = binaryPath.lastIndexOf('/');
            String dir = slash <= 0 ? "" : binaryPath.substring(0, slash);
            rel.add(dir + "/" + debugLink);
            rel.add(dir + "/.debug/" + debugLink);
            rel.add("/usr/lib/debug" + dir + "/" + debugLink);
        }
        List<Path> out = new ArrayList<>();
        for (String r : rel) {
            if (root != null) out.add(Path.of(root + r));
            out.add(Path.of(r));
        }
        return out;
    }

    /**
     * The first candidate that belongs to the binary: same build-id when both have one, otherwise the
     * CRC-32 named by the debug link. The binary itself is never its own debug file.
     */
    static Path find(Path root, Path opened, String binaryPath, String buildId, String debugLink, long crc) {
        for (Path p : candidates(root, binaryPath, buildId, debugLink)) {
            if (!Files.isRegularFile(p)) continue;
            try {
                if (Files.size(p) > Integer.MAX_VALUE) continue; // unreadable as ELF here, and too long to checksum
                if (Files.isSameFile(p, opened)) continue;
                try (ElfFile elf = ElfFile.open(p)) {
                    String id = elf.buildId();
                    if (buildId != null && id != null) {
                        if (id.equals(buildId)) return p;
                        continue;
                    }
                }
                if (crc >= 0 && crc32(p) == crc) return p;
            } catch (IOException | RuntimeException e) {
                // unreadable or not ELF: try the next candidate
            }
        }
        return null;
    }

    static long crc32(Path p) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(p)) {
            for (int n; (n = in.read(buf)) > 0; ) crc.update(buf, 0, n);
        }
        return crc.getValue();
    }
}
