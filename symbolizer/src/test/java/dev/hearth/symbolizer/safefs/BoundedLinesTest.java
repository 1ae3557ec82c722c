package dev.hearth.symbolizer.safefs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedLinesTest {
    private static List<String> all(BoundedLines r) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l; (l = r.next()) != null; ) out.add(l);
        return out;
    }

    private static BoundedLines of(String text, int maxLine, long maxBytes) {
        return new BoundedLines(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                maxLine,
                maxBytes,
                StandardCharsets.UTF_8);
    }

    @Test
    void linesWithinBoundsComeBackWhole() throws IOException {
        BoundedLines r = of("a b\r\nccc\n\nlast", 10, 1000);
        assertEquals(List.of("a b", "ccc", "", "last"), all(r));
        assertEquals(0, r.skippedLines());
        assertFalse(r.truncated());
    }

    @Test
    void overLongLinesAreSkippedAndCounted() throws IOException {
        BoundedLines r = of("short\n" + "x".repeat(11) + "\nok\n" + "y".repeat(50), 10, 1000);
        assertEquals(List.of("short", "ok"), all(r));
        assertEquals(2, r.skippedLines());
    }

    @Test
    void readingStopsAtTheByteBoundAndDropsTheCutLine() throws IOException {
        BoundedLines r = of("0123\n5678\nabcd\n", 100, 12);
        assertEquals(List.of("0123", "5678"), all(r));
        assertTrue(r.truncated());
        BoundedLines exact = of("0123\n5678\n", 100, 10);
        assertEquals(List.of("0123", "5678"), all(exact));
        assertFalse(exact.truncated());
    }

    @Test
    void anEndlessLineCostsNoMoreThanTheBounds() throws IOException {
        // 1 GiB of one line, generated, never held
        InputStream endless = new InputStream() {
            long left = 1L << 30;

            @Override
            public int read() {
                return left-- > 0 ? 'z' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) return -1;
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'z');
                left -= n;
                return n;
            }
        };
        BoundedLines r = new BoundedLines(endless, 4096, 64L << 20, StandardCharsets.UTF_8);
        assertEquals(List.of(), all(r));
        assertTrue(r.truncated());
        assertEquals(64L << 20, r.bytesRead());
    }
}
