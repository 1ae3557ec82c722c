package dev.hearth.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LabelSetTest {
    @Test
    void encodesSortedAndParsesBack() {
        LabelSet l = LabelSet.EMPTY.with("service", "shop").with("env", "prod").with("pid", "42");
        assertEquals("env=prod,pid=42,service=shop", l.encode());
        assertEquals(l, LabelSet.parse(l.encode()));
    }

    @Test
    void valuesCannotBreakTheEncoding() {
        LabelSet l = LabelSet.EMPTY.with("comm", "a,b\nc").with("url", "x=y");
        assertEquals("a_b_c", l.get("comm"));
        assertEquals("x=y", LabelSet.parse(l.encode()).get("url"));
    }

    @Test
    void blankValueRemovesTheKey() {
        LabelSet l = LabelSet.EMPTY.with("version", "1").with("version", null);
        assertNull(l.get("version"));
        assertEquals("", l.encode());
    }

    @Test
    void badPairsAreRefusedWithTheirText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelSet.parse("env"));
        assertTrue(e.getMessage().contains("'env'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LabelSet.parse("1x=y"));
        assertThrows(IllegalArgumentException.class, () -> LabelSet.EMPTY.with("a b", "c"));
    }
}
