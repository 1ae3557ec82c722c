package dev.hearth.agent;

import dev.hearth.agent.ship.Delivery;
import dev.hearth.agent.ship.Spool;

/** Shipping and spool health as metrics. */
final class DeliveryMetrics {
    private DeliveryMetrics() {}

    static void register(Metrics m, Delivery d, Spool s) {
        m.read("hearth_agent_profiles_shipped_total", "profiles the collector stored", Metrics.Kind.COUNTER, d::stored);
        m.read(
                "hearth_agent_profiles_rejected_total",
                "profiles the collector refused (4xx), not retried",
                Metrics.Kind.COUNTER,
                d::rejected);
        m.read(
                "hearth_agent_ship_failures_total",
                "upload attempts that failed and are retried",
                Metrics.Kind.COUNTER,
                d::failures);
        m.read(
                "hearth_agent_profiles_lost_total",
                "profiles dropped, by reason",
                Metrics.Kind.COUNTER,
                "reason",
                "spool_full",
                s::dropped);
        m.read(
                "hearth_agent_profiles_lost_total",
                "profiles dropped, by reason",
                Metrics.Kind.COUNTER,
                "reason",
                "spool_unreadable",
                s::corrupt);
        m.read(
                "hearth_agent_profiles_lost_total",
                "profiles dropped, by reason",
                Metrics.Kind.COUNTER,
                "reason",
                "spool_write_error",
                d::spoolErrors);
        m.read("hearth_agent_spool_bytes", "bytes of profiles waiting in the spool", Metrics.Kind.GAUGE, s::bytes);
        m.read("hearth_agent_spool_profiles", "profiles waiting in the spool", Metrics.Kind.GAUGE, s::size);
        m.read(
                "hearth_agent_queued_profiles",
                "profiles waiting in memory to be shipped",
                Metrics.Kind.GAUGE,
                d::queued);
    }
}
