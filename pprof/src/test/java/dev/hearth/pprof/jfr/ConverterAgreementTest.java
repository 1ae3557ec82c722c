package dev.hearth.pprof.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.pprof.ProfileCodec;
import dev.hearth.pprof.ProfileReader;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.ResolvedSample;
import dev.hearth.pprof.proto.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our conversion and async-profiler's own converter, run on the same recording, agree on the
 * total and on the ten frames with the most self value.
 */
class ConverterAgreementTest {

    @ParameterizedTest
    @CsvSource({"cpu, --cpu, 0", "alloc, --alloc, 1", "lock, --lock, 1"})
    void sameTotalAndTopFrames(String type, String mode, int ourValue) throws Exception {
        MixedRecording r = MixedRecording.get();
        Profile ours = JfrToPprof.convert(r.file()).profiles().get(ProfileType.ofId(type));
        Profile theirs = theirs(r, mode);

        Map<String, Long> ourSelf = selfByLeaf(ProfileReader.samples(ours), ourValue);
        Map<String, Long> theirSelf = selfByLeaf(ProfileReader.samples(theirs), 0);
        long ourTotal = ourSelf.values().stream().mapToLong(Long::longValue).sum();
        long theirTotal = theirSelf.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(theirTotal > 0, "empty " + type + " profile from the reference converter");
        // Lock delays are ticks scaled to nanoseconds: rounding may differ by a nanosecond per event.
        long slack = type.equals("lock")
                ? ProfileReader.samples(ours).stream()
                        .mapToLong(s -> s.values()[0])
                        .sum()
                : 0;
        assertEquals(theirTotal, ourTotal, slack, type + " total");

        Map<String, Long> top = top10(theirSelf);
        assertEquals(top.keySet(), top10(ourSelf).keySet(), type + " top 10 frames");
        top.forEach((frame, value) -> assertEquals(value, ourSelf.get(frame), slack, type + " self of " + frame));
    }

    private static Profile theirs(MixedRecording r, String mode) throws Exception {
        Path out = r.dir().resolve("reference" + mode.substring(1) + ".pb");
        one.convert.JfrToPprof.convert(
                r.file().toString(),
                out.toString(),
                new one.convert.Arguments("--output", "pprof", "--dot", "--total", mode));
        return ProfileCodec.decode(Files.readAllBytes(out), ProfileCodec.DEFAULT_MAX_DECOMPRESSED);
    }

    private static Map<String, Long> selfByLeaf(List<ResolvedSample> samples, int value) {
        Map<String, Long> self = new HashMap<>();
        for (ResolvedSample s : samples) {
            String leaf = s.stack().isEmpty() ? "" : s.stack().get(0).name();
            self.merge(leaf, s.values()[value], Long::sum);
        }
        return self;
    }

    private static Map<String, Long> top10(Map<String, Long> self) {
        return self.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(10)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }
}
