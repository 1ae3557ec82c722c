package dev.hearth.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.collector.StartupErrorsTest.Run;
import dev.hearth.collector.storage.ClickHouseCredentials;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --store and its ClickHouse credentials: every mistake is one clear line before anything starts,
 * credentials never come from the command line nor from a file others can read, and no message
 * shows the password.
 */
class StoreOptionsTest {
    @TempDir
    Path dir;

    static void refused(int exit, String fragment, Run r) {
        assertEquals(exit, r.exit(), String.join("\n", r.lines()));
        assertEquals(1, r.lines().size(), "one line, no stack trace:\n" + String.join("\n", r.lines()));
        assertTrue(r.lines().get(0).contains(fragment), r.lines().get(0) + " should say " + fragment);
    }

    @Test
    void badStoreValuesAreOneLine() throws Exception {
        refused(2, "duckdb:DIR or clickhouse:", StartupErrorsTest.run("--port", "0", "--store", "postgres://x"));
        refused(
                2,
                "no credentials in the URL",
                StartupErrorsTest.run("--port", "0", "--store", "clickhouse:http://u:secret@127.0.0.1:8123"));
        refused(
                2,
                "?cluster=NAME",
                StartupErrorsTest.run("--port", "0", "--store", "clickhouse:http://127.0.0.1:1,http://127.0.0.1:2"));
        refused(
                2,
                "cluster must be a name",
                StartupErrorsTest.run("--port", "0", "--store", "clickhouse:http://127.0.0.1:1?cluster=x;DROP"));
        refused(
                2,
                "not a URL like http://HOST:8123",
                StartupErrorsTest.run("--port", "0", "--store", "clickhouse:127.0.0.1"));
    }

    @Test
    void credentialsFileOthersCanReadIsRefusedWithoutShowingIt() throws Exception {
        Path file = dir.resolve("clickhouse.credentials");
        Files.writeString(file, "user=hearth\npassword=do-not-print-me\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Run r = StartupErrorsTest.run(
                "--port", "0", "--store", "clickhouse:http://127.0.0.1:1", "--store-credentials", file.toString());
        refused(2, "chmod 600", r);
        assertFalse(r.lines().get(0).contains("do-not-print-me"), r.lines().get(0));
    }

    @Test
    void unreachableClickHouseIsOneLineNamingIt() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        refused(
                1,
                "cannot open the store, ClickHouse [http://127.0.0.1:" + closed + "/]",
                StartupErrorsTest.run("--port", "0", "--store", "clickhouse:http://127.0.0.1:" + closed));
    }

    @Test
    void aUserWithAPasswordFromTheFileAndAWrongOneRefusedWithoutShowingIt() throws Exception {
        ClickHouseServers.assumeInstalled();
        URI server = ClickHouseServers.single().get(0);
        String store = "clickhouse:http://127.0.0.1:" + server.getPort() + "?database=options_"
                + ProcessHandle.current().pid();
        Path good = dir.resolve("good"), bad = dir.resolve("bad");
        Files.writeString(
                good,
                "# ClickHouse\nuser=" + ClickHouseServers.USER + "\npassword=" + ClickHouseServers.PASSWORD + "\n");
        Files.writeString(bad, "user=" + ClickHouseServers.USER + "\npassword=wrong-and-secret\n");
        for (Path f : new Path[] {good, bad})
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));

        Run r = StartupErrorsTest.run("--port", "0", "--store", store, "--store-credentials", bad.toString());
        refused(1, "cannot open the store", r);
        assertFalse(r.lines().get(0).contains("wrong-and-secret"), r.lines().get(0));

        try (CollectorProcess c =
                CollectorProcess.start(dir.resolve("data"), "--store", store, "--store-credentials", good.toString())) {
            Http.Reply ok = c.http.post(
                    Fixtures.ingest("shop", "cpu", 1_700_000_000_000L, 1_700_000_010_000L, "host=a", "one"),
                    Fixtures.gz(Fixtures.shop(1, 1, 1)));
            assertEquals(200, ok.status(), ok.text());
            assertFalse(c.output().contains(ClickHouseServers.PASSWORD), c.output());
        }
    }

    @Test
    void credentialsFromTheEnvironment() {
        assertEquals(ClickHouseCredentials.DEFAULT, ClickHouseCredentials.fromEnvironment(Map.of()));
        assertEquals(
                new ClickHouseCredentials("u", "p"),
                ClickHouseCredentials.fromEnvironment(
                        Map.of(ClickHouseCredentials.USER_ENV, "u", ClickHouseCredentials.PASSWORD_ENV, "p")));
        assertThrows(
                IllegalArgumentException.class,
                () -> ClickHouseCredentials.fromEnvironment(Map.of(ClickHouseCredentials.PASSWORD_ENV, "p")));
        assertFalse(new ClickHouseCredentials("u", "secret").toString().contains("secret"));
    }
}
