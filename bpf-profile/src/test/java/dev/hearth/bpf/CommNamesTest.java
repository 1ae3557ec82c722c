package dev.hearth.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Thread names from the 16 comm bytes of a counts key, decoded once each. */
class CommNamesTest {
    /** a buffer holding {@code name} NUL-padded at offset 8, as in a counts key */
    private static ByteBuffer key(String name) {
        ByteBuffer b = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        b.put(8, name.getBytes(StandardCharsets.UTF_8));
        return b;
    }

    @Test
    void decodesUpToTheFirstNulOrAllSixteenBytes() {
        CommNames names = new CommNames();
        assertEquals("java", names.at(key("java"), 8));
        assertEquals("", names.at(key(""), 8));
        assertEquals("C2 CompilerThre", names.at(key("C2 CompilerThre"), 8));
        assertEquals("sixteen-bytes-xx", names.at(key("sixteen-bytes-xx"), 8), "a full comm has no NUL");
    }

    @Test
    void aRepeatedNameIsTheSameStringAndManyNamesStayDistinct() {
        CommNames names = new CommNames();
        String first = names.at(key("worker"), 8);
        assertSame(first, names.at(key("worker"), 8));
        for (int round = 0; round < 2; round++) { // more names than slots: some share one
            for (int i = 0; i < 1000; i++) {
                assertEquals("thread-" + i, names.at(key("thread-" + i), 8));
            }
        }
    }
}
