package dev.hearth.agent;

import dev.hearth.agent.ship.Delivery;
import dev.hearth.agent.ship.Spool;

/** Shipping and spool health as metrics. */
final class DeliveryMetrics {
    private DeliveryMetrics() {}

    static void register(Metrics m, Delivery d, Spool s) {
        m.read("hearth_agent_profiles_shipped_total", "profiles the collector stored", "counter", "", d::stored);
        m.read("hearth_agent_profiles_rejected_total", "profiles the collector refused (4xx), not retried", "counter", "", d::rejected);
        m.read("hearth_agent_ship_failures_total", "upload attempts that failed and are retried", "counter", "", d::failures);
        m.read("hearth_agent_profiles_lost_total", "profiles dropped, by reason", "counter", "reason=\"spool_full\"", s::dropped);
        m.read("hearth_agent_profiles_lost_total", "profiles dropped, by reason", "counter", "reason=\"spool_unreadable\"", s::corrupt);
        m.read("hearth_agent_profiles_lost_total", "profiles dropped, by reason", "counter", "reason=\"spool_write_error\"", d::spoolErrors);
        m.read("hearth_agent_spool_bytes", "bytes of profiles waiting in the spool", "gauge", "", s::bytes);
        m.read("hearth_agent_spool_profiles", "profiles waiting in the spool", "gauge", "", s::size);
        m.read("hearth_agent_queued_profiles", "profiles waiting in memory to be shipped", "gauge", "", d::queued);
    }
}
