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
        assertEquals(List.of(
                "com.example.Shop.main 5",
                "com.example.Shop.main;com.example.Shop.checkout;com.example.Shop.hash 30",
                "com.example.Shop.main;com.example.Shop.checkout;do_syscall_64;__memmove_avx_unaligned_erms 10"),
                FoldedFormat.write(Profiles.shop(), 0, false));
    }

    @Test
    void roundTripsWithKinds() throws Exception {
        List<String> lines = FoldedFormat.write(Profiles.shop(), 0, true);
        assertEquals("com.example.Shop.main_[0];com.example.Shop.checkout_[j];com.example.Shop.hash_[i] 30", lines.get(1));
        Profile back = FoldedFormat.read(new StringReader(String.join("\n", lines)), ProfileType.CPU, 0);
        assertEquals(lines, FoldedFormat.write(back, 0, true));
        assertEquals(FrameKind.KERNEL, ProfileReader.samples(back).get(2).stack().get(1).kind());
    }

    @Test
    void rejectsLinesWithoutCount() {
        var e = assertThrows(InvalidProfileException.class,
                () -> FoldedFormat.read(new StringReader("a;b 3\na;b;c\n"), ProfileType.CPU, 0));
        assertEquals("folded line 2 does not end with a count: a;b;c", e.getMessage());
    }
}
