package dev.hearth.collector.query;

import static dev.hearth.collector.query.FunctionTableTest.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SandwichTest {
    @Test
    void callSitesMergeWithCallersAboveAndCalleesBelow() {
        Sandwich.Trees s = Sandwich.of(
                List.of(
                        sample(4, "main", "a", "parse", "lex"),
                        sample(6, "main", "b", "parse"),
                        sample(5, "main", "b", "parse", "parse", "lex"),
                        sample(7, "main", "c")),
                "parse");
        assertEquals(15, s.callers().total);
        assertEquals(15, s.callees().total);
        assertEquals(4, s.callers().find("a").total);
        assertEquals(11, s.callers().find("b").total);
        assertEquals(11, s.callers().find("b").find("main").self, "main is the outermost caller");
        // callees from the outermost parse: the recursive call is a callee, counted within one total
        assertEquals(4, s.callees().find("lex").total);
        assertEquals(5, s.callees().find("parse").total);
        assertEquals(6, s.callees().self);
        assertEquals("jit", s.callers().kind);
    }

    @Test
    void anAbsentFunctionGivesEmptyTrees() {
        Sandwich.Trees s = Sandwich.of(List.of(sample(4, "main", "a")), "nowhere");
        assertEquals(0, s.callers().total);
        assertEquals(0, s.callees().children().size());
    }
}
