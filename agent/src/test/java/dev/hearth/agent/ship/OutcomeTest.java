package dev.hearth.agent.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OutcomeTest {
    @Test
    void classifiesStatusCodes() {
        assertEquals(Outcome.Kind.STORED, Outcome.ofStatus(200, "").kind());
        assertEquals(Outcome.Kind.STORED, Outcome.ofStatus(204, "").kind());
        assertEquals(Outcome.Kind.REJECTED, Outcome.ofStatus(400, "").kind());
        assertEquals(Outcome.Kind.REJECTED, Outcome.ofStatus(413, "").kind());
        assertEquals(Outcome.Kind.RETRY, Outcome.ofStatus(429, "").kind());
        assertEquals(Outcome.Kind.RETRY, Outcome.ofStatus(408, "").kind());
        assertEquals(Outcome.Kind.RETRY, Outcome.ofStatus(503, "").kind());
        // a token not (yet) in the collector's file: the profile waits for it to be fixed there
        assertEquals(Outcome.Kind.RETRY, Outcome.ofStatus(401, "").kind());
        assertEquals(Outcome.Kind.RETRY, Outcome.ofStatus(403, "").kind());
        // an id reused with other content cannot succeed however often it is sent
        assertEquals(Outcome.Kind.REJECTED, Outcome.ofStatus(409, "").kind());
    }

    @Test
    void takesTheCollectorsErrorMessage() {
        assertEquals(
                "type \"x\" is unknown",
                Outcome.ofStatus(400, "{\"error\": \"type \\\"x\\\" is unknown\"}")
                        .message());
        assertEquals("plain text", Outcome.ofStatus(400, " plain text\n").message());
    }
}
