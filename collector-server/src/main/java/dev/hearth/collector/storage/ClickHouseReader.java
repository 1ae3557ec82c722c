package dev.hearth.collector.storage;

import dev.hearth.collector.labels.Labels;
import dev.hearth.collector.storage.ClickHouseSchema.Table;
import dev.hearth.collector.storage.ProfileStore.Service;
import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.ResolvedSample;
import dev.hearth.pprof.StackFrame;
import java.net.URI;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Queries on ClickHouse, from any number of threads. As on DuckDB, label matchers run in Java on
 * the few series of a service, and a merge is one {@code GROUP BY stack}; on a cluster it runs on
 * the Distributed table, so each shard sums its own samples. Every read tolerates what several
 * writers leave: dictionary rows more than once ({@code any()} per id), and a profile id stored
 * twice (one batch per profile, chosen on the shard that holds it).
 */
final class ClickHouseReader {
    private static final int CHUNK = 4000;
    private static final int MAX_ENTRIES = 1 << 20;
    private static final String MAX = String.valueOf(Long.MAX_VALUE);

    private final ClickHouseHttp http;
    private final List<URI> shards;
    /** The profiles table each shard reads itself: named with its database, as a shard runs a query in its default one. */
    private final String localProfiles;
    /** Rows are keyed by content hash and never change: what was read once is kept (up to a bound). */
    private final Map<Long, FrameCache.Stack> stacks = new ConcurrentHashMap<>();

    private final Map<Long, StackFrame> locations = new ConcurrentHashMap<>();
    private int next;

    ClickHouseReader(ClickHouseHttp http, List<URI> shards, boolean cluster, String database) {
        this.http = http;
        this.shards = shards;
        this.localProfiles = database + "." + ClickHouseSchema.local(ClickHouseSchema.PROFILES, cluster);
    }

    /** Queries go to the shards in turn: on a cluster any of them answers for all. */
    private synchronized URI server() {
        next = (next + 1) % shards.size();
        return shards.get(next);
    }

    private List<String[]> query(String sql, QueryDeadline deadline) throws SQLException {
        return http.query(server(), sql + " FORMAT TabSeparated", deadline);
    }

    List<Service> services(String tenant) throws SQLException {
        Map<String, Service> out = new TreeMap<>();
        for (String[] r : query(
                "SELECT DISTINCT service, type, labels FROM series WHERE tenant = " + Tsv.literal(tenant),
                QueryDeadline.NONE)) {
            Service sv = out.computeIfAbsent(Tsv.unescape(r[0]), n -> new Service(n, new TreeSet<>(), new TreeSet<>()));
            sv.types().add(Tsv.unescape(r[1]));
            sv.labelKeys().addAll(Labels.parse(Tsv.unescape(r[2])).keySet());
        }
        return List.copyOf(out.values());
    }

    SortedSet<String> labelValues(String tenant, String service, String key) throws SQLException {
        SortedSet<String> out = new TreeSet<>();
        for (String[] r : query(
                "SELECT DISTINCT labels FROM series WHERE tenant = " + Tsv.literal(tenant) + " AND service = "
                        + Tsv.literal(service),
                QueryDeadline.NONE)) {
            String v = Labels.parse(Tsv.unescape(r[0])).get(key);
            if (v != null) out.add(v);
        }
        return out;
    }

    List<ResolvedSample> merge(Selection sel, int[] valueIndexes, QueryDeadline deadline) throws SQLException {
        String series = series(sel, deadline);
        if (series == null) return List.of();
        StringBuilder sql = new StringBuilder("SELECT stack");
        for (int i : valueIndexes) sql.append(", ").append(saturatingSum(Schema.valueColumn(i)));
        sql.append(" FROM samples WHERE series IN (")
                .append(series)
                .append(") AND day <= '")
                .append(ClickHouseWriter.day(sel.untilMs()))
                .append("' AND (pkey, batch) IN (SELECT pkey, any(batch) FROM ")
                .append(localProfiles)
                .append(" WHERE ")
                .append(profileFilter(sel, series))
                .append(" GROUP BY pkey) GROUP BY stack");
        Map<Long, long[]> sums = new HashMap<>();
        for (String[] r : query(sql.toString(), deadline)) {
            long[] v = new long[valueIndexes.length];
            for (int i = 0; i < v.length; i++) v[i] = Long.parseLong(r[i + 1]);
            sums.put(Long.parseLong(r[0]), v);
        }
        Map<Long, FrameCache.Stack> resolved = stacks(sums.keySet(), deadline);
        List<ResolvedSample> out = new ArrayList<>(sums.size());
        sums.forEach((id, v) -> {
            FrameCache.Stack s = resolved.get(id);
            if (s != null) out.add(new ResolvedSample(s.frames(), v, s.labels()));
        });
        return out;
    }

    List<StartTotal> totalsByStart(Selection sel, int valueIndex, QueryDeadline deadline) throws SQLException {
        List<StartTotal> out = new ArrayList<>();
        String series = series(sel, deadline);
        if (series == null) return out;
        String total = Schema.totalColumn(valueIndex);
        for (String[] r : query(
                "SELECT s, d, " + saturatingSum("t") + " FROM (SELECT pkey, any(start_ms) AS s, any(step_ms) AS d, any("
                        + total + ") AS t FROM profiles WHERE " + profileFilter(sel, series)
                        + " GROUP BY pkey) GROUP BY s, d ORDER BY s",
                deadline)) {
            out.add(new StartTotal(Long.parseLong(r[0]), Long.parseLong(r[1]), Long.parseLong(r[2])));
        }
        return out;
    }

    /** Values are never negative: summed as unsigned, then capped, which is the saturation Sums does. */
    static String saturatingSum(String column) {
        return "least(sum(toUInt64(" + column + ")), " + MAX + ")";
    }

    /** The selected profiles, leaving out those a downsampled profile merged whose deletion ClickHouse has not done yet. */
    private String profileFilter(Selection sel, String series) {
        return "tenant = " + Tsv.literal(sel.tenant()) + " AND service = " + Tsv.literal(sel.service())
                + " AND series IN (" + series
                + ") AND day <= '" + ClickHouseWriter.day(sel.untilMs()) + "' AND start_ms < " + sel.untilMs()
                + " AND end_ms > " + sel.fromMs()
                + " AND " + ClickHouseDownsampling.notMerged(localProfiles, series, sel.fromMs(), sel.untilMs());
    }

    /** The ids of the selected series as an IN list, or null when none matches. */
    private String series(Selection sel, QueryDeadline deadline) throws SQLException {
        List<Long> ids = new ArrayList<>();
        for (String[] r : query(
                "SELECT id, any(labels) FROM series WHERE tenant = " + Tsv.literal(sel.tenant()) + " AND service = "
                        + Tsv.literal(sel.service()) + " AND type = "
                        + Tsv.literal(sel.type().id()) + " GROUP BY id",
                deadline)) {
            deadline.check();
            if (sel.labels().matches(Labels.parse(Tsv.unescape(r[1])))) ids.add(Long.parseLong(r[0]));
        }
        return ids.isEmpty() ? null : FrameCache.inList(ids);
    }

    /** The stacks of these ids; ids not (yet) stored are left out. */
    private Map<Long, FrameCache.Stack> stacks(Collection<Long> ids, QueryDeadline deadline) throws SQLException {
        Map<Long, FrameCache.Stack> out = new HashMap<>(ids.size() * 2);
        List<Long> missing = new ArrayList<>();
        for (Long id : ids) {
            FrameCache.Stack s = stacks.get(id);
            if (s != null) out.put(id, s);
            else missing.add(id);
        }
        Map<Long, String> labels = new HashMap<>();
        Map<Long, long[]> frames = new HashMap<>();
        for (String[] r : byId(ClickHouseSchema.STACKS, "any(labels), any(frames)", missing, deadline)) {
            long id = Long.parseLong(r[0]);
            labels.put(id, Tsv.unescape(r[1]));
            frames.put(id, Tsv.longs(r[2]));
        }
        List<Long> unknown = new ArrayList<>();
        for (long[] fs : frames.values()) {
            for (long f : fs) {
                if (!locations.containsKey(f)) unknown.add(f);
            }
        }
        loadLocations(unknown.stream().distinct().toList(), deadline);
        if (stacks.size() > MAX_ENTRIES) stacks.clear();
        frames.forEach((id, fs) -> {
            StackFrame[] ordered = new StackFrame[fs.length];
            for (int d = 0; d < fs.length; d++) {
                ordered[d] = locations.get(fs[d]);
                if (ordered[d] == null) return; // written in part by a batch that failed: not readable
            }
            FrameCache.Stack s = new FrameCache.Stack(List.of(ordered), SampleLabels.decode(labels.get(id)));
            stacks.put(id, s);
            out.put(id, s);
        });
        return out;
    }

    private void loadLocations(List<Long> ids, QueryDeadline deadline) throws SQLException {
        if (ids.isEmpty()) return;
        if (locations.size() > MAX_ENTRIES) locations.clear();
        Map<Long, long[]> locs = new HashMap<>(); // function, line, binary, build id
        for (String[] r : byId(
                ClickHouseSchema.LOCATIONS,
                "any(function_id), any(line), any(binary_id), any(build_id)",
                ids,
                deadline)) {
            locs.put(Long.parseLong(r[0]), new long[] {
                Long.parseLong(r[1]), Long.parseLong(r[2]), Long.parseLong(r[3]), Long.parseLong(r[4])
            });
        }
        Map<Long, String[]> fns = new HashMap<>(); // name id, kind, file id
        for (String[] r : byId(
                ClickHouseSchema.FUNCTIONS,
                "any(name_id), any(kind), any(file_id)",
                locs.values().stream().map(l -> l[0]).distinct().toList(),
                deadline)) {
            fns.put(Long.parseLong(r[0]), new String[] {r[1], Tsv.unescape(r[2]), r[3]});
        }
        List<Long> stringIds = new ArrayList<>();
        for (long[] l : locs.values()) {
            stringIds.add(l[2]);
            stringIds.add(l[3]);
        }
        for (String[] f : fns.values()) {
            stringIds.add(Long.parseLong(f[0]));
            stringIds.add(Long.parseLong(f[2]));
        }
        Map<Long, String> strings = new HashMap<>();
        for (String[] r : byId(
                ClickHouseSchema.STRINGS,
                "any(str)",
                stringIds.stream().distinct().toList(),
                deadline)) {
            strings.put(Long.parseLong(r[0]), Tsv.unescape(r[1]));
        }
        locs.forEach((id, l) -> {
            String[] f = fns.get(l[0]);
            if (f == null) return;
            String name = strings.get(Long.parseLong(f[0])), file = strings.get(Long.parseLong(f[2]));
            String binary = strings.get(l[2]), buildId = strings.get(l[3]);
            if (name == null || file == null || binary == null || buildId == null) return;
            locations.put(id, new StackFrame(name, FrameKind.ofId(f[1]), file, l[1], binary, buildId));
        });
    }

    /** Rows of a dictionary table by id, one per id however often it was written, in chunks that keep the SQL small. */
    private List<String[]> byId(Table t, String columns, List<Long> ids, QueryDeadline deadline) throws SQLException {
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += CHUNK) {
            out.addAll(query(
                    "SELECT id, " + columns + " FROM " + ClickHouseSchema.name(t) + " WHERE id IN ("
                            + FrameCache.inList(ids.subList(i, Math.min(ids.size(), i + CHUNK))) + ") GROUP BY id",
                    deadline));
        }
        return out;
    }

    /** Rows as queries see them: a profile once however often stored, its samples of one batch, a dictionary row once. */
    long count(String table) throws SQLException {
        String sql = switch (table) {
            case "profiles" -> "SELECT uniqExact(pkey) FROM profiles";
            case "samples" ->
                "SELECT count() FROM samples WHERE (pkey, batch) IN (SELECT pkey, any(batch) FROM " + localProfiles
                        + " GROUP BY pkey)";
            case "strings", "functions", "locations", "stacks", "series" -> "SELECT uniqExact(id) FROM " + table;
            case "merged_uids" -> "SELECT uniqExact(pkey) FROM merged_uids";
            default -> throw new IllegalArgumentException("no table " + table);
        };
        return Long.parseLong(query(sql, QueryDeadline.NONE).get(0)[0]);
    }
}
