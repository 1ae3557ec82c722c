package dev.hearth.agent;

import dev.hearth.agent.proc.ProcessInfo;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.proto.Profile;
import java.util.List;

/**
 * Decides, per process, where each profile type comes from. The default reports everything from
 * eBPF; a JVM-aware implementation can take over a JVM (for example with async-profiler inside
 * it), exclude it from eBPF for the types it covers, so its CPU time is never counted twice, and
 * hand in its own profiles each period.
 */
public interface ProfileSources {
    /** Whether eBPF samples of {@code type} from {@code process} are reported. */
    boolean ebpfReports(ProcessInfo process, ProfileType type);

    /** Labels these sources add to every profile of {@code process} (e.g. which profiler a JVM got). */
    default LabelSet labels(ProcessInfo process) {
        return LabelSet.EMPTY;
    }

    /** A process appeared (seen by the /proc scan). */
    default void started(ProcessInfo process) {}

    /** A process exited. */
    default void exited(ProcessInfo process) {}

    /** Profiles from other sources covering [fromMs, untilMs), shipped with the period's eBPF ones. */
    default List<SourcedProfile> collect(long fromMs, long untilMs) {
        return List.of();
    }

    /** Stops whatever the sources started (e.g. detaches profilers from JVMs). */
    default void close() {}

    record SourcedProfile(ProcessInfo process, ProfileType type, Profile profile) {}

    /** Every process and type from eBPF. */
    ProfileSources EBPF = (process, type) -> true;
}
