package dev.hearth.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.testsupport.Privileges;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens on a real collector process: who may ingest and query, as which tenant, and what every
 * refusal says; the tokens file read again while the collector runs.
 */
class AuthTest {
    static final long T0 = 1_700_000_000_000L;
    static final String A_FULL = TestTokens.newToken(),
            A_QUERY = TestTokens.newToken(),
            A_INGEST = TestTokens.newToken(),
            B_FULL = TestTokens.newToken();

    @TempDir
    static Path dir;

    static Path tokens;
    static CollectorProcess c;

    @BeforeAll
    static void start() throws Exception {
        tokens = TestTokens.write(
                dir.resolve("tokens"),
                "# tenant a",
                A_FULL + " a ingest,query",
                A_QUERY + "\ta\tquery",
                A_INGEST + " a ingest",
                "",
                B_FULL + " b query,ingest");
        c = CollectorProcess.start(dir.resolve("data"), "--tokens", tokens.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        c.close();
    }

    static Http as(String token) {
        return c.http.withToken(token);
    }

    static String ingestPath(String id) {
        return Fixtures.ingest("shop", "cpu", T0, T0 + 10_000, "host=h", id);
    }

    static final byte[] BODY = Fixtures.gz(Fixtures.shop(3, 2, 1));

    static void assertRefused(int status, Http.Reply r, String says) {
        assertEquals(status, r.status(), r.text());
        assertTrue(
                r.raw().headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                r.raw().headers().toString());
        assertTrue(String.valueOf(r.json().get("error")).contains(says), r.text());
        if (status == 401)
            assertEquals(
                    "Bearer realm=\"hearth\"",
                    r.raw().headers().firstValue("WWW-Authenticate").orElse(null));
    }

    @Test
    void withoutAValidTokenNothingIsStoredOrReadButTheUiPageLoads() throws Exception {
        for (Http h : List.of(
                as(null),
                as(TestTokens.newToken()),
                as(A_FULL + "x"),
                c.http.withHeader("Authorization", "Basic " + A_FULL))) {
            assertRefused(401, h.post(ingestPath("x1"), BODY), "token");
            for (String q :
                    List.of("/api/v1/services", "/api/v1/labels?service=shop&key=host", "/api/v1/nothing-here")) {
                assertRefused(401, h.get(q), "token");
            }
        }
        assertEquals(200, as(null).get("/").status(), "the UI holds no data and loads without a token");
        assertEquals(200, as(A_FULL).get("/api/v1/services").status());
        assertFalse(as(A_FULL).get("/api/v1/services").text().contains("x1"));
    }

    @Test
    void eachScopeAllowsOnlyItsOwnRequests() throws Exception {
        assertRefused(403, as(A_QUERY).post(ingestPath("q1"), BODY), "may not ingest");
        assertRefused(403, as(A_INGEST).get("/api/v1/services"), "may not query");
        assertEquals(200, as(A_INGEST).post(ingestPath("i1"), BODY).status());
        Http.Reply services = as(A_QUERY).get("/api/v1/services");
        assertEquals(200, services.status(), services.text());
        assertTrue(services.text().contains("\"shop\""), services.text());
    }

    @Test
    void aTenantHeaderMayOnlyRepeatTheTokensTenant() throws Exception {
        assertRefused(403, as(A_FULL).withHeader("X-Scope-OrgID", "b").get("/api/v1/services"), "another tenant");
        assertRefused(403, as(A_FULL).withHeader("X-Scope-OrgID", "b").post(ingestPath("h1"), BODY), "another tenant");
        assertRefused(400, as(A_FULL).withHeader("X-Scope-OrgID", "a|b").get("/api/v1/services"), "tenant id");
        assertEquals(
                200,
                as(A_FULL)
                        .withHeader("X-Scope-OrgID", "a")
                        .get("/api/v1/services")
                        .status());
    }

    /** The refusal comes from the request head: a client without a token never gets to make the collector hold a body. */
    @Test
    void anUnauthenticatedUploadIsRefusedBeforeItsBodyIsRead() throws Exception {
        try (Socket s = new Socket("127.0.0.1", c.port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + ingestPath("big") + " HTTP/1.1\r\nHost: x\r\nContent-Length: 15000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(readAll(s.getInputStream()), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
            assertTrue(answer.contains("connection: close") || answer.contains("Connection: close"), answer);
        }
    }

    static byte[] readAll(InputStream in) throws Exception {
        return in.readAllBytes(); // the collector closes the connection after the refusal
    }

    @Test
    void anUnprivilegedLocalUserWithoutATokenIsRefused() throws Exception {
        Privileges.assumeRootOrCi("switching to the user nobody");
        Files.setPosixFilePermissions(
                dir, PosixFilePermissions.fromString("rwxr-xr-x")); // only the file's own mode keeps nobody out
        Process p = new ProcessBuilder(
                        "setpriv",
                        "--reuid=nobody",
                        "--regid=nogroup",
                        "--clear-groups",
                        "curl",
                        "-s",
                        "-o",
                        "/dev/null",
                        "-w",
                        "%{http_code}",
                        "-X",
                        "POST",
                        "--data-binary",
                        "x",
                        "http://127.0.0.1:" + c.port + ingestPath("nobody"))
                .start();
        String code = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals("401", code);
        // and the tokens file, which the collector insists is private, is not readable by that user
        Process cat = new ProcessBuilder(
                        "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "cat", tokens.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(cat.getInputStream().readAllBytes());
        assertTrue(cat.waitFor(30, TimeUnit.SECONDS));
        assertNotEquals(0, cat.exitValue(), out);
        assertFalse(out.contains(A_FULL));
    }

    @Test
    void anEditedTokensFileTakesEffectWithoutARestartAndABrokenOneKeepsTheTokensInForce() throws Exception {
        Path dataDir = dir.resolve("reload");
        Path file = TestTokens.write(dir.resolve("reload.tokens"), A_FULL + " a ingest,query");
        try (CollectorProcess r = CollectorProcess.start(dataDir, "--tokens", file.toString())) {
            Http old = r.http.withToken(A_FULL), fresh = r.http.withToken(B_FULL);
            assertEquals(200, old.get("/api/v1/services").status());
            assertEquals(401, fresh.get("/api/v1/services").status());

            TestTokens.write(file, B_FULL + " b ingest,query");
            awaitStatus(fresh, 200);
            assertEquals(401, old.get("/api/v1/services").status(), "a removed token no longer works");

            // a broken file, then one others can read: both said in the log, the tokens in force stay
            TestTokens.write(file, B_FULL + " b ingest,query,admin");
            awaitOutput(r, "line 1: unknown scope 'admin'");
            assertEquals(200, fresh.get("/api/v1/services").status());
            TestTokens.write(file, A_FULL + " a ingest,query");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            awaitOutput(r, "other users can read or change it");
            assertEquals(200, fresh.get("/api/v1/services").status());
            assertEquals(401, old.get("/api/v1/services").status());
            assertFalse(r.output().contains(A_FULL) || r.output().contains(B_FULL), "no token in the log");

            // made private again: read
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            awaitStatus(old, 200);

            // emptied (comments only): every token revoked
            TestTokens.write(file, "# nobody for now");
            awaitStatus(old, 401);
            assertEquals(401, fresh.get("/api/v1/services").status());
        }
    }

    static void awaitStatus(Http h, int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int last;
        do {
            last = h.get("/api/v1/services").status();
            if (last == status) return;
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertEquals(status, last, "the edited tokens file did not take effect within 20 s");
    }

    static void awaitOutput(CollectorProcess p, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!p.output().contains(text)) {
            if (System.nanoTime() > deadline)
                throw new AssertionError("no '" + text + "' in the collector's output:\n" + p.output());
            Thread.sleep(100);
        }
    }

    @Test
    void aTokensFileOthersCanReadStopsTheStartBeforeAnythingIsCreated() throws Exception {
        Path file = TestTokens.write(dir.resolve("open.tokens"), A_FULL + " a ingest");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Path data = dir.resolve("never");
        Process p = CollectorProcess.command(data, "--tokens", file.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertTrue(
                out.contains(
                        "tokens file " + file + ": other users can read or change it; make it private with 'chmod 600"),
                out);
        assertEquals(1, out.strip().lines().count(), "one line, no stack trace:\n" + out);
        assertFalse(Files.exists(data), "nothing created");
    }

    /** Without tokens: loopback unless told otherwise, and then a warning that the collector is open to anyone. */
    @Test
    void withoutTokensTheCollectorListensOnLoopbackAndWarnsWhenToldOtherwise() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> base = List.of(
                javaBin, "-cp", System.getProperty("java.class.path"), "dev.hearth.collector.Main", "--port", "0");
        Process p = new ProcessBuilder(
                        concat(base, "--data", dir.resolve("loopback").toString()))
                .redirectErrorStream(true)
                .start();
        try {
            String out = firstLine(p, "listening on");
            var m = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/")
                    .matcher(out);
            assertTrue(m.find(), out);
            int port = Integer.parseInt(m.group(1));
            for (InetAddress a : otherAddresses()) {
                assertThrows(IOException.class, () -> new Socket(a, port).close(), "reachable on " + a);
            }
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        Process open = new ProcessBuilder(
                        concat(base, "--data", dir.resolve("open").toString(), "--host", "0.0.0.0"))
                .redirectErrorStream(true)
                .start();
        try {
            String out = firstLine(open, "listening on");
            assertTrue(
                    out.contains(
                            "WARNING: listening on 0.0.0.0 without --tokens: anyone who can reach it can ingest profiles"
                                    + " and read every profile"),
                    out);
        } finally {
            open.destroy();
            open.waitFor(30, TimeUnit.SECONDS);
        }
    }

    static List<String> concat(List<String> a, String... b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }

    /** The output up to and including the first line containing {@code text}. */
    static String firstLine(Process p, String text) throws Exception {
        var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        for (String line; (line = in.readLine()) != null; ) {
            out.append(line).append('\n');
            if (line.contains(text)) return out.toString();
        }
        throw new AssertionError("the collector exited:\n" + out);
    }

    /** This machine's addresses other than loopback, where a loopback-only collector must not answer. */
    static List<InetAddress> otherAddresses() throws Exception {
        List<InetAddress> out = new ArrayList<>();
        for (var nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) continue;
            for (var a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address) out.add(a);
            }
        }
        return out;
    }
}
