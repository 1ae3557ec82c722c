package dev.hearth.collector.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tokens file format: what a line may hold, and errors that name the line but never the token. */
class TokenFileTest {
    static final String T1 = "0123456789abcdef0123", T2 = "ZYXWVUTSRQPONMLK-._~+/==";

    static Grant grant(Map<String, Grant> grants, String token) {
        return grants.get(TokenFile.key(TokenFile.hash(token)));
    }

    @Test
    void linesCommentsTabsAndWindowsLineEnds() {
        Map<String, Grant> g = TokenFile.parse(
                "# TOKEN TENANT SCOPES\r\n\r\n" + T1 + "\tteam-a\tingest\r\n   " + T2 + "   b.2   query,ingest  \n");
        assertEquals(2, g.size());
        assertEquals(new Grant("team-a", Set.of(Scope.INGEST)), grant(g, T1));
        assertEquals(new Grant("b.2", Set.of(Scope.INGEST, Scope.QUERY)), grant(g, T2));
        assertNull(grant(g, T1 + "x"));
        assertTrue(TokenFile.parse("# nothing\n").isEmpty());
    }

    @Test
    void eachMistakeNamesItsLineAndNeverQuotesTheToken() {
        Map<String, String> bad = Map.of(
                T1 + " a",
                "line 2: expected TOKEN TENANT SCOPE[,SCOPE], got 2 fields",
                "short a ingest",
                "line 2: a token is 16 to 256",
                T1 + "\"quoted\" a ingest",
                "line 2: a token is 16 to 256",
                T1 + " -a ingest",
                "line 2: " + Tenant.RULE,
                T1 + " a|b ingest",
                "line 2: " + Tenant.RULE,
                T1 + " a ingest,admin",
                "line 2: unknown scope 'admin'",
                T1 + " a ingest,",
                "line 2: unknown scope ''",
                T1 + " a ingest\n" + T1 + " b query",
                "line 3: the same token as an earlier line");
        bad.forEach((line, says) -> {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> TokenFile.parse("# first\n" + line));
            assertTrue(e.getMessage().startsWith(says), line + " -> " + e.getMessage());
            assertFalse(e.getMessage().contains(T1), e.getMessage());
        });
        assertThrows(IllegalArgumentException.class, () -> TokenFile.parse("#".repeat(TokenFile.MAX_BYTES + 1)));
    }

    @Test
    void tenantIds() {
        for (String ok : new String[] {"a", "anonymous", "team-1", "A.b_c", "x".repeat(64)})
            assertTrue(Tenant.isValid(ok), ok);
        for (String no : new String[] {"", "-a", ".a", "a b", "a|b", "a/b", "é", "x".repeat(65), "a\n"})
            assertFalse(Tenant.isValid(no), no);
    }
}
