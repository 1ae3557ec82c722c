package dev.hearth.collector.http;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.hearth.collector.query.FlameJson;
import dev.hearth.collector.query.FunctionTable;
import dev.hearth.collector.query.Json;
import dev.hearth.collector.query.Sandwich;
import dev.hearth.collector.query.TreePruner;
import dev.hearth.collector.storage.ProfileStore;
import dev.hearth.collector.storage.QueryDeadline;
import dev.hearth.collector.storage.Selection;
import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.ResolvedSample;
import dev.hearth.pprof.ValueType;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * What the UI reads from the full merge rather than from the pruned flame graph: the function
 * table with a search's share ({@code /api/v1/functions}) and one function's callers and callees
 * ({@code /api/v1/sandwich}). With {@code baseFrom} (and {@code baseUntil}, {@code baseLabels})
 * the function table carries the baseline's values too, as a diff does.
 */
final class FunctionEndpoints {
    static final String FUNCTIONS = "/api/v1/functions";
    static final String SANDWICH = "/api/v1/sandwich";
    static final int DEFAULT_LIMIT = 1000;
    private static final int MAX_LIMIT = 100_000;
    private static final int MAX_SEARCH = 1024;

    private final ProfileStore reader;

    FunctionEndpoints(ProfileStore reader) {
        this.reader = reader;
    }

    Response functions(String tenant, QueryParams q, long now, QueryDeadline deadline) throws SQLException {
        Selection sel = q.selection(tenant, now);
        Selection base = q.has("baseFrom") ? baseline(q, sel) : null;
        int[] column = {q.valueIndex(sel.type())};
        long limit = q.longParam("limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT)
            throw ApiException.badRequest("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        Predicate<String> search = search(q);
        List<ResolvedSample> compared = reader.merge(sel, column, deadline);
        List<ResolvedSample> baseline = base == null ? List.of() : reader.merge(base, column, deadline);
        deadline.check();
        FunctionTable.Table table = FunctionTable.of(compared, baseline);
        List<FunctionTable.Row> rows = FunctionTable.heaviest(table, (int) limit);
        deadline.check();
        ValueType vt = sel.type().valueTypes().get(column[0]);
        List<Answers.Function> functions = new ArrayList<>(rows.size());
        for (FunctionTable.Row r : rows) {
            functions.add(new Answers.Function(
                    r.name,
                    r.kind().id(),
                    r.kinds().stream().map(FrameKind::id).toList(),
                    r.self,
                    r.total,
                    base == null ? null : r.baseSelf,
                    base == null ? null : r.baseTotal));
        }
        return Response.jsonOf(new Answers.Functions(
                vt.unit(),
                vt.type(),
                table.total(),
                base == null ? null : table.baseTotal(),
                table.rows().size(),
                search == null ? null : FunctionTable.matched(compared, search),
                search == null || base == null ? null : FunctionTable.matched(baseline, search),
                functions));
    }

    Response sandwich(String tenant, QueryParams q, long now, QueryDeadline deadline) throws SQLException {
        Selection sel = q.selection(tenant, now);
        String function = q.required("function");
        int[] column = {q.valueIndex(sel.type())};
        int maxNodes = Endpoints.maxNodes(q);
        Sandwich.Trees trees = Sandwich.of(reader.merge(sel, column, deadline), function);
        deadline.check();
        TreePruner.prune(trees.callers(), maxNodes, n -> n.total);
        TreePruner.prune(trees.callees(), maxNodes, n -> n.total);
        deadline.check();
        ValueType vt = sel.type().valueTypes().get(column[0]);
        return Response.json(
                Json.stream(256 + (trees.callers().size() + trees.callees().size()) * 64, g -> {
                    g.writeStartObject();
                    g.writeFieldName("callers");
                    FlameJson.flamegraph(g, trees.callers(), vt.unit(), vt.type());
                    g.writeFieldName("callees");
                    FlameJson.flamegraph(g, trees.callees(), vt.unit(), vt.type());
                    g.writeEndObject();
                }));
    }

    /** The baseline side of a comparison: its own window and labels, the compared side's when not given. */
    static Selection baseline(QueryParams q, Selection compared) {
        long baseUntil = q.longParam("baseUntil", compared.untilMs());
        long baseFrom = q.longParam("baseFrom", compared.fromMs());
        QueryParams.checkWindow("baseFrom", baseFrom, "baseUntil", baseUntil);
        return new Selection(
                compared.tenant(),
                compared.service(),
                compared.type(),
                baseFrom,
                baseUntil,
                q.has("baseLabels") ? q.selector("baseLabels") : compared.labels());
    }

    /**
     * {@code search}: a case-insensitive substring; with {@code regex=true} an RE2 regular
     * expression (linear time whatever the pattern, as label regexes), found anywhere in a name.
     */
    private static Predicate<String> search(QueryParams q) {
        String s = q.optional("search");
        if (s == null || s.isEmpty()) return null;
        if (s.length() > MAX_SEARCH)
            throw ApiException.badRequest("search must be at most " + MAX_SEARCH + " characters");
        if (!q.flag("regex")) {
            String needle = s.toLowerCase(Locale.ROOT);
            return name -> name.toLowerCase(Locale.ROOT).contains(needle);
        }
        try {
            Pattern p = Pattern.compile(s);
            return name -> p.matcher(name).find();
        } catch (PatternSyntaxException e) {
            throw ApiException.badRequest("search: bad regex: " + e.getDescription() + " in '" + s + "'");
        }
    }
}
