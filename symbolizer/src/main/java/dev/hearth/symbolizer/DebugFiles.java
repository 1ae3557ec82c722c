package dev.hearth.symbolizer;

import dev.hearth.symbolizer.safefs.SafeFile;
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
 * under /usr/lib/debug/. Each candidate is looked for inside the process's root (containers) first,
 * then on the host; opened with no link followed (a debug file reached through a link is not used).
 */
final class DebugFiles {
    private DebugFiles() {}

    /** A candidate: a path as the process (or the host) sees it, under a trusted root. */
    record Candidate(Path root, String path) {
        @Override
        public String toString() {
            return "/".equals(root.toString()) ? path : root + path;
        }
    }

    private static final Path HOST_ROOT = Path.of("/");

    /** Candidate paths in the order they are tried. */
    static List<Candidate> candidates(Path root, String binaryPath, String buildId, String debugLink) {
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
        List<Candidate> out = new ArrayList<>();
        for (String r : rel) {
            if (root != null) out.add(new Candidate(root, r));
            out.add(new Candidate(HOST_ROOT, r));
        }
        return out;
    }

    /**
     * The first candidate that belongs to the binary: same build-id when both have one, otherwise the
     * CRC-32 named by the debug link. The binary itself is never its own debug file. The caller
     * closes the file returned.
     */
    static SafeFile find(Path root, Path opened, String binaryPath, String buildId, String debugLink, long crc) {
        for (Candidate c : candidates(root, binaryPath, buildId, debugLink)) {
            SafeFile f = null;
            try {
                f = ProcessFiles.openBeneath(c.root(), c.path());
                Path p = f.path();
                if (!Files.isSameFile(p, opened)) {
                    try (ElfFile elf = ElfFile.open(p)) {
                        String id = elf.buildId();
                        if (buildId != null && id != null) {
                            if (id.equals(buildId)) return f;
                        } else if (crc >= 0 && crc32(p) == crc) {
                            return f;
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // missing, a link, unreadable or not ELF: try the next candidate
            }
            if (f != null) f.close();
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
