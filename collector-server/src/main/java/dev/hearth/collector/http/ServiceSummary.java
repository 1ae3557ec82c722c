package dev.hearth.collector.http;

import dev.hearth.collector.labels.LabelSelector;
import dev.hearth.collector.query.Json;
import dev.hearth.collector.query.Sums;
import dev.hearth.collector.storage.QueryDeadline;
import dev.hearth.collector.storage.Selection;
import dev.hearth.collector.storage.StartTotal;
import dev.hearth.collector.storage.ProfileStore;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.ValueType;
import java.sql.SQLException;

/**
 * {@code /api/v1/services?from=&until=}: the services with, per profile type, how much data they
 * hold in the window (the sum of the type's default value, in its unit), so a picker can show
 * which services are busy and a page can open the busiest one.
 */
final class ServiceSummary {
    private final ProfileStore reader;

    ServiceSummary(ProfileStore reader) {
        this.reader = reader;
    }

    Response services(String tenant, QueryParams q, long now, QueryDeadline deadline) throws SQLException {
        long until = q.longParam("until", now);
        long from = q.longParam("from", until - 3_600_000L);
        QueryParams.checkWindow("from", from, "until", until);
        StringBuilder sb = new StringBuilder("{\"from\":").append(from).append(",\"until\":").append(until).append(",\"services\":[");
        boolean first = true;
        for (ProfileStore.Service s : reader.services(tenant)) {
            if (!first) sb.append(',');
            first = false;
            sb.append("{\"name\":");
            Json.string(sb, s.name()).append(",\"types\":[");
            boolean firstType = true;
            for (String id : s.types()) {
                if (!firstType) sb.append(',');
                firstType = false;
                Json.string(sb, id);
            }
            sb.append("],\"labels\":[");
            boolean firstKey = true;
            for (String k : s.labelKeys()) {
                if (!firstKey) sb.append(',');
                firstKey = false;
                Json.string(sb, k);
            }
            sb.append("],\"volume\":{");
            boolean firstVolume = true;
            for (String id : s.types()) {
                ProfileType type;
                try {
                    type = ProfileType.ofId(id);
                } catch (IllegalArgumentException e) {
                    continue; // a type this collector no longer knows: listed, not summed
                }
                deadline.check();
                int value = type.defaultValueIndex();
                long sum = 0;
                for (StartTotal t : reader.totalsByStart(new Selection(tenant, s.name(), type, from, until, LabelSelector.ALL), value, deadline)) {
                    sum = Sums.add(sum, t.total());
                }
                ValueType vt = type.valueTypes().get(value);
                if (!firstVolume) sb.append(',');
                firstVolume = false;
                Json.string(sb, id).append(":{\"total\":").append(sum).append(",\"unit\":");
                Json.string(sb, vt.unit()).append('}');
            }
            sb.append("}}");
        }
        return Response.json(sb.append("]}").toString());
    }
}
