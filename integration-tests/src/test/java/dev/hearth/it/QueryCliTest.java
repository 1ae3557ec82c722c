package dev.hearth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.agent.Main;
import dev.hearth.collector.CollectorProcess;
import dev.hearth.collector.Http;
import dev.hearth.pprof.ProfileCodec;
import dev.hearth.pprof.ProfileReader;
import dev.hearth.testsupport.Privileges;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * {@code hearth query} against a real collector with tokens, holding the shop's two deploys:
 * every subcommand and format, read back by what a user reads them with (go tool pprof, a table,
 * JSON, a browser opening the HTML file offline).
 */
class QueryCliTest {
    private static final String SERVICE = "query-shop";
    private static CollectorProcess collector;
    private static Path dir, tokenFile;
    private static long now;
    private static final String TAX_SHARE =
            String.format(java.util.Locale.ROOT, "%.2f%%", 100.0 * ShopProfiles.TAX_V2 / ShopProfiles.TOTAL_V2);

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "query-cli-");
        collector = CollectorProcess.start(dir.resolve("data"));
        now = System.currentTimeMillis();
        ingest("version=1,host=a", ShopProfiles.TAX_V1, now - 20 * 60_000, now - 19 * 60_000);
        ingest("version=2,host=a", ShopProfiles.TAX_V2, now - 10 * 60_000, now - 9 * 60_000);
        tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, collector.token + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
    }

    private static void ingest(String labels, long tax, long from, long until) throws Exception {
        Http.Reply r = collector.http.post(
                Http.query(
                        "/api/v1/ingest",
                        "service",
                        SERVICE,
                        "type",
                        "cpu",
                        "from",
                        from,
                        "until",
                        until,
                        "labels",
                        labels),
                ShopProfiles.profile(tax));
        assertEquals(200, r.status(), r.text());
    }

    @AfterAll
    static void stop() throws Exception {
        if (collector != null) collector.close();
    }

    /** Runs {@code hearth query ARGS --collector … --token-file … -o FILE} in this JVM; the file's bytes. */
    private static byte[] query(String... args) throws Exception {
        Path out = Files.createTempFile(dir, "out-", "");
        List<String> all = new ArrayList<>(List.of("query"));
        all.addAll(List.of(args));
        all.addAll(List.of(
                "--collector",
                "http://127.0.0.1:" + collector.port,
                "--token-file",
                tokenFile.toString(),
                "-o",
                out.toString()));
        PrintStream err = System.err;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(all.toArray(String[]::new));
        } finally {
            System.setErr(err);
        }
        assertEquals(0, code, String.join(" ", all) + ": " + said.toString(StandardCharsets.UTF_8));
        return Files.readAllBytes(out);
    }

    private static String text(String... args) throws Exception {
        return new String(query(args), StandardCharsets.UTF_8);
    }

    private static final String[] V2 = {
        "--service",
        SERVICE,
        "--value",
        "samples",
        "--from",
        "now-11m",
        "--until",
        "now-8m",
        "--labels",
        "version=~2|3,host=a"
    };

    @Test
    void servicesAsTableAndJson() throws Exception {
        String table = text("services");
        assertTrue(table.lines().anyMatch(l -> l.matches(SERVICE + " +cpu +.*version.*")), table);
        Map<String, Object> json = Http.json(text("services", "--format", "json"));
        assertEquals(SERVICE, ((Map<?, ?>) ((List<?>) json.get("services")).get(0)).get("name"));
    }

    @Test
    void flamegraphTopFoldedAndJsonOfOneDeploy() throws Exception {
        List<String> top = text(concat(V2, "flamegraph", "--top", "3")).lines().toList();
        assertEquals(4, top.size(), String.join("\n", top));
        double share = 100.0 * ShopProfiles.TAX_V2 / ShopProfiles.TOTAL_V2;
        assertTrue(
                top.get(1)
                        .matches(String.format(
                                " +%d +%.2f%% +%d +%.2f%%  %s",
                                ShopProfiles.TAX_V2,
                                share,
                                ShopProfiles.TAX_V2,
                                share,
                                ShopProfiles.TAX.replace(".", "\\."))),
                top.get(1));

        List<String> folded = text(concat(V2, "flamegraph", "--format", "folded"))
                .lines()
                .sorted()
                .toList();
        List<String> expected = ShopProfiles.stacks(ShopProfiles.TAX_V2).entrySet().stream()
                .map(e -> String.join(";", e.getKey()) + " " + e.getValue())
                .sorted()
                .toList();
        assertEquals(expected, folded);

        Map<String, Object> json = Http.json(text(concat(V2, "flamegraph", "--format", "json")));
        assertEquals((double) ShopProfiles.TOTAL_V2, ((Number) json.get("total")).doubleValue());
    }

    @Test
    void pprofReadByGoToolPprof() throws Exception {
        if (System.getenv("CI") == null)
            Assumptions.assumeTrue(
                    Files.isExecutable(Path.of("/usr/bin/go")),
                    "skipped: go (Debian golang-go) is not installed; ./hearth test installs it");
        byte[] gz = query(concat(V2, "pprof"));
        assertEquals(
                ShopProfiles.TOTAL_V2,
                ProfileReader.samples(ProfileCodec.decode(gz, 1 << 24)).stream()
                        .mapToLong(s -> s.values()[0])
                        .sum());
        Path file = dir.resolve("v2.pb.gz");
        Files.write(file, query(concat(V2, "flamegraph", "--format", "pprof")));
        Process p = new ProcessBuilder("go", "tool", "pprof", "-top", "-sample_index=samples", file.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(
                out.lines()
                        .anyMatch(l -> l.matches(" *" + ShopProfiles.TAX_V2 + " +" + TAX_SHARE.replace(".", "\\.")
                                + " .*" + ShopProfiles.TAX.replace(".", "\\."))),
                out);
    }

    @Test
    void diffAndTimeline() throws Exception {
        String[] both = {
            "--service", SERVICE, "--value", "samples", "--from", "now-11m", "--until", "now-8m", "--labels", "host=a"
        };
        List<String> diff = text(concat(
                        both, "diff", "--base-from", "now-21m", "--base-until", "now-18m", "--absolute", "--top", "2"))
                .lines()
                .toList();
        assertEquals(3, diff.size(), String.join("\n", diff));
        long change = ShopProfiles.TAX_V2 - ShopProfiles.TAX_V1;
        assertTrue(
                diff.get(1)
                        .matches(String.format(
                                " +%d +%d +\\+%d +\\+[0-9.]+%%  %s",
                                ShopProfiles.TAX_V2,
                                ShopProfiles.TAX_V1,
                                change,
                                ShopProfiles.TAX.replace(".", "\\."))),
                String.join("\n", diff));
        assertTrue(text(concat(V2, "diff", "--base-from", "now-21m", "--base-until", "now-18m", "--format", "json"))
                .contains("\"baseSelf\""));

        String timeline = text(
                "timeline",
                "--service",
                SERVICE,
                "--value",
                "samples",
                "--from",
                String.valueOf(now - 30 * 60_000),
                "--until",
                java.time.Instant.ofEpochMilli(now).toString(),
                "--step",
                "1m");
        long sum = timeline.lines()
                .skip(1)
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
        assertEquals(ShopProfiles.TOTAL_V1 + ShopProfiles.TOTAL_V2, sum, timeline);
        assertEquals(30, timeline.lines().count() - 1, timeline);
    }

    /** A real process, as a script runs it: failures exit non-zero with one line that says why. */
    @Test
    void failuresSayWhy() throws Exception {
        Path wrong = dir.resolve("wrong-token");
        Files.writeString(wrong, "not-the-token-0123456789\n");
        Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
        String url = "http://127.0.0.1:" + collector.port;
        assertFails(
                1,
                "hearth query services: the collector answered 401: unknown token",
                "services",
                "--collector",
                url,
                "--token-file",
                wrong.toString());
        Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-r--r--"));
        assertFails(
                1,
                "other users can read or change it",
                "services",
                "--collector",
                url,
                "--token-file",
                wrong.toString());
        assertFails(
                1,
                "not a time: 'yesterday'",
                "flamegraph",
                "--collector",
                url,
                "--token-file",
                tokenFile.toString(),
                "--service",
                SERVICE,
                "--from",
                "yesterday");
        assertFails(
                1,
                "the collector answered 400: parameter 'labels': label matcher",
                "flamegraph",
                "--collector",
                url,
                "--token-file",
                tokenFile.toString(),
                "--service",
                SERVICE,
                "--labels",
                "version");
        assertFails(
                1,
                "timeline writes [top, json], not html",
                "timeline",
                "--collector",
                url,
                "--token-file",
                tokenFile.toString(),
                "--service",
                SERVICE,
                "--format",
                "html");
    }

    private static void assertFails(int code, String says, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.hearth.agent.Main",
                "query"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(code, p.exitValue(), out);
        assertTrue(out.contains(says), out);
    }

    /**
     * Root writing -o into a shared folder where another user planted a link at that name: the
     * link is replaced by the file, the file it pointed to is untouched.
     */
    @Test
    void outputReplacesALinkPlantedByAnotherUser() throws Exception {
        Privileges.assumeRootOrCi("planting a link as nobody");
        Path shared = Files.createTempDirectory("hearth-query-shared-");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setAttribute(shared, "unix:mode", 01777); // sticky, like /tmp
        Path victim = dir.resolve("victim");
        Files.writeString(victim, "precious\n");
        Path link = shared.resolve("flame.html");
        try {
            Process ln = new ProcessBuilder(
                            "setpriv",
                            "--reuid=nobody",
                            "--regid=nogroup",
                            "--clear-groups",
                            "ln",
                            "-s",
                            victim.toAbsolutePath().toString(),
                            link.toString())
                    .redirectErrorStream(true)
                    .start();
            assertEquals(0, ln.waitFor(), new String(ln.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertTrue(Files.isSymbolicLink(link));
            List<String> args = new ArrayList<>(List.of("query", "flamegraph"));
            args.addAll(List.of(V2));
            args.addAll(List.of(
                    "--format",
                    "html",
                    "--collector",
                    "http://127.0.0.1:" + collector.port,
                    "--token-file",
                    tokenFile.toString(),
                    "-o",
                    link.toString()));
            assertEquals(0, Main.run(args.toArray(String[]::new)));
            assertEquals("precious\n", Files.readString(victim));
            assertTrue(Files.isRegularFile(link, java.nio.file.LinkOption.NOFOLLOW_LINKS));
            assertTrue(Files.readString(link).contains(ShopProfiles.TAX));
        } finally {
            try (var files = Files.list(shared)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.delete(shared);
        }
    }

    /** The HTML file opens offline in a real Chromium: frames drawn, names as text, search highlights, click zooms. */
    @Test
    void htmlFlameGraphWorksOffline() throws Exception {
        if (System.getenv("CI") == null)
            Assumptions.assumeTrue(
                    Browser.available(),
                    "skipped: needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
        Path html = dir.resolve("shop.html");
        Files.write(html, query(concat(V2, "flamegraph", "--format", "html")));
        Http.Reply served = collector.http.get(Http.query(
                "/api/v1/flamegraph",
                "service",
                SERVICE,
                "type",
                "cpu",
                "from",
                now - 11 * 60_000,
                "until",
                now - 8 * 60_000,
                "labels",
                "version=2",
                "value",
                "samples",
                "format",
                "html"));
        assertEquals(200, served.status(), served.text());
        assertTrue(served.raw()
                .headers()
                .firstValue("Content-Security-Policy")
                .orElse("")
                .startsWith("sandbox allow-scripts"));
        String leaf =
                "[\"" + ShopProfiles.TAX + "\",\"jit\"," + ShopProfiles.TAX_V2 + "," + ShopProfiles.TAX_V2 + ",[]]";
        assertTrue(
                served.text().contains(leaf) && Files.readString(html).contains(leaf),
                "the collector and the CLI render the same frame");

        try (Browser b = new Browser(Path.of("target", "screenshots"))) {
            b.driver.get(html.toUri().toString());
            WebElement tax = b.await(
                    "the Tax frame",
                    d -> d.findElements(By.cssSelector(".frame")).stream()
                            .filter(e -> e.getText().contains("Tax.compute")
                                    || ShopProfiles.TAX.equals(e.getDomAttribute("data-name")))
                            .findFirst()
                            .orElse(null));
            assertTrue(tax.getSize().getWidth() > 100, "46% of the graph is wide");
            assertEquals(0L, b.js("return performance.getEntriesByType('resource').length"), "nothing fetched");
            assertEquals(
                    0L, b.js("return document.querySelectorAll('img').length"), "a frame name is text, never markup");
            assertEquals(
                    1L,
                    b.js(
                            "return [...document.querySelectorAll('.frame')].filter(f => f.dataset.name === arguments[0]).length",
                            ShopProfiles.HOSTILE));
            b.screenshot("query-html");

            b.driver.findElement(By.id("search")).sendKeys("tax.comp");
            b.await(
                    "search matches",
                    d -> d.findElement(By.id("status")).getText().startsWith("Matched: " + TAX_SHARE) ? true : null);
            assertEquals(List.of(ShopProfiles.TAX), names(b, ".frame.match"));

            b.driver.findElement(By.id("search")).clear();
            b.js("const s = document.getElementById('search'); s.value = ''; s.dispatchEvent(new Event('input'));");
            frame(b, ShopProfiles.CHECKOUT).click();
            assertEquals(
                    "100%",
                    frame(b, ShopProfiles.CHECKOUT).getDomAttribute("style").replaceAll(".*width: ([0-9.]+%).*", "$1"));
            List<String> shown = names(b, ".frame:not(.faded)");
            assertTrue(
                    shown.contains(ShopProfiles.TAX)
                            && shown.contains(ShopProfiles.ADD)
                            && !shown.contains(ShopProfiles.JSON),
                    shown.toString());
            b.driver.findElement(By.id("reset")).click();
            assertTrue(names(b, ".frame").contains(ShopProfiles.JSON));
        }
    }

    private static WebElement frame(Browser b, String name) {
        return (WebElement) b.js(
                "return [...document.querySelectorAll('.frame')].find(f => f.dataset.name === arguments[0])", name);
    }

    @SuppressWarnings("unchecked")
    private static List<String> names(Browser b, String selector) {
        return ((List<Object>)
                        b.js("return [...document.querySelectorAll(arguments[0])].map(f => f.dataset.name)", selector))
                .stream().map(String::valueOf).collect(Collectors.toList());
    }

    private static String[] concat(String[] selection, String command, String... more) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(List.of(selection));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
