package dev.hearth.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A collector process serving HTTPS with certificates made by openssl: clients that trust its CA get in, plain HTTP does not. */
class TlsTest {
    static final long T0 = 1_700_000_000_000L;

    @TempDir
    static Path dir;

    static TestCerts certs;
    static CollectorProcess c;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCerts.make(dir.resolve("certs"));
        c = CollectorProcess.start(
                dir.resolve("data"),
                "--tls-cert",
                certs.cert().toString(),
                "--tls-key",
                certs.key().toString());
    }

    @AfterAll
    static void stop() throws Exception {
        c.close();
    }

    @Test
    void aClientTrustingTheCaIngestsAndQueriesOverHttps() throws Exception {
        assertTrue(c.output().contains("listening on https://"), c.output());
        Http https = Http.https(c.port, certs.trustingCa()).withToken(c.token);
        Http.Reply r = https.post(
                Fixtures.ingest("tls-shop", "cpu", T0, T0 + 10_000, "", "t1"), Fixtures.gz(Fixtures.shop(3, 2, 1)));
        assertEquals(200, r.status(), r.text());
        Http.Reply fg = https.get(Http.query(
                "/api/v1/flamegraph",
                "service",
                "tls-shop",
                "type",
                "cpu",
                "value",
                "samples",
                "from",
                T0,
                "until",
                T0 + 60_000));
        assertEquals(6, Http.num(fg.json(), "total"));
        assertEquals(
                401,
                Http.https(c.port, certs.trustingCa()).get("/api/v1/services").status(),
                "TLS does not replace the token");
    }

    @Test
    void plainHttpIsRefusedWithASentenceAndNothingIsStored() throws Exception {
        Http.Reply r = c.http.post(
                Fixtures.ingest("plain", "cpu", T0, T0 + 10_000, "", "p1"), Fixtures.gz(Fixtures.shop(3, 2, 1)));
        assertEquals(400, r.status(), r.text());
        assertTrue(String.valueOf(r.json().get("error")).contains("HTTPS only"), r.text());
        Http https = Http.https(c.port, certs.trustingCa()).withToken(c.token);
        assertFalse(https.get("/api/v1/services").text().contains("plain"));
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateCannotConnect() {
        Exception e = assertThrows(
                IOException.class,
                () -> Http.https(c.port, SSLContext.getDefault()).get("/api/v1/services"));
        assertTrue(e instanceof SSLHandshakeException || e.getCause() instanceof SSLHandshakeException, e.toString());
    }

    @Test
    void aKeyOthersCanReadOrABrokenCertificateStopsTheStartInOneLine() throws Exception {
        Path key = dir.resolve("open.key");
        Files.copy(certs.key(), key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        String out = refusedStart("--tls-cert", certs.cert().toString(), "--tls-key", key.toString());
        assertTrue(out.contains("TLS key " + key + ": other users can read or change it"), out);

        Path notPem = dir.resolve("not.pem");
        Files.writeString(notPem, "not a certificate\n");
        out = refusedStart(
                "--tls-cert", notPem.toString(), "--tls-key", certs.key().toString());
        assertTrue(out.contains("cannot use TLS certificate " + notPem), out);
    }

    static String refusedStart(String... args) throws Exception {
        Path data = dir.resolve("never");
        Process p =
                CollectorProcess.command(data, args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertEquals(1, out.strip().lines().count(), "one line, no stack trace:\n" + out);
        assertFalse(Files.exists(data), "nothing created");
        return out;
    }
}
