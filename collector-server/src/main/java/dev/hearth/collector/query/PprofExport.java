package dev.hearth.collector.query;

import dev.hearth.pprof.ProfileBuilder;
import dev.hearth.pprof.ProfileCodec;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.ResolvedSample;
import java.util.List;

/** A merge as one gzipped pprof profile, with every value type of the profile type. */
public final class PprofExport {
    private PprofExport() {}

    /** {@code samples} carry all of the type's values, in ProfileType.valueTypes() order. */
    public static byte[] gzip(ProfileType type, long fromMs, long untilMs, List<ResolvedSample> samples) {
        ProfileBuilder b =
                new ProfileBuilder(type).timeNanos(fromMs * 1_000_000L).durationNanos((untilMs - fromMs) * 1_000_000L);
        for (ResolvedSample s : samples) b.add(s);
        return ProfileCodec.encodeGzip(b.build());
    }
}
