package dev.hearth.pprof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hearth.pprof.proto.Profile;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class FoldedFormatTest {
    @Test
    void writesRootFirstMergedAcrossLabels() {
        assertEquals(
                List.of(
                        "com.example.Shop.main 5",
                        "com.example.Shop.main;com.example.Shop.checkout;com.example.Shop.hash 30",
                        "com.example.Shop.main;com.example.Shop.checkout;do_syscall_64;__memmove_avx_unaligned_erms 10"),
                FoldedFormat.write(Profiles.shop(), 0, false));
    }

    @Test
    void roundTripsWithKinds() throws Exception {
        List<String> lines = FoldedFormat.write(Profiles.shop(), 0, true);
        assertEquals(
                "com.example.Shop.main_[0];com.example.Shop.checkout_[j];com.example.Shop.hash_[i] 30", lines.get(1));
        Profile back = FoldedFormat.read(new StringReader(String.join("\n", lines)), ProfileType.CPU, 0);
        assertEquals(lines, FoldedFormat.write(back, 0, true));
        assertEquals(
                FrameKind.KERNEL,
                ProfileReader.samples(back).get(2).stack().get(1).kind());
    }

    @Test
    void rejectsLinesWithoutCount() {
        var e = assertThrows(
                InvalidProfileException.class,
                () -> FoldedFormat.read(new StringReader("a;b 3\na;b;c\n"), ProfileType.CPU, 0));
        assertEquals("folded line 2 does not end with a count: a;b;c", e.getMessage());
    }

    @Test
    void weightsFillTheTimeOfCpuAndWallSamples() throws Exception {
        long[] cpu = FoldedFormat.weights(ProfileType.CPU, 0, 100);
        assertEquals(List.of(1L, 10_000_000L), List.of(cpu[0], cpu[1]));
        long[] alloc = FoldedFormat.weights(ProfileType.ALLOC, 1, 100);
        assertEquals(List.of(0L, 1L), List.of(alloc[0], alloc[1]));
        Profile p = FoldedFormat.read(new StringReader("a;b 3\n"), ProfileType.CPU, cpu);
        assertEquals(30_000_000L, ProfileReader.samples(p).get(0).values()[1]);
        assertThrows(IllegalArgumentException.class, () -> FoldedFormat.weights(ProfileType.CPU, 0, 0));
        var e = assertThrows(
                InvalidProfileException.class,
                () -> FoldedFormat.read(new StringReader("a " + Long.MAX_VALUE / 2 + "\n"), ProfileType.CPU, cpu));
        assertEquals("folded line 1: count " + Long.MAX_VALUE / 2 + " overflows its value", e.getMessage());
    }

    @Test
    void linesAreOneSampleEach() throws Exception {
        Profile p = FoldedFormat.readLines(
                new StringReader("a;b 3\na;b 3\n\nc\n"),
                ProfileType.WALL,
                FoldedFormat.weights(ProfileType.WALL, 0, 100));
        assertEquals(List.of("a;b 3 2", "c 1"), FoldedFormat.write(p, 0, false));
    }
}
