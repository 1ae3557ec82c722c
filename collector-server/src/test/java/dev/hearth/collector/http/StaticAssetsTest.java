package dev.hearth.collector.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StaticAssetsTest {
    final StaticAssets assets = new StaticAssets("test-ui/");

    @Test
    void servesIndexAtRootAndFilesWithTheirTypes() throws Exception {
        Response index = assets.get("/").orElseThrow();
        assertEquals("text/html; charset=utf-8", index.contentType());
        assertTrue(new String(index.body(), StandardCharsets.UTF_8).contains("<title>t</title>"));
        assertEquals(
                "text/javascript; charset=utf-8",
                assets.get("/js/a.js").orElseThrow().contentType());
        assertEquals(
                "text/javascript; charset=utf-8",
                assets.get("/hearth-ui/js/a.js").orElseThrow().contentType());
        assertEquals(index, assets.get("/hearth-ui/").orElseThrow());
    }

    @Test
    void refusesWhatIsNotThere() throws Exception {
        assertTrue(assets.get("/missing.css").isEmpty());
        assertTrue(assets.get("/../test-ui/index.html").isEmpty());
        assertTrue(assets.get("/js/../../x").isEmpty());
    }
}
