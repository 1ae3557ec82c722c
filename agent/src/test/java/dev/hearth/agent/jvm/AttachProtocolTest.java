package dev.hearth.agent.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The attach protocol's bytes, as JDK 17 and JDK 21+ HotSpot write and read them. */
class AttachProtocolTest {
    @Test
    void requestIsVersionCommandAndThreeArgumentsEachNulTerminated() {
        assertArrayEquals(
                "1\0jcmd\0Compiler.perfmap\0\0\0".getBytes(StandardCharsets.UTF_8),
                AttachProtocol.request("jcmd", "Compiler.perfmap"));
        assertArrayEquals(
                "1\0load\0/tmp/x.so\0true\0start,cpu\0".getBytes(StandardCharsets.UTF_8),
                AttachProtocol.request("load", "/tmp/x.so", "true", "start,cpu"));
    }

    @Test
    void argumentsHotSpotWouldRefuseAreRefusedHere() {
        assertThrows(IllegalArgumentException.class, () -> AttachProtocol.request("jcmd", "a".repeat(1025)));
        assertThrows(IllegalArgumentException.class, () -> AttachProtocol.request("jcmd", "VM.version\0extra"));
        assertThrows(IllegalArgumentException.class, () -> AttachProtocol.request("load", "a", "b", "c", "d"));
    }

    @Test
    void loadResultReadsBothJdkFormats() throws IOException {
        // JDK 17: status line, then Agent_OnAttach's result as a bare number
        AttachProtocol.Reply jdk17 = AttachProtocol.reply("0\n200\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(0, jdk17.status());
        assertEquals(200, AttachProtocol.loadResult(jdk17.body()));
        // JDK 21+: "return code: N"
        AttachProtocol.Reply jdk21 = AttachProtocol.reply("0\nreturn code: 0\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(0, AttachProtocol.loadResult(jdk21.body()));
        assertEquals(-1, AttachProtocol.loadResult("return code: -1\n"));
    }

    @Test
    void aLibraryThatDidNotLoadAndGarbageAreErrorsNotResults() throws IOException {
        IOException e =
                assertThrows(IOException.class, () -> AttachProtocol.loadResult("Could not load library /x.so\n"));
        assertTrue(e.getMessage().contains("Could not load library"), e.getMessage());
        assertThrows(
                IOException.class, () -> AttachProtocol.reply("HTTP/1.1 200 OK\n".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> AttachProtocol.reply(new byte[0]));
        AttachProtocol.Reply refused =
                AttachProtocol.reply("-1\nUnknown diagnostic command\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(-1, refused.status());
        assertEquals("Unknown diagnostic command\n", refused.body());
    }
}
