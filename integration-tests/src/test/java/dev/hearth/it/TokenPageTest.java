package dev.hearth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.hearth.collector.CollectorProcess;
import dev.hearth.collector.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The page against a collector with tokens, in a real Chromium: the page itself loads, the data
 * asks for a token; a wrong one is asked for again, the right one shows the tenant's service, is
 * kept for the tab (a reload does not ask) and never appears in the address.
 */
class TokenPageTest {
    @Test
    void thePageAsksForATokenAndKeepsItForTheTab() throws Exception {
        if (System.getenv("CI") == null)
            Assumptions.assumeTrue(
                    Browser.available(),
                    "skipped: needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
        Path target = Path.of("target");
        Path data = Files.createTempDirectory(Files.createDirectories(target), "token-ui-collector-");
        try (CollectorProcess c = CollectorProcess.start(data.resolve("data"));
                Browser browser = new Browser(target.resolve("screenshots"))) {
            long now = System.currentTimeMillis();
            Http.Reply r = c.http.post(
                    Http.query(
                            "/api/v1/ingest",
                            "service",
                            "token-shop",
                            "type",
                            "cpu",
                            "from",
                            now - 120_000,
                            "until",
                            now - 60_000),
                    ShopProfiles.profile(5));
            assertEquals(200, r.status(), r.text());
            String url = "http://127.0.0.1:" + c.port + "/";

            browser.driver.get(url);
            awaitDialog(browser, "needs a token");
            answer(browser, "wrong-token-0123456789");
            awaitDialog(browser, "unknown token");
            browser.screenshot("token-dialog");
            answer(browser, c.token);
            browser.await(
                    "ready",
                    d -> "ready".equals(d.findElement(By.tagName("body")).getDomAttribute("data-status"))
                            ? true
                            : null);
            assertEquals("token-shop", browser.js("return document.getElementById('service').value"));
            assertEquals(c.token, browser.js("return sessionStorage.getItem('hearth.token')"));
            assertFalse(browser.driver.getCurrentUrl().contains(c.token), browser.driver.getCurrentUrl());
            assertEquals(0L, browser.js("return localStorage.length"), "nothing kept beyond the tab");

            browser.driver.navigate().refresh();
            browser.await(
                    "ready after reload",
                    d -> "ready".equals(d.findElement(By.tagName("body")).getDomAttribute("data-status"))
                            ? true
                            : null);
            assertEquals(Boolean.FALSE, browser.js("return document.getElementById('token-dialog').open"));
        }
    }

    static void awaitDialog(Browser b, String says) {
        b.await("token dialog saying '" + says + "'", d -> {
            WebElement dialog = d.findElement(By.id("token-dialog"));
            return Boolean.TRUE.equals(b.js("return arguments[0].open", dialog))
                            && d.findElement(By.id("token-why")).getText().contains(says)
                    ? true
                    : null;
        });
    }

    static void answer(Browser b, String token) {
        WebElement input = b.driver.findElement(By.id("token-input"));
        input.sendKeys(token);
        b.driver.findElement(By.id("token-ok")).click();
    }
}
