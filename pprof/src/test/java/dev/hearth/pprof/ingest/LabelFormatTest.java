package dev.hearth.pprof.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LabelFormatTest {
    @Test
    void encodesSortedAndParsesBack() {
        Map<String, String> labels = Map.of("service", "shop", "env", "prod", "url", "a=b");
        assertEquals("env=prod,service=shop,url=a=b", LabelFormat.encode(labels));
        assertEquals(new TreeMap<>(labels), LabelFormat.parse(LabelFormat.encode(labels)));
        assertEquals(Map.of(), LabelFormat.parse(null));
        assertEquals(Map.of(), LabelFormat.parse(" "));
    }

    @Test
    void anyCleanedValueSurvivesTheEncoding() {
        String hostile = " a,b\nc\u0000d=e\t";
        String clean = LabelFormat.cleanValue(hostile);
        assertEquals("a_b_c_d=e", clean);
        assertEquals(Map.of("comm", clean), LabelFormat.parse(LabelFormat.encode(Map.of("comm", clean))));
    }

    @Test
    void badPairsAreRefusedNamingThem() {
        assertMessage("label must be key=value, got 'env'", "env");
        assertMessage("label must be key=value, got '=x'", "=x");
        assertMessage("bad label key '1x'", "1x=y");
        assertMessage("bad label key 'a b'", "a b=c");
        assertMessage("label 'a' appears twice", "a=1,a=2");
        assertThrows(IllegalArgumentException.class, () -> LabelFormat.checkKey(null));
    }

    @Test
    void setsPastTheBoundsAreRefused() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= LabelFormat.MAX_PAIRS; i++)
            many.append(i == 0 ? "" : ",").append("k").append(i).append("=v");
        assertMessage("more than " + LabelFormat.MAX_PAIRS + " labels", many.toString());
        assertEquals(
                LabelFormat.MAX_PAIRS,
                LabelFormat.parse(many.substring(0, many.lastIndexOf(","))).size());
        assertMessage("labels are longer than " + LabelFormat.MAX_LENGTH, "k=" + "v".repeat(LabelFormat.MAX_LENGTH));
    }

    private static void assertMessage(String expected, String encoded) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelFormat.parse(encoded));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
