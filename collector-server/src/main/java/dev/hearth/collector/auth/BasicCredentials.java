package dev.hearth.collector.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * HTTP Basic credentials as Pyroscope's clients send them to a hosted Pyroscope (Grafana Cloud):
 * the password is the token, and the user, when not empty, names the tenant as the
 * {@code X-Scope-OrgID} header would.
 */
public record BasicCredentials(String user, String password) {
    static final String PREFIX = "Basic ";
    private static final int MAX_LENGTH = 4096;

    public static boolean isBasic(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** The credentials of a Basic header; IllegalArgumentException when malformed. */
    public static BasicCredentials parse(String authorization) {
        String encoded = authorization.substring(PREFIX.length()).strip();
        if (encoded.length() > MAX_LENGTH) throw new IllegalArgumentException("Basic credentials are too long");
        String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon < 0) throw new IllegalArgumentException("Basic credentials must be user:password");
        return new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
}
