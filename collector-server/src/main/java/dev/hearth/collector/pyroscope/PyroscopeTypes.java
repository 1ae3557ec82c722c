package dev.hearth.collector.pyroscope;

import dev.hearth.pprof.ProfileType;
import java.util.Map;
import java.util.Set;

/**
 * Pyroscope's profile-type suffixes ({@code app.cpu}, {@code app.alloc_space}, …) and where the
 * ones Hearth stores go: a profile type and the index of the value a stack count fills.
 */
public final class PyroscopeTypes {
    /** Where a suffix's counts go. */
    public record Target(ProfileType type, int valueIndex) {}

    private static final Map<String, Target> STORED = Map.ofEntries(
            Map.entry("cpu", new Target(ProfileType.CPU, 0)),
            Map.entry("itimer", new Target(ProfileType.CPU, 0)),
            Map.entry("wall", new Target(ProfileType.WALL, 0)),
            Map.entry("alloc_objects", new Target(ProfileType.ALLOC, 0)),
            Map.entry("alloc_space", new Target(ProfileType.ALLOC, 1)),
            Map.entry("alloc_in_new_tlab_objects", new Target(ProfileType.ALLOC, 0)),
            Map.entry("alloc_in_new_tlab_bytes", new Target(ProfileType.ALLOC, 1)),
            Map.entry("alloc_outside_tlab_objects", new Target(ProfileType.ALLOC, 0)),
            Map.entry("alloc_outside_tlab_bytes", new Target(ProfileType.ALLOC, 1)),
            Map.entry("mutex_count", new Target(ProfileType.LOCK, 0)),
            Map.entry("mutex_duration", new Target(ProfileType.LOCK, 1)),
            Map.entry("block_count", new Target(ProfileType.LOCK, 0)),
            Map.entry("block_duration", new Target(ProfileType.LOCK, 1)),
            Map.entry("lock_count", new Target(ProfileType.LOCK, 0)),
            Map.entry("lock_duration", new Target(ProfileType.LOCK, 1)));

    /** Suffixes Pyroscope knows whose profiles Hearth has no type for (live heap, goroutines, …). */
    private static final Set<String> NOT_STORED = Set.of(
            "inuse_objects",
            "inuse_space",
            "goroutines",
            "live",
            "exceptions",
            "seconds",
            "nanoseconds",
            "microseconds",
            "milliseconds",
            "bytes");

    private PyroscopeTypes() {}

    public static boolean isKnown(String suffix) {
        return STORED.containsKey(suffix) || NOT_STORED.contains(suffix);
    }

    /** The target of a suffix; no suffix means cpu, as in Pyroscope. IllegalArgumentException for one Hearth does not store. */
    public static Target target(String suffix) {
        if (suffix == null) return STORED.get("cpu");
        Target t = STORED.get(suffix);
        if (t == null)
            throw new IllegalArgumentException("Hearth does not store '" + suffix + "' profiles; it stores "
                    + STORED.keySet().stream().sorted().toList());
        return t;
    }
}
