package dev.hearth.collector.storage;

import dev.hearth.collector.labels.LabelSelector;
import dev.hearth.pprof.ProfileType;

/** Which profiles a query reads: one tenant's service and type, ranges overlapping [fromMs, untilMs), matching labels. */
public record Selection(
        String tenant, String service, ProfileType type, long fromMs, long untilMs, LabelSelector labels) {}
