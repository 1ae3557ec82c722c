package dev.hearth.collector.storage;

import dev.hearth.collector.auth.PrivateFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * Who the collector is to ClickHouse. From a private file ({@code user=NAME} and
 * {@code password=SECRET} lines) or the environment, never from the command line, where every
 * user of the host can read it. No message quotes the password.
 */
public record ClickHouseCredentials(String user, String password) {
    public static final String USER_ENV = "HEARTH_CLICKHOUSE_USER", PASSWORD_ENV = "HEARTH_CLICKHOUSE_PASSWORD";
    /** ClickHouse's own default: the {@code default} user without a password. */
    public static final ClickHouseCredentials DEFAULT = new ClickHouseCredentials("default", "");

    private static final int MAX_BYTES = 64 << 10;

    public ClickHouseCredentials {
        if (user.isEmpty() || user.length() > 256 || user.chars().anyMatch(c -> c < 0x21 || c == ':')) {
            throw new IllegalArgumentException("a ClickHouse user name is 1 to 256 visible characters without ':'");
        }
        if (password.length() > 1024 || password.chars().anyMatch(c -> c == '\n' || c == '\r')) {
            throw new IllegalArgumentException("a ClickHouse password is at most 1024 characters on one line");
        }
    }

    /** The credentials of a file that only its owner may read. */
    public static ClickHouseCredentials read(Path file) {
        try {
            if (!Files.exists(file)) throw new IllegalArgumentException("no such file");
            PrivateFile.check(file);
            if (Files.size(file) > MAX_BYTES) throw new IllegalArgumentException("larger than " + MAX_BYTES + " bytes");
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "ClickHouse credentials file " + file + ": cannot read it: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ClickHouse credentials file " + file + ": " + e.getMessage(), e);
        }
    }

    static ClickHouseCredentials parse(String text) {
        String user = null, password = "";
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            String key = eq < 0 ? line : line.substring(0, eq).strip();
            String value = eq < 0 ? "" : line.substring(eq + 1).strip();
            switch (key) {
                case "user" -> user = value;
                case "password" -> password = value;
                default ->
                    throw new IllegalArgumentException("line " + (i + 1) + ": expected user=NAME or password=SECRET");
            }
        }
        if (user == null) throw new IllegalArgumentException("no user=NAME line");
        return new ClickHouseCredentials(user, password);
    }

    /** From {@value #USER_ENV} and {@value #PASSWORD_ENV}; {@link #DEFAULT} when neither is set. */
    public static ClickHouseCredentials fromEnvironment(Map<String, String> env) {
        String user = env.get(USER_ENV), password = env.get(PASSWORD_ENV);
        if (user == null && password == null) return DEFAULT;
        if (user == null) throw new IllegalArgumentException(PASSWORD_ENV + " is set without " + USER_ENV);
        return new ClickHouseCredentials(user, password == null ? "" : password);
    }

    /** The HTTP Basic authorization header value (the form ClickHouse's HTTP interface has accepted longest). */
    String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "user " + user;
    }
}
