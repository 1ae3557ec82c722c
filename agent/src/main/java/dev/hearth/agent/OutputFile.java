package dev.hearth.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Where a command's result goes: standard output, or a file replaced whole. */
public final class OutputFile {
    private OutputFile() {}

    /** Writes {@code bytes} to {@code output}, or to standard output when it is null. */
    public static void write(Path output, byte[] bytes) throws IOException {
        if (output == null) {
            OutputStream out = System.out;
            out.write(bytes);
            out.flush();
            return;
        }
        // a fresh, exclusive name: the output may well be in /tmp, where a fixed one could be a planted link
        Path dir = output.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + output.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
