package dev.hearth.collector.http;

import dev.hearth.collector.auth.PrivateFile;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Path;

/** The server's TLS from PEM files: a certificate chain, and its key in PKCS#8 ("BEGIN PRIVATE KEY"). */
public final class TlsContext {
    private TlsContext() {}

    /** IllegalArgumentException names the file and what to do. */
    public static SslContext server(Path certChain, Path key) {
        try {
            PrivateFile.check(key);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("TLS key " + key + ": " + e.getMessage(), e);
        }
        try {
            return SslContextBuilder.forServer(certChain.toFile(), key.toFile())
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "cannot use TLS certificate " + certChain + " with key " + key + ": " + e.getMessage()
                            + " (both PEM; an unencrypted PKCS#8 key, e.g. from 'openssl pkcs8 -topk8 -nocrypt')",
                    e);
        }
    }
}
