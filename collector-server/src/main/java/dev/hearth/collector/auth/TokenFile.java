package dev.hearth.collector.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The tokens file, parsed: one token a line, {@code TOKEN TENANT SCOPE[,SCOPE]} separated by
 * spaces or tabs, {@code #} starting a comment line. Tokens are kept only as SHA-256 hashes, and
 * no error message quotes one (they end up in logs).
 */
public final class TokenFile {
    public static final int MAX_BYTES = 1 << 20;
    public static final int MIN_TOKEN_LENGTH = 16;
    public static final int MAX_TOKEN_LENGTH = 256;
    /** RFC 6750's b64token: what a Bearer header can carry without quoting. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");

    private static final Pattern FIELDS = Pattern.compile("[ \t]+");

    private TokenFile() {}

    /** Grants by {@link #key} of the token's hash. */
    public static Map<String, Grant> parse(String text) {
        if (text.length() > MAX_BYTES) throw new IllegalArgumentException("larger than " + MAX_BYTES + " bytes");
        Map<String, Grant> grants = new HashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String at = "line " + (i + 1) + ": ";
            String[] f = FIELDS.split(line);
            if (f.length != 3)
                throw new IllegalArgumentException(
                        at + "expected TOKEN TENANT SCOPE[,SCOPE], got " + f.length + " fields");
            String token = f[0];
            if (token.length() < MIN_TOKEN_LENGTH
                    || token.length() > MAX_TOKEN_LENGTH
                    || !TOKEN.matcher(token).matches()) {
                throw new IllegalArgumentException(at + "a token is " + MIN_TOKEN_LENGTH + " to " + MAX_TOKEN_LENGTH
                        + " of [A-Za-z0-9._~+/-] (e.g. made by 'openssl rand -hex 32')");
            }
            if (!Tenant.isValid(f[1])) throw new IllegalArgumentException(at + Tenant.RULE);
            Set<Scope> scopes = EnumSet.noneOf(Scope.class);
            for (String s : f[2].split(",", -1)) {
                try {
                    scopes.add(Scope.ofId(s));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(at + e.getMessage());
                }
            }
            if (grants.put(key(hash(token)), new Grant(f[1], scopes)) != null) {
                throw new IllegalArgumentException(at + "the same token as an earlier line");
            }
        }
        return grants;
    }

    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static String key(byte[] hash) {
        return Base64.getEncoder().encodeToString(hash);
    }
}
