package dev.hearth.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hearth.testsupport.Privileges;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks of {@link HostileClient}, run as nobody (setpriv) against a collector: a user with no
 * privilege on any host that reaches the port gets answers, and leaves the collector serving.
 */
class UnprivilegedAttackTest {
    @TempDir
    Path dir;

    @Test
    void nobodyCannotStallTheCollector() throws Exception {
        Privileges.assumeRootOrCi("dropping to nobody");
        Path classes = Path.of(HostileClient.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Path copy = dir.resolve("classes");
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path t = copy.resolve(classes.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(t);
                else Files.copy(f, t);
            }
        }
        new ProcessBuilder("chmod", "-R", "a+rX", dir.toString()).start().waitFor();
        Duration t = Duration.ofSeconds(2);
        try (TestCollector c = new TestCollector(CollectorConfig.defaults(dir.resolve("data"))
                .withLimits(CollectorLimits.defaults().withTimeouts(t, t, t)))) {
            assertEquals(
                    200,
                    BoundedQueriesTest.ingest(
                                    c, "re", "k=" + BoundedQueriesTest.EVIL_VALUE, "re1", Fixtures.shop(1, 1, 1))
                            .status());
            Process p = new ProcessBuilder(
                            "setpriv",
                            "--reuid=65534",
                            "--regid=65534",
                            "--clear-groups",
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            copy.toString(),
                            HostileClient.class.getName(),
                            String.valueOf(c.server.port()),
                            c.token)
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(120, TimeUnit.SECONDS);
            assertEquals(
                    List.of(
                            "regex 200",
                            "regex 200",
                            "services 200",
                            "search-regex 200",
                            "escape 400",
                            "pyroscope-parts 400",
                            "endless-headers 408"),
                    out.lines().toList(),
                    out);
            assertEquals(200, c.http.get("/api/v1/services").status());
        }
    }
}
