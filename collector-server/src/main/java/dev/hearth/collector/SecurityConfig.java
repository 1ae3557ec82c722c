package dev.hearth.collector;

import java.nio.file.Path;

/**
 * Who may use a collector and how they reach it. {@code tokens}: the tokens file, or null to take
 * the tenant from the {@code X-Scope-OrgID} header (loopback, or behind an authenticating proxy).
 * {@code tlsCert} and {@code tlsKey}: PEM files for HTTPS, both or neither.
 */
public record SecurityConfig(Path tokens, Path tlsCert, Path tlsKey) {
    public static final SecurityConfig OPEN = new SecurityConfig(null, null, null);

    public SecurityConfig {
        if ((tlsCert == null) != (tlsKey == null))
            throw new IllegalArgumentException("TLS needs both a certificate and its key");
    }

    public boolean tls() {
        return tlsCert != null;
    }

    /** Where to listen when not told: loopback only, tokens or not; any other address is asked for with --host. */
    public String defaultHost() {
        return "127.0.0.1";
    }
}
