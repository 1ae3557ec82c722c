package dev.hearth.pprof.flame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.pprof.FoldedFormat;
import dev.hearth.pprof.ProfileReader;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.Profiles;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlameFramesTest {
    @Test
    void treeFromSamplesSumsPathsRootFirst() {
        FlameFrame root = FlameFrames.of("shop", ProfileReader.samples(Profiles.shop()), 0);
        assertEquals("shop", root.name());
        assertEquals(45, root.total());
        FlameFrame main = root.children().get(0);
        assertEquals("com.example.Shop.main", main.name());
        assertEquals(5, main.self());
        assertEquals(45, main.total());
        FlameFrame checkout = main.children().get(0);
        assertEquals(
                List.of(30L, 10L),
                checkout.children().stream().map(FlameFrame::total).toList());
        assertEquals("inlined", checkout.children().get(0).kind());
    }

    @Test
    void topCountsARecursiveFrameOnceInItsTotal() throws Exception {
        var p = FoldedFormat.read(new StringReader("main;f;f;f 6\nmain;g;f 4\nmain 2\n"), ProfileType.CPU, 0);
        FlameFrame root = FlameFrames.of("app", ProfileReader.samples(p), 0);
        List<FlameTop.Row> rows = FlameTop.rows(root, 10);
        assertEquals(
                List.of(new FlameTop.Row("f", 10, 10), new FlameTop.Row("main", 2, 12), new FlameTop.Row("g", 0, 4)),
                rows);
        assertEquals(List.of(new FlameTop.Row("f", 10, 10)), FlameTop.rows(root, 1));
        String table = FlameTop.table(rows, root.total(), "samples");
        assertTrue(table.lines().skip(1).findFirst().orElseThrow().matches(" +10 +83\\.33% +10 +83\\.33%  f"), table);
    }

    @Test
    void htmlCarriesTheTreeAndNoNameCanEndTheScript() {
        FlameFrame evil = new FlameFrame("</script><img src=x onerror=alert(1)>\u2028\"&", "jit", 3, 3, List.of());
        FlameFrame root = new FlameFrame("svc", "root", 0, 3, List.of(evil));
        String html = FlameGraphHtml.render("svc <cpu>", "samples", root);
        assertEquals(2, html.split("</script>", -1).length - 1, "only the page's own two script elements end");
        assertFalse(html.contains("<img"));
        assertFalse(html.contains("/*FLAME_DATA*/"));
        assertTrue(
                html.contains(
                        "[\"svc\",\"root\",0,3,[[\"\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e\\u2028\\\"\\u0026\",\"jit\",3,3,[]]]]"),
                html);
        assertTrue(html.contains("\"title\":\"svc \\u003ccpu\\u003e\""));
        assertFalse(html.matches("(?s).*(src|href)=\"https?:.*"), "nothing is fetched");
    }
}
