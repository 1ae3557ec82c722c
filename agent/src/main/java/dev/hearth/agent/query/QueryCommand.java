package dev.hearth.agent.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.agent.OutputFile;
import dev.hearth.pprof.FoldedFormat;
import dev.hearth.pprof.InvalidProfileException;
import dev.hearth.pprof.ProfileCodec;
import dev.hearth.pprof.ProfileReader;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.ValueType;
import dev.hearth.pprof.flame.FlameFrame;
import dev.hearth.pprof.flame.FlameFrames;
import dev.hearth.pprof.flame.FlameGraphHtml;
import dev.hearth.pprof.flame.FlameTop;
import dev.hearth.pprof.proto.Profile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hearth query …}: the collector's API from a terminal or a script. */
@Command(
        name = "query",
        mixinStandardHelpOptions = true,
        description = {
            "Ask a collector for its services, a merged flame graph, a diff, a timeline or a pprof file.",
            "Output: top (a table), folded, pprof, json or html (one self-contained file, search and zoom inside)."
        },
        subcommands = {
            QueryCommand.Services.class,
            QueryCommand.Flamegraph.class,
            QueryCommand.Diff.class,
            QueryCommand.Timeline.class,
            QueryCommand.Pprof.class
        })
public final class QueryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    enum Format {
        top,
        folded,
        pprof,
        json,
        html
    }

    /** A profile the collector sends is decoded up to this size, as the collector's own ingest bounds it. */
    private static final long MAX_PROFILE = 1L << 30;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "name a query: services, flamegraph, diff, timeline or pprof");
    }

    /** Where and how a subcommand writes. */
    static final class OutputOptions {
        @Option(
                names = {"-o", "--output"},
                paramLabel = "FILE",
                description = "where to write (default: standard output)")
        Path output;

        @Option(
                names = "--top",
                paramLabel = "N",
                defaultValue = "20",
                description = "rows of the top table (default: ${DEFAULT-VALUE})")
        int top;

        void write(String text) throws IOException {
            OutputFile.write(output, text.getBytes(StandardCharsets.UTF_8));
        }

        void write(byte[] bytes) throws IOException {
            OutputFile.write(output, bytes);
        }
    }

    private static Format check(Format f, Set<Format> allowed, String command) {
        if (!allowed.contains(f)) throw new IllegalArgumentException(command + " writes " + allowed + ", not " + f);
        return f;
    }

    @Command(
            name = "services",
            mixinStandardHelpOptions = true,
            description = "The services with their profile types and label keys.")
    static final class Services implements Callable<Integer> {
        @Mixin
        CollectorOptions collector;

        @Mixin
        OutputOptions out;

        @Option(names = "--format", defaultValue = "top", description = "top or json (default: ${DEFAULT-VALUE})")
        Format format;

        @Override
        public Integer call() throws IOException {
            check(format, EnumSet.of(Format.top, Format.json), "services");
            byte[] body = collector.get("/api/v1/services", Map.of());
            if (format == Format.json) {
                out.write(body);
                return 0;
            }
            StringBuilder sb =
                    new StringBuilder(String.format(Locale.ROOT, "%-30s %-30s %s%n", "service", "types", "labels"));
            for (JsonNode s : Json.MAPPER.readTree(body).path("services")) {
                sb.append(String.format(
                        Locale.ROOT,
                        "%-30s %-30s %s%n",
                        s.path("name").asText(),
                        join(s.path("types")),
                        join(s.path("labels"))));
            }
            out.write(sb.toString());
            return 0;
        }
    }

    @Command(
            name = "flamegraph",
            mixinStandardHelpOptions = true,
            description = "The merged flame graph of a service's profiles in a time window.")
    static final class Flamegraph implements Callable<Integer> {
        @Mixin
        CollectorOptions collector;

        @Mixin
        SelectionOptions selection;

        @Mixin
        OutputOptions out;

        @Option(
                names = "--format",
                defaultValue = "top",
                description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
        Format format;

        @Option(
                names = "--max-nodes",
                paramLabel = "N",
                description = "json: prune the tree to this many nodes (default: the collector's)")
        Integer maxNodes;

        @Override
        public Integer call() throws IOException {
            Instant now = Instant.now();
            Map<String, String> params = selection.params(now);
            if (format == Format.json) {
                params.put("maxNodes", maxNodes == null ? null : maxNodes.toString());
                out.write(collector.get("/api/v1/flamegraph", params));
                return 0;
            }
            // everything else from the merged pprof: the whole tree, not a pruned one
            byte[] gz = collector.get("/api/v1/pprof", params);
            if (format == Format.pprof) {
                out.write(gz);
                return 0;
            }
            Profile p;
            try {
                p = ProfileCodec.decode(gz, MAX_PROFILE);
            } catch (InvalidProfileException e) {
                throw new IOException("the collector sent an unreadable profile: " + e.getMessage(), e);
            }
            int index = valueIndex(p, selection);
            ValueType vt = ProfileReader.valueTypes(p).get(index);
            if (format == Format.folded) {
                StringBuilder sb = new StringBuilder();
                for (String line : FoldedFormat.write(p, index, false))
                    sb.append(line).append('\n');
                out.write(sb.toString());
                return 0;
            }
            FlameFrame root = FlameFrames.of(selection.service, ProfileReader.samples(p), index);
            String unit = vt.type() + " (" + vt.unit() + ")";
            if (format == Format.top) {
                out.write(FlameTop.table(FlameTop.rows(root, out.top), root.total(), unit));
            } else {
                String title =
                        selection.service + " " + selection.type + ", " + Instant.ofEpochMilli(selection.fromMs(now))
                                + " to " + Instant.ofEpochMilli(selection.untilMs(now))
                                + (selection.labels == null ? "" : " {" + selection.labels + "}");
                out.write(FlameGraphHtml.render(title, unit, root));
            }
            return 0;
        }

        private static int valueIndex(Profile p, SelectionOptions s) {
            List<ValueType> types = ProfileReader.valueTypes(p);
            String wanted = s.value != null
                    ? s.value
                    : ProfileType.ofId(s.type)
                            .valueTypes()
                            .get(ProfileType.ofId(s.type).defaultValueIndex())
                            .type();
            for (int i = 0; i < types.size(); i++) {
                if (types.get(i).type().equals(wanted)) return i;
            }
            throw new IllegalArgumentException("the profile has no value '" + wanted + "'");
        }
    }

    @Command(
            name = "diff",
            mixinStandardHelpOptions = true,
            description = {
                "Compare a window (--from/--until/--labels) with a base (--base-from/--base-until/--base-labels).",
                "The base is scaled to the compared side's total unless --absolute."
            })
    static final class Diff implements Callable<Integer> {
        @Mixin
        CollectorOptions collector;

        @Mixin
        SelectionOptions selection;

        @Mixin
        OutputOptions out;

        @Option(names = "--base-from", paramLabel = "TIME", required = true, description = "start of the base window")
        String baseFrom;

        @Option(names = "--base-until", paramLabel = "TIME", required = true, description = "end of the base window")
        String baseUntil;

        @Option(
                names = "--base-labels",
                paramLabel = "MATCHERS",
                description = "label matchers of the base (default: --labels)")
        String baseLabels;

        @Option(names = "--absolute", description = "compare raw values, not values scaled to the same total")
        boolean absolute;

        @Option(names = "--format", defaultValue = "top", description = "top or json (default: ${DEFAULT-VALUE})")
        Format format;

        @Override
        public Integer call() throws IOException {
            check(format, EnumSet.of(Format.top, Format.json), "diff");
            Instant now = Instant.now();
            Map<String, String> params = selection.params(now);
            params.put("baseFrom", Long.toString(QueryTime.parse(baseFrom, now, java.time.ZoneId.systemDefault())));
            params.put("baseUntil", Long.toString(QueryTime.parse(baseUntil, now, java.time.ZoneId.systemDefault())));
            params.put("baseLabels", baseLabels);
            params.put("absolute", absolute ? "true" : null);
            byte[] body = collector.get("/api/v1/diff", params);
            if (format == Format.json) {
                out.write(body);
                return 0;
            }
            JsonNode tree = Json.MAPPER.readTree(body);
            out.write(diffTable(tree, out.top));
            return 0;
        }

        /** Per frame name: self now, self in the (scaled) base and the change, largest change first. */
        static String diffTable(JsonNode tree, int limit) {
            Map<String, double[]> byName = new HashMap<>();
            ArrayDeque<JsonNode> todo = new ArrayDeque<>();
            tree.path("root").path("children").forEach(todo::push);
            while (!todo.isEmpty()) {
                JsonNode n = todo.pop();
                double[] v = byName.computeIfAbsent(n.path("name").asText(), k -> new double[2]);
                v[0] += n.path("self").asDouble();
                v[1] += n.path("baseSelf").asDouble();
                n.path("children").forEach(todo::push);
            }
            List<Map.Entry<String, double[]>> rows = new ArrayList<>(byName.entrySet());
            rows.sort((a, b) -> {
                int c = Double.compare(
                        Math.abs(b.getValue()[0] - b.getValue()[1]), Math.abs(a.getValue()[0] - a.getValue()[1]));
                return c != 0 ? c : a.getKey().compareTo(b.getKey());
            });
            double total = Math.max(1, tree.path("total").asDouble());
            StringBuilder sb = new StringBuilder(String.format(
                    Locale.ROOT,
                    "%14s %14s %14s %8s  %s%n",
                    "self",
                    "base self",
                    "change",
                    "change%",
                    "name (" + tree.path("value").asText() + ", "
                            + tree.path("unit").asText() + ")"));
            for (Map.Entry<String, double[]> r : rows.subList(0, Math.min(limit, rows.size()))) {
                double[] v = r.getValue();
                sb.append(String.format(
                        Locale.ROOT,
                        "%14.0f %14.0f %+14.0f %+7.2f%%  %s%n",
                        v[0],
                        v[1],
                        v[0] - v[1],
                        100 * (v[0] - v[1]) / total,
                        r.getKey()));
            }
            return sb.toString();
        }
    }

    @Command(
            name = "timeline",
            mixinStandardHelpOptions = true,
            description = "A service's total per step over a time window.")
    static final class Timeline implements Callable<Integer> {
        @Mixin
        CollectorOptions collector;

        @Mixin
        SelectionOptions selection;

        @Mixin
        OutputOptions out;

        @Option(
                names = "--step",
                paramLabel = "TIME",
                description = "bucket width, e.g. 10s, 1m (default: the collector's)")
        String step;

        @Option(
                names = "--format",
                defaultValue = "top",
                description = "top (a time,value table) or json (default: ${DEFAULT-VALUE})")
        Format format;

        @Override
        public Integer call() throws IOException {
            check(format, EnumSet.of(Format.top, Format.json), "timeline");
            Map<String, String> params = selection.params(Instant.now());
            params.put(
                    "step",
                    step == null
                            ? null
                            : Long.toString(
                                    dev.hearth.agent.Units.duration(step).toMillis()));
            byte[] body = collector.get("/api/v1/timeline", params);
            if (format == Format.json) {
                out.write(body);
                return 0;
            }
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-24s %s%n", "time", "value"));
            for (JsonNode point : Json.MAPPER.readTree(body).path("points")) {
                sb.append(String.format(
                        Locale.ROOT,
                        "%-24s %d%n",
                        Instant.ofEpochMilli(point.get(0).asLong()),
                        point.get(1).asLong()));
            }
            out.write(sb.toString());
            return 0;
        }
    }

    @Command(
            name = "pprof",
            mixinStandardHelpOptions = true,
            description =
                    "The merged profile as a gzipped pprof file, for go tool pprof (like flamegraph --format pprof).")
    static final class Pprof implements Callable<Integer> {
        @Mixin
        CollectorOptions collector;

        @Mixin
        SelectionOptions selection;

        @Mixin
        OutputOptions out;

        @Override
        public Integer call() throws IOException {
            out.write(collector.get("/api/v1/pprof", selection.params(Instant.now())));
            return 0;
        }
    }

    private static String join(JsonNode array) {
        List<String> parts = new ArrayList<>();
        array.forEach(n -> parts.add(n.asText()));
        return String.join(",", parts);
    }
}
