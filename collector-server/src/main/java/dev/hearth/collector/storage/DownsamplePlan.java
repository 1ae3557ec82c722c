package dev.hearth.collector.storage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which profiles to merge into what: the pure part of downsampling. A profile belongs to the step
 * of its series that its start falls in (steps aligned to the epoch); a step is merged once it has
 * ended before the cutoff and holds at least one profile not yet downsampled. A step that already
 * has a downsampled profile merges it with the late arrivals into a new one, so every step ends
 * with one profile. A lone raw profile is merged too (into a copy of itself): it then shows at the
 * coarse step like its neighbours, and the listing never returns it again.
 */
public final class DownsamplePlan {
    /** A stored profile as downsampling sees it; {@code stepMs} 0 for a profile as ingested. */
    public record Candidate(long key, long series, long startMs, long endMs, long stepMs) {
        boolean raw() {
            return stepMs == 0;
        }
    }

    /** The profiles listed for a pass; {@code truncated} when the listing stopped at its limit. */
    public record Candidates(List<Candidate> profiles, boolean truncated) {}

    /** One step of one series: its {@code members} become one profile covering [bucketMs, bucketMs + stepMs). */
    public record Merge(long series, long bucketMs, long stepMs, long[] members) {
        /** The id of the merged profile: one per series and step; '/' is outside client ids, so no client can send it. */
        public String uid() {
            return "downsampled/" + series + "/" + bucketMs + "/" + stepMs;
        }
    }

    private DownsamplePlan() {}

    /** The first step at or after {@code cutoffMs}: raw profiles starting before it are due. */
    public static long alignedCutoff(long cutoffMs, long stepMs) {
        return Math.floorDiv(cutoffMs, stepMs) * stepMs;
    }

    /**
     * The merges for one pass, oldest steps first, at most {@code maxProfiles} members in all
     * (but always the first merge, however large, so every pass makes progress). When the listing
     * was truncated, the newest step it reached may be incomplete: it is left for the next pass
     * unless nothing else is due.
     */
    public static List<Merge> plan(Candidates candidates, long cutoffMs, long stepMs, int maxProfiles) {
        if (stepMs <= 0) throw new IllegalArgumentException("step must be positive, got " + stepMs);
        if (maxProfiles < 1) throw new IllegalArgumentException("maxProfiles must be positive, got " + maxProfiles);
        long due = alignedCutoff(cutoffMs, stepMs);
        record Key(long bucket, long series) {}
        Map<Key, List<Candidate>> groups =
                new TreeMap<>(Comparator.comparingLong(Key::bucket).thenComparingLong(Key::series));
        Map<Key, Boolean> hasRaw =
                new TreeMap<>(Comparator.comparingLong(Key::bucket).thenComparingLong(Key::series));
        long newestRawBucket = Long.MIN_VALUE;
        for (Candidate c : candidates.profiles()) {
            long bucket = alignedCutoff(c.startMs(), stepMs);
            if (bucket + stepMs > due) continue; // its step has not ended before the cutoff
            Key k = new Key(bucket, c.series());
            groups.computeIfAbsent(k, x -> new ArrayList<>()).add(c);
            if (c.raw()) {
                hasRaw.put(k, true);
                newestRawBucket = Math.max(newestRawBucket, bucket);
            }
        }
        List<Merge> out = new ArrayList<>();
        List<Merge> cut = new ArrayList<>();
        for (Map.Entry<Key, List<Candidate>> g : groups.entrySet()) {
            Key k = g.getKey();
            if (!hasRaw.containsKey(k)) continue; // already one downsampled profile
            long[] members =
                    g.getValue().stream().mapToLong(Candidate::key).sorted().toArray();
            Merge m = new Merge(k.series(), k.bucket(), stepMs, members);
            (candidates.truncated() && k.bucket() == newestRawBucket ? cut : out).add(m);
        }
        if (out.isEmpty()) out = cut;
        List<Merge> bounded = new ArrayList<>();
        long taken = 0;
        for (Merge m : out) {
            if (!bounded.isEmpty() && taken + m.members().length > maxProfiles) break;
            bounded.add(m);
            taken += m.members().length;
        }
        return bounded;
    }
}
