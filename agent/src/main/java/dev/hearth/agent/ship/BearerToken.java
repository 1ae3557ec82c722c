package dev.hearth.agent.ship;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.regex.Pattern;

/**
 * The agent's token for the collector, from {@code --token-file}: the file's first line. Read at
 * start, where a bad file stops the agent, and again when the file changes (a rotated token is
 * used from the next upload on). The file must be private: a token readable by others lets them
 * send profiles in this host's name.
 */
public final class BearerToken {
    private static final int MAX_BYTES = 4096;
    /** What an Authorization: Bearer header carries unquoted (RFC 6750). */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");

    private final Path file;
    private FileTime modified;
    private long size = -1;
    private String token;

    private BearerToken(Path file) {
        this.file = file;
    }

    /** Reads the file now; IllegalArgumentException names the file and what is wrong. */
    public static BearerToken read(Path file) {
        BearerToken t = new BearerToken(file);
        try {
            t.refresh();
        } catch (IOException e) {
            throw new IllegalArgumentException("token file " + file + ": cannot read it: " + e.getMessage(), e);
        }
        return t;
    }

    /** The token, read again if the file changed; the one in use stays when the new file cannot be used. */
    public synchronized String current() {
        try {
            refresh();
        } catch (IOException | IllegalArgumentException e) {
            // keep the token that worked; the collector's 401 will say the rest
        }
        return token;
    }

    private synchronized void refresh() throws IOException {
        PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class);
        if (token != null && a.lastModifiedTime().equals(modified) && a.size() == size) return;
        String at = "token file " + file + ": ";
        if (!a.isRegularFile()) throw new IllegalArgumentException(at + "not a regular file");
        if (a.permissions().contains(PosixFilePermission.OTHERS_READ)
                || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)
                || a.permissions().contains(PosixFilePermission.GROUP_WRITE)) {
            throw new IllegalArgumentException(
                    at + "other users can read or change it; make it private with 'chmod 600 " + file + "'");
        }
        if (a.size() > MAX_BYTES) throw new IllegalArgumentException(at + "larger than " + MAX_BYTES + " bytes");
        String first = Files.readString(file, StandardCharsets.UTF_8)
                .lines()
                .map(String::strip)
                .findFirst()
                .orElse("");
        if (!TOKEN.matcher(first).matches()) {
            throw new IllegalArgumentException(at + "the first line must be the token, of [A-Za-z0-9._~+/-]");
        }
        token = first;
        modified = a.lastModifiedTime();
        size = a.size();
    }
}
