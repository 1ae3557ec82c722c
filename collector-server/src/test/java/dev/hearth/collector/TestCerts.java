package dev.hearth.collector;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A test certificate authority and a server certificate for 127.0.0.1 and localhost, made with the
 * real openssl: {@code ca.pem}, {@code server.pem}, and {@code server.key} (PKCS#8, mode 0600).
 */
public record TestCerts(Path ca, Path cert, Path key) {
    public static TestCerts make(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path caKey = dir.resolve("ca.key"),
                ca = dir.resolve("ca.pem"),
                key = dir.resolve("server.key"),
                csr = dir.resolve("server.csr"),
                cert = dir.resolve("server.pem"),
                ext = dir.resolve("ext.cnf");
        String ec = "ec", curve = "ec_paramgen_curve:prime256v1";
        openssl(
                dir,
                "req",
                "-x509",
                "-newkey",
                ec,
                "-pkeyopt",
                curve,
                "-nodes",
                "-keyout",
                caKey.toString(),
                "-out",
                ca.toString(),
                "-days",
                "2",
                "-subj",
                "/CN=hearth test CA");
        openssl(
                dir,
                "req",
                "-newkey",
                ec,
                "-pkeyopt",
                curve,
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                csr.toString(),
                "-subj",
                "/CN=127.0.0.1");
        Files.writeString(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        openssl(
                dir,
                "x509",
                "-req",
                "-in",
                csr.toString(),
                "-CA",
                ca.toString(),
                "-CAkey",
                caKey.toString(),
                "-CAcreateserial",
                "-out",
                cert.toString(),
                "-days",
                "2",
                "-extfile",
                ext.toString());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        return new TestCerts(ca, cert, key);
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)
            throw new IllegalStateException("openssl " + args[0] + " failed: " + out);
    }

    /** A TLS context that trusts this CA only. */
    public SSLContext trustingCa() throws Exception {
        X509Certificate c;
        try (InputStream in = Files.newInputStream(ca)) {
            c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("ca", c);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
