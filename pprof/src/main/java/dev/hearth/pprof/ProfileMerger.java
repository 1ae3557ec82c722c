package dev.hearth.pprof;

import dev.hearth.pprof.proto.Profile;
import java.util.List;

/** Sums profiles of one type into one: equal stacks with equal labels add up. */
public final class ProfileMerger {
    private ProfileMerger() {}

    public static Profile merge(List<Profile> profiles) {
        if (profiles.isEmpty()) throw new IllegalArgumentException("nothing to merge");
        Profile first = profiles.get(0);
        List<ValueType> types = ProfileReader.valueTypes(first);
        ValueType period =
                new ValueType(first.getStringTable((int) first.getPeriodType().getType()), first.getStringTable((int)
                        first.getPeriodType().getUnit()));
        ProfileBuilder out = new ProfileBuilder(types, period).period(first.getPeriod());
        long start = Long.MAX_VALUE, end = Long.MIN_VALUE;
        for (Profile p : profiles) {
            if (!ProfileReader.valueTypes(p).equals(types)) {
                throw new IllegalArgumentException(
                        "cannot merge sample types " + ProfileReader.valueTypes(p) + " into " + types);
            }
            start = Math.min(start, p.getTimeNanos());
            end = Math.max(end, p.getTimeNanos() + p.getDurationNanos());
            for (ResolvedSample s : ProfileReader.samples(p)) out.add(s);
        }
        return out.timeNanos(start).durationNanos(end - start).build();
    }
}
