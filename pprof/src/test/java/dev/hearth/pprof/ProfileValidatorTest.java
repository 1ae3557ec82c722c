package dev.hearth.pprof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.pprof.proto.Profile;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ProfileValidatorTest {
    private static String rejection(Profile p) {
        return assertThrows(InvalidProfileException.class, () -> ProfileValidator.validate(p))
                .getMessage();
    }

    @Test
    void acceptsWhatTheBuilderWrites() throws Exception {
        ProfileValidator.validate(Profiles.shop());
    }

    @Test
    void rejectsStringIndexOutOfRange() {
        Profile p = Profiles.shop();
        Profile bad = p.toBuilder()
                .setFunction(0, p.getFunction(0).toBuilder().setName(999))
                .build();
        assertEquals(
                "function 1 name is string 999, out of range [0, " + p.getStringTableCount() + ")", rejection(bad));
    }

    @Test
    void rejectsMissingLocationFunctionAndMapping() {
        Profile p = Profiles.shop();
        assertEquals(
                "sample 0 refers to missing location 42",
                rejection(p.toBuilder()
                        .setSample(0, p.getSample(0).toBuilder().setLocationId(0, 42))
                        .build()));
        assertEquals(
                "location 1 refers to missing function 77",
                rejection(p.toBuilder()
                        .setLocation(
                                0,
                                p.getLocation(0).toBuilder()
                                        .setLine(
                                                0,
                                                p.getLocation(0).getLine(0).toBuilder()
                                                        .setFunctionId(77)))
                        .build()));
        assertEquals(
                "location 1 refers to missing mapping 9",
                rejection(p.toBuilder()
                        .setLocation(0, p.getLocation(0).toBuilder().setMappingId(9))
                        .build()));
    }

    @Test
    void rejectsInconsistentSampleLengths() {
        Profile p = Profiles.shop();
        Profile bad = p.toBuilder()
                .setSample(1, p.getSample(1).toBuilder().addValue(3))
                .build();
        assertEquals("sample 1 has 3 values, the profile has 2 sample types", rejection(bad));
    }

    @Test
    void rejectsDuplicateIdsAndEmptyStringTable() {
        Profile p = Profiles.shop();
        assertEquals(
                "function id 1 appears twice",
                rejection(p.toBuilder().addFunction(p.getFunction(0)).build()));
        assertEquals("string_table[0] must be the empty string", rejection(Profile.getDefaultInstance()));
    }

    @Test
    void decodeRejectsGarbageTruncationAndGzipBombs() throws Exception {
        byte[] good = Profiles.shop().toByteArray();
        String garbage = assertThrows(
                        InvalidProfileException.class,
                        () -> ProfileCodec.decode("hello, not a profile".getBytes(), 1 << 20))
                .getMessage();
        assertTrue(garbage.startsWith("not a pprof profile"), garbage);
        assertThrows(
                InvalidProfileException.class,
                () -> ProfileCodec.decode(Arrays.copyOf(good, good.length / 2), 1 << 20));

        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bomb)) {
            gz.write(new byte[8 << 20]);
        }
        String message = assertThrows(
                        InvalidProfileException.class, () -> ProfileCodec.decode(bomb.toByteArray(), 1 << 20))
                .getMessage();
        assertEquals("decompressed body exceeds the limit of 1048576 bytes", message);
        byte[] gz = ProfileCodec.encodeGzip(Profiles.shop());
        assertThrows(
                InvalidProfileException.class, () -> ProfileCodec.decode(Arrays.copyOf(gz, gz.length - 12), 1 << 20));
    }
}
