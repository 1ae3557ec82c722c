package dev.hearth.collector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Tokens files for tests: private (0600) like the collector demands, with fresh random tokens. */
public final class TestTokens {
    /** The tenant of the tokens the shared test helpers use. */
    public static final String TENANT = "test";

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestTokens() {}

    public static String newToken() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Writes the lines to the file, made private first (rewrites keep the mode). */
    public static Path write(Path file, String... lines) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!Files.exists(file))
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    /** A file with one token of {@link #TENANT} that may ingest and query; returns the token. */
    public static String writeFullAccess(Path file) throws IOException {
        String token = newToken();
        write(file, "# test token", token + " " + TENANT + " ingest,query");
        return token;
    }
}
