package dev.hearth.pprof.jfr;

import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.proto.Profile;
import java.util.Map;

/**
 * What one JFR recording became: a profile per type that had events, how many events were
 * used, and, when reading stopped early (a truncated or damaged chunk), why. Events read before
 * the damage are kept.
 *
 * @param profiles  by type; only types with at least one sample
 * @param events    profiling events converted
 * @param damage    null when the whole recording was read, else what stopped the reading
 */
public record JfrProfiles(Map<ProfileType, Profile> profiles, long events, String damage) {
    public JfrProfiles {
        profiles = Map.copyOf(profiles);
    }

    public boolean complete() {
        return damage == null;
    }
}
