package dev.hearth.collector.http;

import dev.hearth.collector.labels.LabelSelector;
import dev.hearth.collector.query.Sums;
import dev.hearth.collector.storage.ProfileStore;
import dev.hearth.collector.storage.QueryDeadline;
import dev.hearth.collector.storage.Selection;
import dev.hearth.collector.storage.StartTotal;
import dev.hearth.pprof.ProfileType;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        List<Answers.ServiceVolumes> services = new ArrayList<>();
        for (ProfileStore.Service s : reader.services(tenant)) {
            Map<String, Answers.Volume> volume = new LinkedHashMap<>();
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
                for (StartTotal t : reader.totalsByStart(
                        new Selection(tenant, s.name(), type, from, until, LabelSelector.ALL), value, deadline)) {
                    sum = Sums.add(sum, t.total());
                }
                volume.put(
                        id, new Answers.Volume(sum, type.valueTypes().get(value).unit()));
            }
            services.add(
                    new Answers.ServiceVolumes(s.name(), List.copyOf(s.types()), List.copyOf(s.labelKeys()), volume));
        }
        return Response.jsonOf(new Answers.Volumes(from, until, services));
    }
}
