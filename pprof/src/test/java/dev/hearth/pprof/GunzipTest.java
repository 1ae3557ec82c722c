package dev.hearth.pprof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class GunzipTest {
    private static final Random RANDOM = new Random(11);

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** Text-like bytes: compress about 3:1 with {@code ratio} 1, far more with a larger one. */
    static byte[] data(int size, int ratio) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (byte) ('a' + RANDOM.nextInt(26) / ratio);
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    @Test
    void inflatesWhatTheJdkWrites() throws Exception {
        for (int size : new int[] {0, 1, 100, 70_000, 1 << 20}) {
            for (int ratio : new int[] {1, 26}) {
                byte[] data = data(size, ratio);
                byte[] body = gzip(data);
                assertArrayEquals(data, Gunzip.toBytes(body, 64 << 20), size + " bytes, ratio " + ratio);
                ByteArrayOutputStream streamed = new ByteArrayOutputStream();
                Gunzip.toStream(body, 64 << 20, streamed);
                assertArrayEquals(data, streamed.toByteArray());
            }
        }
    }

    @Test
    void readsTheHeadersOptionalFields() throws Exception {
        byte[] data = data(5000, 1);
        byte[] plain = gzip(data);
        byte[] extra = {6, 0, 'H', 'e', 2, 0, 1, 2};
        byte[] name = "profile.pb\0".getBytes(), comment = "from a test\0".getBytes(), hcrc = {0x12, 0x34};
        byte[] header = Arrays.copyOf(plain, 10);
        header[3] = 4 | 8 | 16 | 2; // FEXTRA, FNAME, FCOMMENT, FHCRC
        byte[] body = concat(header, extra, name, comment, hcrc, Arrays.copyOfRange(plain, 10, plain.length));
        assertArrayEquals(data, Gunzip.toBytes(body, 1 << 20));
    }

    @Test
    void joinsMembersAndIgnoresTrailingBytesThatAreNoMember() throws Exception {
        byte[] a = data(3000, 1), b = data(200_000, 26);
        byte[] body = concat(gzip(a), gzip(b), new byte[] {0, 0, 0, 0});
        assertArrayEquals(concat(a, b), Gunzip.toBytes(body, 1 << 20));
    }

    @Test
    void refusesCorruptBodies() throws Exception {
        byte[] body = gzip(data(10_000, 1));
        byte[] badCrc = body.clone();
        badCrc[badCrc.length - 8] ^= 1;
        byte[] badLength = body.clone();
        badLength[badLength.length - 4] ^= 1;
        byte[] reserved = body.clone();
        reserved[3] = (byte) 0x80;
        byte[] badData = body.clone();
        badData[20] ^= 0x55;
        for (byte[] bad : new byte[][] {
            badCrc,
            badLength,
            reserved,
            badData,
            Arrays.copyOf(body, body.length / 2),
            Arrays.copyOf(body, body.length - 3),
            Arrays.copyOf(body, 5),
            {0x1f, (byte) 0x8b, 8, 8, 0, 0, 0, 0, 0, 0, 'n', 'o', ' ', 'e', 'n', 'd'},
        }) {
            var e = assertThrows(InvalidProfileException.class, () -> Gunzip.toBytes(bad, 1 << 20));
            assertTrue(e.getMessage().startsWith("corrupt gzip body: "), e.getMessage());
        }
    }

    @Test
    void boundsTheOutput() throws Exception {
        byte[] data = new byte[100_000];
        byte[] body = gzip(data);
        assertEquals(100_000, Gunzip.toBytes(body, 100_000).length);
        var e = assertThrows(InvalidProfileException.class, () -> Gunzip.toBytes(body, 99_999));
        assertEquals("decompressed body exceeds the limit of 99999 bytes", e.getMessage());
        assertThrows(InvalidProfileException.class, () -> Gunzip.toStream(body, 99_999, new ByteArrayOutputStream()));
        // a bomb: 128 MiB of zeros in about 128 KiB, stopped at the bound
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bomb)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 128; i++) gz.write(zeros);
        }
        assertThrows(InvalidProfileException.class, () -> Gunzip.toBytes(bomb.toByteArray(), 64 << 20));
    }

    /** The trailer's length is the sender's word: a small body claiming 4 GiB must not allocate it. */
    @Test
    void aLyingTrailerDoesNotAllocateWhatItClaims() throws Exception {
        byte[] body = gzip(data(1000, 1));
        Arrays.fill(body, body.length - 4, body.length, (byte) 0xff);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        var e = assertThrows(InvalidProfileException.class, () -> Gunzip.toBytes(body, 64 << 20));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals("corrupt gzip body: a member's length does not match its trailer", e.getMessage());
        assertTrue(
                allocated < 32L * body.length + (64 << 10),
                allocated + " bytes allocated for a " + body.length + "-byte body");
    }
}
