package dev.hearth.agent.ship;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.agent.LabelSet;
import dev.hearth.pprof.ingest.IngestApi;
import dev.hearth.pprof.ingest.LabelFormat;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UploadTest {
    /** names a process chooses: every character that means something in a query or the label form */
    private static final String HOSTILE = "a&b=c+d %41,e\nf ünï/?#";

    @Test
    void aSpooledHeaderReadsBackAsTheUpload() {
        Upload u = Upload.of(
                HOSTILE,
                "cpu",
                1_700_000_000_000L,
                1_700_000_010_000L,
                LabelSet.EMPTY.with("comm", HOSTILE).with("host", "h1"),
                new byte[] {1, 2});
        Upload back = Upload.fromQuery(u.query(), u.body());
        assertEquals(
                List.of(u.id(), u.service(), u.type(), u.fromMs(), u.untilMs(), u.labels()),
                List.of(back.id(), back.service(), back.type(), back.fromMs(), back.untilMs(), back.labels()));
        assertArrayEquals(u.body(), back.body());
    }

    @Test
    void theCollectorReadsTheParametersTheAgentSends() {
        LabelSet labels = LabelSet.EMPTY.with("comm", HOSTILE).with("version", "1.2,3");
        Upload u = Upload.of(HOSTILE, "offcpu", 1_700_000_000_000L, 1_700_000_010_000L, labels, new byte[0]);
        // the collector decodes the request target with Netty and the labels by the shared rules
        Map<String, List<String>> p =
                new QueryStringDecoder(IngestApi.PATH + "?" + u.query(), StandardCharsets.UTF_8).parameters();
        assertEquals(List.of(HOSTILE), p.get(IngestApi.SERVICE));
        assertEquals(List.of("offcpu"), p.get(IngestApi.TYPE));
        assertEquals(List.of("1700000000000"), p.get(IngestApi.FROM));
        assertEquals(List.of("1700000010000"), p.get(IngestApi.UNTIL));
        assertEquals(List.of(u.id().toString()), p.get(IngestApi.ID));
        assertEquals(labels.asMap(), LabelFormat.parse(p.get(IngestApi.LABELS).get(0)));
    }

    @Test
    void aHeaderMissingAParameterNamesIt() {
        Upload u = Upload.of("shop", "cpu", 1, 2, LabelSet.EMPTY, new byte[0]);
        String cut = u.query().replaceAll("&" + IngestApi.UNTIL + "=[^&]*", "");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Upload.fromQuery(cut, new byte[0]));
        assertTrue(e.getMessage().contains("lacks '" + IngestApi.UNTIL + "'"), e.getMessage());
    }
}
