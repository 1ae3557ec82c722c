package dev.hearth.bpf;

import java.util.List;

/** Sums over drained samples, for assertions. */
final class Samples {
    private Samples() {}

    static long sum(List<RawSample> samples, int tgid, SampleType type) {
        return samples.stream()
                .filter(s -> s.tgid() == tgid && s.type() == type)
                .mapToLong(RawSample::value)
                .sum();
    }

    /** the value of samples whose user stack has an address inside [range[0], range[1]) */
    static long sumWithFrameIn(List<RawSample> samples, int tgid, SampleType type, long[] range) {
        return samples.stream()
                .filter(s -> s.tgid() == tgid && s.type() == type && contains(s.userStack(), range))
                .mapToLong(RawSample::value)
                .sum();
    }

    static boolean contains(long[] stack, long[] range) {
        for (long a : stack) {
            if (a >= range[0] && a < range[1]) {
                return true;
            }
        }
        return false;
    }
}
