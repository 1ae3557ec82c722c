package dev.hearth.symbolizer;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.pprof.FrameKind;
import dev.hearth.symbolizer.safefs.BoundedLines;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PerfMapTest {
    static PerfMap parse(String text) throws Exception {
        return PerfMap.parse(
                new BoundedLines(
                        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                        4096,
                        1 << 20,
                        StandardCharsets.UTF_8),
                1000);
    }

    static String at(PerfMap m, long addr) {
        int i = m.find(addr);
        return i < 0 ? null : m.rawName(i);
    }

    @Test
    void readsHotSpotAndAgentFormats() throws Exception {
        PerfMap m = parse("""
                0x00007f69dcec79a0 0x00000000000002f8 void com.example.Shop.checkout(java.lang.String)
                7f69dcec8000 100 Lcom/example/Cart;::add
                """);
        assertEquals("void com.example.Shop.checkout(java.lang.String)", at(m, 0x7f69dcec79a0L + 0x2f7));
        assertNull(at(m, 0x7f69dcec79a0L + 0x2f8), "size is respected");
        assertEquals("Lcom/example/Cart;::add", at(m, 0x7f69dcec80ffL));
    }

    @Test
    void newerEntriesWinWhereCodeWasReused() throws Exception {
        PerfMap m = parse("""
                1000 100 old.A.a()
                1080 100 new.B.b()
                1000 10 newest.C.c()
                """);
        assertEquals("newest.C.c()", at(m, 0x1005));
        assertEquals("old.A.a()", at(m, 0x1010), "the old entry keeps what no newer one covers");
        assertEquals("new.B.b()", at(m, 0x1090));
        assertEquals("new.B.b()", at(m, 0x10ff));
        assertNull(at(m, 0x1180));
    }

    @Test
    void skipsBrokenLines() throws Exception {
        PerfMap m = parse("zzz 10 junk\n2000 0 empty\n3000 10 good.G.g()\n4000 1");
        assertEquals(1, m.size());
        assertEquals("good.G.g()", at(m, 0x3001));
    }

    @Test
    void aLargeMapCostsAFewTimesItsSizeToRead() throws Exception {
        // 200,000 JIT methods, 12 MB: a String per line, a doubled names array and a second copy of
        // every name cost over 100 MB of allocation before; primitives and one exact pool, about 3×
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            text.append(Long.toHexString(0x7f0000000000L + 128L * i))
                    .append(" 40 void com.example.Gen")
                    .append(i)
                    .append(".method(java.lang.String)\n");
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        PerfMap m = PerfMap.parse(
                new BoundedLines(new ByteArrayInputStream(bytes), 4096, 64 << 20, StandardCharsets.UTF_8), 250_000);
        long cost = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(200_000, m.size());
        assertEquals(
                "void com.example.Gen123456.method(java.lang.String)", at(m, 0x7f0000000000L + 128L * 123456 + 0x3f));
        assertNull(at(m, 0x7f0000000000L + 128L * 123456 + 0x40));
        assertEquals(FrameKind.JIT, m.kind(m.find(0x7f0000000000L)));
        assertTrue(cost < 4L * bytes.length, "reading a " + bytes.length + "-byte map allocated " + cost + " bytes");
    }

    @Test
    void javaNamesAreReadable() {
        assertEquals(
                "com.example.Shop.checkout", JavaNames.readable("void com.example.Shop.checkout(java.lang.String)"));
        assertEquals("com.example.Shop.<init>", JavaNames.readable("void com.example.Shop.<init>()"));
        assertEquals("com.example.Cart.add", JavaNames.readable("Lcom/example/Cart;::add"));
        assertEquals("com.example.Cart.add", JavaNames.readable("Lcom/example/Cart;::add(I)V"));
        assertEquals(
                "java.util.ArrayList.toArray", JavaNames.readable("java.lang.Object[] java.util.ArrayList.toArray()"));
        assertEquals(
                "com.example.Shop$$Lambda.run",
                JavaNames.readable("void com.example.Shop$$Lambda$14/0x0000000801001800.run()"));
        assertEquals(
                "com.example.Shop$$Lambda.run",
                JavaNames.readable("void com.example.Shop$$Lambda/0x00007f3a1c00a000.run()"));
        assertEquals("[interpreter]", JavaNames.readable("Interpreter"));
        assertEquals("I2C/C2I adapters", JavaNames.readable("I2C/C2I adapters"));
        assertEquals(FrameKind.JIT, JavaNames.kind("void com.example.Shop.checkout(java.lang.String)"));
        assertEquals(FrameKind.JIT, JavaNames.kind("Lcom/example/Cart;::add"));
        assertEquals(FrameKind.INTERPRETED, JavaNames.kind("Interpreter"));
        assertEquals(FrameKind.STUB, JavaNames.kind("I2C/C2I adapters"));
        assertEquals(FrameKind.STUB, JavaNames.kind("C1 Runtime new_instance_blob"));
        assertEquals(FrameKind.STUB, JavaNames.kind("native signature handlers"));
    }

    @Test
    void procMapsLinesParse() {
        Mapping m = MapsParser.parseLine(
                "7f12a000-7f12b000 r-xp 00002000 fe:00 260131                     /usr/lib/x b.so (deleted)");
        assertEquals(0x7f12a000L, m.start());
        assertEquals(0x7f12b000L, m.end());
        assertTrue(m.executable());
        assertEquals(0x2000, m.fileOffset());
        assertEquals("/usr/lib/x b.so", m.path());
        assertTrue(m.deleted());
        assertEquals("254:0:260131", m.fileKey());
        assertEquals(0x2010, m.toFileOffset(0x7f12a010L));
        Mapping anon = MapsParser.parseLine("7f00000000-7f00001000 rwxp 00000000 00:00 0 ");
        assertTrue(anon.isAnonymous());
        assertFalse(anon.isFile());
        assertThrows(IllegalArgumentException.class, () -> MapsParser.parseLine("garbage"));
    }
}
