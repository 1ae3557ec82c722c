package dev.hearth.it;

import static dev.hearth.it.ShopProfiles.ADD;
import static dev.hearth.it.ShopProfiles.CHECKOUT;
import static dev.hearth.it.ShopProfiles.HOSTILE;
import static dev.hearth.it.ShopProfiles.JSON;
import static dev.hearth.it.ShopProfiles.SERVICE;
import static dev.hearth.it.ShopProfiles.SYSCALL;
import static dev.hearth.it.ShopProfiles.TAX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.pprof.ProfileCodec;
import dev.hearth.pprof.proto.Profile;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The page in a real Chromium against a real collector holding real ingested profiles: the
 * story a person follows (service, graph, search, zoom, diff, shared link), then the edges.
 * Screenshots go to target/screenshots/ for people to look at.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlameGraphPageTest {
    static final double TAX_SHARE =
            (double) (ShopProfiles.TAX_V1 + ShopProfiles.TAX_V2) / (ShopProfiles.TOTAL_V1 + ShopProfiles.TOTAL_V2);
    static final List<Long> MATCH_RGB = List.of(224L, 64L, 251L);

    static CollectorProcess collector;
    static Browser browser;
    static String savedUrl;
    static List<Long> savedTaxPixel;
    static Map<?, ?> savedState;

    @BeforeAll
    static void start() throws Exception {
        if (System.getenv("CI") == null)
            Assumptions.assumeTrue(
                    Browser.available(),
                    "skipped: needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
        Path target = Path.of("target");
        Path data = Files.createTempDirectory(Files.createDirectories(target), "ui-collector-");
        collector = CollectorProcess.start(data, target.resolve("ui-collector.log"));
        long now = System.currentTimeMillis();
        ShopProfiles.ingest(collector.url, "1", ShopProfiles.TAX_V1, now - 20 * 60_000, now - 19 * 60_000);
        ShopProfiles.ingest(collector.url, "2", ShopProfiles.TAX_V2, now - 10 * 60_000, now - 9 * 60_000);
        ShopProfiles.post(
                collector.url,
                ShopProfiles.WIDE_SERVICE,
                "host=it-host",
                ShopProfiles.wideProfile(),
                now - 5 * 60_000,
                now - 4 * 60_000);
        ShopProfiles.post(
                collector.url,
                ShopProfiles.TINY_SERVICE,
                "host=it-host",
                ShopProfiles.tinyProfile(),
                now - 5 * 60_000,
                now - 4 * 60_000);
        ShopProfiles.post(
                collector.url,
                ShopProfiles.TIERS_SERVICE,
                "host=it-host," + ShopProfiles.UNNAMED_LABEL,
                ShopProfiles.tiersProfile(),
                now - 5 * 60_000,
                now - 4 * 60_000);
        browser = new Browser(target.resolve("screenshots"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.close();
        if (collector != null) collector.close();
    }

    // ---- the story ----

    @Test
    @Order(1)
    void pickingTheServiceShowsItsKnownMethod() throws Exception {
        browser.driver.get(collector.url + "/");
        browser.await("page settled", d -> List.of("ready", "empty").contains(attr("body", "data-status")));
        new Select(find("#service")).selectByValue(SERVICE);
        new Select(find("#type")).selectByValue("cpu");
        awaitStatus("ready");

        Map<?, ?> tax = frame(TAX);
        assertEquals("JIT Java", row(tax, "kind"));
        assertTrue(row(tax, "total").endsWith("(" + percent(TAX_SHARE) + ")"), row(tax, "total"));
        hover(tax);
        WebElement tip = browser.await("tooltip", d -> find("#tooltip").isDisplayed() ? find("#tooltip") : null);
        assertTrue(tip.getText().contains(TAX), tip.getText());
        assertTrue(tip.getText().contains(percent(TAX_SHARE)), tip.getText());
        // colours by kind: inlined Java is aqua, the kernel orange
        List<Long> inlined = pixelIn(frame(ADD));
        assertTrue(inlined.get(1) > inlined.get(0) + 60 && inlined.get(2) > inlined.get(0) + 60, "aqua: " + inlined);
        List<Long> kernel = pixelIn(frame(SYSCALL));
        assertTrue(kernel.get(0) > kernel.get(1) && kernel.get(1) > kernel.get(2) + 60, "orange: " + kernel);
        assertFalse(browser.driver
                .findElements(By.cssSelector("#top tr[data-name='" + TAX + "']"))
                .isEmpty());
        browser.screenshot("1-service");
    }

    @Test
    @Order(2)
    void searchHighlightsTheMethodAndShowsItsShare() throws Exception {
        find("#search").sendKeys("tax.comp");
        String share = browser.await(
                "match share",
                d -> attr("#flame", "data-match-share").isEmpty() ? null : attr("#flame", "data-match-share"));
        assertEquals(TAX_SHARE, Double.parseDouble(share), 1e-6);
        assertTrue(
                find("#match-share").getText().contains(percent(TAX_SHARE)),
                find("#match-share").getText());
        assertEquals(MATCH_RGB, pixelIn(frame(TAX)).subList(0, 3));
        assertNotEquals(MATCH_RGB, pixelIn(frame(ADD)).subList(0, 3));
        browser.screenshot("2-search");
    }

    @Test
    @Order(3)
    void clickingAFrameZoomsIntoIt() throws Exception {
        click(frame(CHECKOUT));
        browser.await("zoom", d -> CHECKOUT.equals(attr("#flame", "data-focus")));
        double width = ((Number) browser.js("return document.getElementById('flame').getBoundingClientRect().width"))
                .doubleValue();
        assertEquals(width, num(frame(CHECKOUT), "w"), 1.0);
        // Checkout.total holds BigDecimal.add (600) and Tax.compute (800): the zoomed shares
        assertEquals(800.0 / 1400, num(frame(TAX), "w") / width, 0.01);
        assertTrue(frames(JSON).isEmpty(), "siblings of the zoomed frame are not drawn");
        assertTrue(browser.driver.getCurrentUrl().contains("zoom="), browser.driver.getCurrentUrl());
        browser.screenshot("3-zoom");
    }

    @Test
    @Order(4)
    void diffBetweenVersionsShowsTheKnownChange() throws Exception {
        clear(find("#search"));
        browser.await("search cleared", d -> attr("#flame", "data-match-share").isEmpty());
        find("#diff").click();
        find("#base-labels").sendKeys("version=1");
        find("#apply-base").click();
        new Select(find("#label-key")).selectByVisibleText("version");
        find("#label-value").sendKeys("2");
        find("#label-add").click();
        awaitStatus("ready");
        browser.await("diff drawn", d -> frames(TAX).size() == 1 && row(frame(TAX), "change") != null);

        // the share of Tax.compute grows from 200 of 900 to 600 of 1300: +107.7 %
        double expected = ((double) ShopProfiles.TAX_V2 / ShopProfiles.TOTAL_V2)
                        / ((double) ShopProfiles.TAX_V1 / ShopProfiles.TOTAL_V1)
                - 1;
        String change = row(frame(TAX), "change");
        assertTrue(change.startsWith(String.format(java.util.Locale.ROOT, "+%.1f%%", expected * 100)), change);
        assertEquals(
                "2.02 s (22.2% of baseline)",
                row(frame(TAX), "baseline"), "the baseline's own numbers: 200 samples of 900");
        List<Long> more = pixelIn(frame(TAX));
        assertTrue(more.get(0) > 180 && more.get(1) < 90 && more.get(2) < 90, "red: " + more);
        List<Long> less = pixelIn(frame(ADD));
        assertTrue(less.get(1) > less.get(0) && less.get(1) > less.get(2), "green: " + less);
        browser.screenshot("4-diff");

        new Select(find("#palette")).selectByValue("cb");
        browser.await("colour-blind palette", d -> !pixelIn(frame(TAX)).equals(more));
        List<Long> orange = pixelIn(frame(TAX));
        assertTrue(orange.get(0) > 180 && orange.get(2) < 60, "orange: " + orange);
        List<Long> blue = pixelIn(frame(ADD));
        assertTrue(blue.get(2) > blue.get(0), "blue: " + blue);
        browser.screenshot("4-diff-colour-blind");

        savedUrl = browser.driver.getCurrentUrl();
        savedTaxPixel = orange;
        savedState = (Map<?, ?>) browser.js("return window.hearth.state()");
    }

    @Test
    @Order(5)
    void theUrlReopensTheSameView() throws Exception {
        browser.driver.get("about:blank");
        browser.driver.get(savedUrl);
        awaitStatus("ready");
        browser.await("diff drawn", d -> !frames(TAX).isEmpty());
        assertEquals(savedState, browser.js("return window.hearth.state()"));
        assertEquals(CHECKOUT, attr("#flame", "data-focus"));
        assertTrue(find("#diff").isSelected());
        assertEquals(savedTaxPixel, pixelIn(frame(TAX)));
        browser.screenshot("5-reopened");
    }

    // ---- the rest of what a user can do ----

    @Test
    @Order(6)
    void functionNamesAreTextNeverMarkup() throws Exception {
        open("");
        assertEquals(0L, browser.js("return document.querySelectorAll('img').length"));
        WebElement cell = find("#top tr[data-name='" + HOSTILE.replace("'", "\\'") + "'] td.name");
        assertEquals(HOSTILE, cell.getDomAttribute("title"));
        assertTrue(
                HOSTILE.endsWith(cell.getText().replaceFirst("^…", "")),
                "as text, shortened to the column: " + cell.getText());
        hover(frame(HOSTILE));
        browser.await(
                "tooltip of the hostile name",
                d -> HOSTILE.equals(find("#tooltip .tt-name").getText()));
        assertEquals(0L, browser.js("return document.querySelectorAll('img').length"));
        assertThrows(
                NoAlertPresentException.class, () -> browser.driver.switchTo().alert());
    }

    @Test
    @Order(7)
    void tableRowOpensTheSandwichOfAFunction() throws Exception {
        open("");
        find("#top tr[data-name='" + TAX + "']").click();
        browser.await("selected", d -> TAX.equals(find("#selected-name").getText()));
        assertEquals(MATCH_RGB, pixelIn(frame(TAX)).subList(0, 3), "the table row highlights its frames");
        find("#copy-name").click();
        browser.await("copied", d -> "copied".equals(find("#copy-note").getText()));
        find("#show-sandwich").click();
        browser.await("callers", d -> !frames(CHECKOUT, "callers").isEmpty());
        assertFalse(frames(TAX, "callers").isEmpty());
        assertEquals(
                List.of(TAX),
                browser.js(
                        "return [...new Set(window.hearth.frames(arguments[0], 'callees').map(f => f.info.name))]",
                        TAX));
        browser.screenshot("7-sandwich");
    }

    @Test
    @Order(8)
    void draggingOverTheTimelineChoosesAWindow() throws Exception {
        open("");
        WebElement timeline = find("#timeline");
        assertTrue(Double.parseDouble(timeline.getAttribute("data-max")) > 0, "the timeline shows the ingested totals");
        int w = timeline.getSize().getWidth();
        new Actions(browser.driver)
                .moveToElement(timeline, -w / 4, 0)
                .clickAndHold()
                .moveByOffset(w / 2, 0)
                .release()
                .perform();
        browser.await(
                "window chosen",
                d -> ((Map<?, ?>) browser.js("return window.hearth.state()"))
                        .get("from")
                        .toString()
                        .matches("\\d+"));
        Map<?, ?> state = (Map<?, ?>) browser.js("return window.hearth.state()");
        long span = Long.parseLong(state.get("until").toString())
                - Long.parseLong(state.get("from").toString());
        assertEquals(30 * 60_000, span, 60_000, "half of the one-hour timeline");
        browser.await("loaded", d -> !"loading".equals(attr("body", "data-status")));
    }

    @Test
    @Order(9)
    void thePprofDownloadIsTheMergedProfile() throws Exception {
        open("");
        String href = find("#download").getDomProperty("href");
        HttpResponse<byte[]> r = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(href)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        Profile p = ProfileCodec.decode(r.body(), ProfileCodec.DEFAULT_MAX_DECOMPRESSED);
        assertTrue(p.getStringTableList().contains(TAX), "the merged profile names " + TAX);
    }

    /** Download HTML saves the collector's self-contained page of the same selection. */
    @Test
    @Order(9)
    void theHtmlDownloadIsTheFlameGraphPage() throws Exception {
        open("");
        // catch the file the page saves instead of letting the browser write it
        browser.js("window.saved = null; URL.createObjectURL = (b) => { window.saved = b; return 'about:blank'; };"
                + " HTMLAnchorElement.prototype.click = function () { window.savedAs = this.download; };");
        find("#download-html").click();
        browser.await(
                "saved",
                d -> browser.js("return window.saved !== null && window.savedAs !== undefined") == Boolean.TRUE
                        ? true
                        : null);
        assertEquals(SERVICE + "-cpu.html", browser.js("return window.savedAs"));
        String html = (String) ((org.openqa.selenium.JavascriptExecutor) browser.driver)
                .executeAsyncScript("const done = arguments[0]; window.saved.text().then(done);");
        assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, Math.min(80, html.length())));
        assertTrue(html.contains("[\"" + TAX + "\",\"jit\","), "the page holds the frames");
    }

    @Test
    @Order(10)
    void anEmptyWindowIsSaidInWords() throws Exception {
        open("&from=now-7d&until=now-6d");
        awaitStatus("empty");
        assertTrue(
                find("#message").getText().startsWith("No data for " + SERVICE),
                find("#message").getText());
    }

    @Test
    @Order(12)
    void prunedFramesShowAsOther() throws Exception {
        browser.driver.get(collector.url + "/?service=" + ShopProfiles.WIDE_SERVICE + "&type=cpu");
        awaitStatus("ready");
        Map<?, ?> other = frame("other");
        assertEquals("other (pruned small frames)", row(other, "kind"));
        long folded = Math.round(num(other, "total") / ShopProfiles.NANOS_PER_SAMPLE);
        assertTrue(folded > 0 && folded <= ShopProfiles.PLUGINS, "folded plugin frames: " + folded);
        assertEquals(
                (50_000.0 + ShopProfiles.PLUGINS) * ShopProfiles.NANOS_PER_SAMPLE,
                num(frame("com.example.Plugins.run"), "total"),
                "pruning loses no time");
        List<Long> grey = pixelIn(other);
        assertTrue(Math.abs(grey.get(0) - grey.get(1)) < 8 && Math.abs(grey.get(1) - grey.get(2)) < 8, "grey: " + grey);
        browser.screenshot("10-other");
    }

    @Test
    @Order(11)
    void staysUsableAt800PixelsWide() throws Exception {
        browser.size(800, 800);
        try {
            open("");
            assertTrue(
                    (Long) browser.js("return document.documentElement.scrollWidth") <= 800,
                    "no horizontal scrolling, wider: "
                            + browser.js(
                                    "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 800).map(e => e.id || e.tagName).join(' ')"));
            double right = ((Number)
                            browser.js("return document.getElementById('flame').getBoundingClientRect().right"))
                    .doubleValue();
            assertTrue(right <= 800, "graph fits: " + right);
            hover(frame(TAX));
            browser.await("tooltip", d -> find("#tooltip").isDisplayed());
            browser.screenshot("11-800px");
        } finally {
            browser.size(1280, 800);
        }
    }

    @Test
    @Order(13)
    void escapeStepsOutOfAZoom() throws Exception {
        open("&zoom=" + URLEncoder.encode("java;com.example.shop.Server.handle", StandardCharsets.UTF_8));
        assertEquals("com.example.shop.Server.handle", attr("#flame", "data-focus"));
        new Actions(browser.driver).sendKeys(org.openqa.selenium.Keys.ESCAPE).perform();
        browser.await(
                "one level out",
                d -> List.of("java").equals(((Map<?, ?>) browser.js("return window.hearth.state()")).get("zoom")));
        new Actions(browser.driver).sendKeys("0").perform();
        browser.await(
                "zoom reset",
                d -> ((List<?>) ((Map<?, ?>) browser.js("return window.hearth.state()")).get("zoom")).isEmpty());
        assertEquals(
                num(frame("java"), "w"),
                num(frame("com.example.shop.Server.handle"), "w") + num(frame("GCTaskThread::run()"), "w"),
                2.0,
                "back to the whole graph");
    }

    @Test
    @Order(14)
    void aBaselineWindowOfThePreviousPeriod() throws Exception {
        open("&diff=1");
        assertTrue(
                row(frame(TAX), "change").startsWith("0% "),
                "the same window on both sides: no change, got " + row(frame(TAX), "change"));
        find("#previous-period").click();
        // nothing was ingested in the hour before the window: every frame is new
        browser.await("baseline moved", d -> row(frame(TAX), "change").startsWith("new "));
        Map<?, ?> state = (Map<?, ?>) browser.js("return window.hearth.state()");
        assertEquals(
                Long.parseLong(state.get("baseUntil").toString())
                        - Long.parseLong(state.get("baseFrom").toString()),
                3_600_000L);
        // ... which the page says, rather than showing everything red
        WebElement warning = browser.await("warning", d -> find("#warning").isDisplayed() ? find("#warning") : null);
        assertTrue(warning.getText().contains("has no data: every frame shows as new"), warning.getText());
        // the baseline is marked on the timeline, which now spans it: the left half
        String[] base = attr("#timeline", "data-base").split(",");
        double w = find("#timeline").getSize().getWidth();
        assertEquals(0, Double.parseDouble(base[0]), 2);
        assertEquals(w / 2, Double.parseDouble(base[1]), 2);
        // the fields show local date-times, never milliseconds
        assertTrue(
                find("#base-from").getDomProperty("value").matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"),
                find("#base-from").getDomProperty("value"));
        browser.screenshot("14-empty-baseline");
    }

    // ---- what a newcomer trips on (issue 16) ----

    @Test
    @Order(20)
    void theLandingPageOpensTheBusiestServiceAndThePickerShowsVolumes() throws Exception {
        browser.driver.get(collector.url + "/");
        awaitStatus("ready");
        assertEquals(
                ShopProfiles.WIDE_SERVICE,
                state().get("service"),
                "the busiest, not '" + ShopProfiles.TINY_SERVICE + "', first by name");
        browser.screenshot("16-1-landing-busiest");
        assertEquals(
                ShopProfiles.TINY_SERVICE + " · cpu 10.1 ms",
                find("#service option[value='" + ShopProfiles.TINY_SERVICE + "']")
                        .getText());
        assertTrue(
                find("#service option[value='" + SERVICE + "']").getText().startsWith(SERVICE + " · cpu "),
                find("#service option[value='" + SERVICE + "']").getText());
        find("#service-filter").sendKeys("tier");
        browser.await(
                "filtered",
                d -> browser.js("return [...document.querySelectorAll('#service option')].map(o => o.value).join()")
                                .equals(ShopProfiles.WIDE_SERVICE + "," + ShopProfiles.TIERS_SERVICE)
                        ? true
                        : null);
        browser.screenshot("16-1-picker-filtered");
        find("#service-filter").sendKeys(org.openqa.selenium.Keys.ENTER);
        browser.await("picked by Enter", d -> ShopProfiles.TIERS_SERVICE.equals(state().get("service")));
        awaitStatus("ready");
    }

    @Test
    @Order(21)
    void anUnknownServiceInALinkIsAnErrorNotAnotherService() throws Exception {
        browser.driver.get(collector.url + "/?service=nope&type=cpu");
        awaitStatus("error");
        assertTrue(
                find("#message").getText().contains("no service \"nope\""),
                find("#message").getText());
        assertEquals("nope", state().get("service"));
        browser.screenshot("16-8-unknown-service");
        new Select(find("#service")).selectByValue(SERVICE);
        awaitStatus("ready");
    }

    @Test
    @Order(22)
    void theTableAndSearchComeFromTheFullMergeAndTheGraphSaysWhatItFolded() throws Exception {
        browser.driver.get(collector.url + "/?service=" + ShopProfiles.WIDE_SERVICE + "&type=cpu");
        awaitStatus("ready");
        assertFalse(frames("other").isEmpty(), "the graph folds");
        assertTrue(
                browser.driver
                        .findElements(By.cssSelector("#top tr[data-name='other']"))
                        .isEmpty(),
                "the table does not");
        assertEquals(
                400L,
                browser.js("return document.querySelectorAll('#top tbody tr').length"),
                "plugin rows fill the table");
        assertEquals(
                0L,
                browser.js(
                        "return [...document.querySelectorAll('#top td.name')].filter(td => td.scrollWidth > td.clientWidth).length"),
                "names are shortened to fit, never cut off at the right");
        WebElement note = find("#folded-note");
        assertTrue(note.isDisplayed() && note.getText().contains("into the striped “other” frames"), note.getText());
        find("#search").sendKeys("plugin.P");
        String share = browser.await(
                "match share",
                d -> attr("#flame", "data-match-share").isEmpty() ? null : attr("#flame", "data-match-share"));
        assertEquals(
                (double) ShopProfiles.PLUGINS / (50_000 + ShopProfiles.PLUGINS),
                Double.parseDouble(share),
                1e-9,
                "every plugin, folded or not");
        browser.screenshot("16-2-full-merge-table");
    }

    @Test
    @Order(23)
    void timesAreLocalDateTimesAndRelativeForms() throws Exception {
        open("");
        assertTrue(
                find("#time-zone").getText().matches(".+, UTC[+-]\\d\\d:\\d\\d"),
                find("#time-zone").getText());
        WebElement timeline = find("#timeline");
        int w = timeline.getSize().getWidth();
        // from half an hour ago to a quarter of an hour ago: the profile of twenty minutes ago
        new Actions(browser.driver)
                .moveToElement(timeline, 0, 0)
                .clickAndHold()
                .moveByOffset(w / 4, 0)
                .release()
                .perform();
        browser.await("window chosen", d -> state().get("from").toString().matches("\\d+"));
        String shown = find("#from").getDomProperty("value");
        assertTrue(
                shown.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"),
                "a local date-time, not milliseconds: " + shown);
        assertEquals(
                Long.parseLong(state().get("from").toString()),
                ((Number) browser.js("return new Date(arguments[0].replace(' ', 'T')).getTime()", shown)).longValue());
        awaitStatus("ready");
        browser.screenshot("16-3-local-times");
        clear(find("#from"));
        find("#from").sendKeys("now-15m", org.openqa.selenium.Keys.ENTER);
        browser.await("relative form", d -> "now-15m".equals(state().get("from")));
        clear(find("#from"));
        find("#from").sendKeys(shown.substring(0, 16), org.openqa.selenium.Keys.ENTER); // minutes only
        browser.await("typed local time", d -> state().get("from").toString().matches("\\d+"));
        assertEquals(
                ((Number) browser.js(
                                "return new Date(arguments[0].replace(' ', 'T')).getTime()", shown.substring(0, 16)))
                        .longValue(),
                Long.parseLong(state().get("from").toString()));
    }

    @Test
    @Order(24)
    void aFunctionIsOneRowWhateverItsJitTier() throws Exception {
        browser.driver.get(collector.url + "/?service=" + ShopProfiles.TIERS_SERVICE + "&type=cpu");
        awaitStatus("ready");
        List<WebElement> rows =
                browser.driver.findElements(By.cssSelector("#top tr[data-name='" + ShopProfiles.SORT + "']"));
        assertEquals(1, rows.size());
        assertTrue(
                rows.get(0).findElement(By.cssSelector("td.num")).getText().startsWith("1.52 s"),
                "150 samples: " + rows.get(0).getText());
        assertEquals(
                ShopProfiles.SORT + "\n(frames as JIT Java, C1 Java, interpreted Java)",
                rows.get(0).findElement(By.cssSelector("td.name")).getDomAttribute("title"));
        assertTrue(frames(ShopProfiles.SORT).size() >= 3, "the graph keeps the tiers apart by colour");
        browser.screenshot("16-4-one-row-per-function");
    }

    @Test
    @Order(25)
    void unnamedFramesSayWhyAndHowToFixIt() throws Exception {
        browser.driver.get(collector.url + "/?service=" + ShopProfiles.TIERS_SERVICE + "&type=cpu");
        awaitStatus("ready");
        WebElement note =
                browser.await("note", d -> find("#unnamed-note").isDisplayed() ? find("#unnamed-note") : null);
        String text = note.getText();
        assertTrue(
                text.startsWith(percent(50.0 / ShopProfiles.TIERS_TOTAL) + " of the time is in frames without a name"),
                text);
        assertTrue(text.contains("The agent says: the JVM runs without -XX:+PreserveFramePointer"), text);
        assertTrue(text.contains("let Hearth attach"), text);
        open("");
        assertFalse(find("#unnamed-note").isDisplayed(), "nothing to say for a named profile");
        browser.driver.get(collector.url + "/?service=" + ShopProfiles.TIERS_SERVICE + "&type=cpu");
        awaitStatus("ready");
        browser.screenshot("16-5-unnamed-frames");
    }

    @Test
    @Order(26)
    void theSplitDragsAndLongNamesShortenFromTheLeft() throws Exception {
        browser.driver.get(collector.url + "/?service=" + ShopProfiles.TIERS_SERVICE + "&type=cpu");
        awaitStatus("ready");
        WebElement cell = find("#top tr[data-name='" + ShopProfiles.LONG_NAME + "'] td.name");
        String before = cell.getText();
        assertTrue(
                before.length() < ShopProfiles.LONG_NAME.length()
                        && ShopProfiles.LONG_NAME.endsWith(before.replaceFirst("^…", "")),
                before);
        assertEquals(ShopProfiles.LONG_NAME, cell.getDomAttribute("title"));
        double table = find("#table-panel").getSize().getWidth();
        new Actions(browser.driver).dragAndDropBy(find("#splitter"), 300, 0).perform();
        browser.await("wider table", d -> find("#table-panel").getSize().getWidth() > table + 250 ? true : null);
        String after = browser.await("longer name", d -> {
            String t = find("#top tr[data-name='" + ShopProfiles.LONG_NAME + "'] td.name")
                    .getText();
            return t.length() > before.length() ? t : null;
        });
        assertTrue(
                after.endsWith("OrderRepositoryAdapterImplementation.findAllPendingOrders"),
                "the class and method read whole: " + after);
        browser.screenshot("16-7-split-and-names");
        browser.js("localStorage.removeItem('hearth.tableWidth')");
    }

    @Test
    @Order(27)
    void sideBySideShowsBaselineAndComparisonAlignedByFrame() throws Exception {
        open("&labels=version%3D2&diff=1&baseLabels=version%3D1&view=side");
        browser.await(
                "both sides",
                d -> !frames(TAX, "base").isEmpty() && !frames(TAX, "comp").isEmpty());
        double side = ((Number) browser.js("return document.getElementById('side-base').getBoundingClientRect().width"))
                .doubleValue();
        assertEquals((double) ShopProfiles.TAX_V1 / ShopProfiles.TOTAL_V1, num(frame(TAX, "base"), "w") / side, 0.01);
        assertEquals((double) ShopProfiles.TAX_V2 / ShopProfiles.TOTAL_V2, num(frame(TAX, "comp"), "w") / side, 0.01);
        hover(frame(TAX, "base"));
        browser.await(
                "the same frame marked in the comparison",
                d -> pixelIn(frame(TAX, "comp"), "comp").subList(0, 3).equals(MATCH_RGB) ? true : null);
        browser.screenshot("16-8-side-by-side");
    }

    @Test
    @Order(28)
    void recursionCollapsesAndFocusShowsCallersAboveCalleesBelow() throws Exception {
        browser.driver.get(collector.url + "/?service=" + ShopProfiles.TIERS_SERVICE + "&type=cpu");
        awaitStatus("ready");
        assertEquals(3, frames(ShopProfiles.FIB).size());
        find("#rec").click();
        browser.await("collapsed", d -> frames(ShopProfiles.FIB).size() == 1 ? true : null);
        assertEquals(40.0 * ShopProfiles.NANOS_PER_SAMPLE, num(frame(ShopProfiles.FIB), "total"));
        browser.screenshot("16-11-collapsed-recursion");
        find("#top tr[data-name='" + ShopProfiles.FIB + "']").click();
        find("#show-sandwich").click();
        browser.await("callers", d -> !frames("java", "callers").isEmpty() ? true : null);
        assertFalse(frames("com.example.Fib.add", "callees").isEmpty());
        assertEquals(1, frames(ShopProfiles.FIB, "callees").size(), "its recursive calls folded there too");
        assertTrue(frames("java", "callees").isEmpty());
        double callersBottom = ((Number)
                        browser.js("return document.getElementById('callers').getBoundingClientRect().bottom"))
                .doubleValue();
        assertTrue(callersBottom
                <= ((Number) browser.js("return document.getElementById('callees').getBoundingClientRect().top"))
                        .doubleValue());
        browser.screenshot("16-11-focus-on-function");
    }

    @Test
    @Order(29)
    void slashSearchesAndTheThemeFollowsTheSystem() throws Exception {
        open("");
        new Actions(browser.driver).sendKeys("/").perform();
        assertEquals("search", browser.js("return document.activeElement.id"));
        assertEquals("", find("#search").getDomProperty("value"), "the slash is not typed");
        browser.driver.executeCdpCommand(
                "Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        try {
            browser.await(
                    "dark",
                    d -> "rgb(23, 24, 26)".equals(browser.js("return getComputedStyle(document.body).backgroundColor"))
                            ? true
                            : null);
            open("&diff=1&baseLabels=version%3D1&labels=version%3D2");
            browser.screenshot("16-11-dark-theme");
        } finally {
            browser.driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
        }
        assertEquals("rgb(255, 255, 255)", browser.js("return getComputedStyle(document.body).backgroundColor"));
    }

    @Test
    @Order(99)
    void anUnreachableCollectorIsSaidInWords() throws Exception {
        open("");
        collector.close();
        find("#apply-time").click();
        awaitStatus("error");
        assertTrue(
                find("#message").getText().contains("unreachable"),
                find("#message").getText());
        browser.screenshot("99-unreachable");
    }

    // ---- helpers ----

    private static void open(String extra) {
        browser.driver.get(collector.url + "/?service=" + URLEncoder.encode(SERVICE, StandardCharsets.UTF_8)
                + "&type=cpu" + extra);
        awaitStatus(extra.contains("now-6d") ? "empty" : "ready");
    }

    private static void awaitStatus(String status) {
        browser.await(
                "page status " + status + " (message: " + safeMessage() + ")",
                d -> status.equals(attr("body", "data-status")));
    }

    private static String safeMessage() {
        try {
            return find("#message").getText();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private static WebElement find(String css) {
        return browser.driver.findElement(By.cssSelector(css));
    }

    private static String attr(String css, String name) {
        String v = find(css).getAttribute(name);
        return v == null ? "" : v;
    }

    private static List<?> frames(String name) {
        return frames(name, "main");
    }

    private static Map<?, ?> state() {
        return (Map<?, ?>) browser.js("return window.hearth.state()");
    }

    private static Map<?, ?> frame(String name, String view) {
        List<?> all = frames(name, view);
        assertFalse(all.isEmpty(), name + " is drawn in " + view);
        return (Map<?, ?>) all.get(0);
    }

    @SuppressWarnings("unchecked")
    private static List<Long> pixelIn(Map<?, ?> frame, String view) {
        return (List<Long>) browser.js(
                "return window.hearth.pixel(arguments[0], arguments[1], arguments[2])",
                num(frame, "x") + 1.5,
                num(frame, "y") + 1.5,
                view);
    }

    private static List<?> frames(String name, String view) {
        return (List<?>) browser.js("return window.hearth.frames(arguments[0], arguments[1])", name, view);
    }

    private static Map<?, ?> frame(String name) {
        List<?> all = frames(name);
        assertFalse(all.isEmpty(), name + " is drawn");
        return (Map<?, ?>) all.get(0);
    }

    private static String row(Map<?, ?> frame, String label) {
        for (Object r : (List<?>) ((Map<?, ?>) frame.get("info")).get("rows")) {
            List<?> pair = (List<?>) r;
            if (label.equals(pair.get(0))) return (String) pair.get(1);
        }
        return null;
    }

    private static double num(Map<?, ?> frame, String key) {
        return ((Number) frame.get(key)).doubleValue();
    }

    /** A pixel inside the frame's box, clear of its text. */
    @SuppressWarnings("unchecked")
    private static List<Long> pixelIn(Map<?, ?> frame) {
        return (List<Long>) browser.js(
                "return window.hearth.pixel(arguments[0], arguments[1])", num(frame, "x") + 1.5, num(frame, "y") + 1.5);
    }

    private static void hover(Map<?, ?> frame) {
        new Actions(browser.driver)
                .moveToLocation(center(frame, "x", "w"), center(frame, "y", "h"))
                .perform();
    }

    private static void click(Map<?, ?> frame) {
        new Actions(browser.driver)
                .moveToLocation(center(frame, "x", "w"), center(frame, "y", "h"))
                .click()
                .perform();
    }

    private static int center(Map<?, ?> frame, String at, String size) {
        return (int) Math.round(num(frame, at) + num(frame, size) / 2);
    }

    private static String percent(double share) {
        return String.format(java.util.Locale.ROOT, "%.1f%%", share * 100);
    }

    private static void clear(WebElement input) {
        input.clear();
        browser.js("arguments[0].dispatchEvent(new Event('input'))", input);
    }
}
