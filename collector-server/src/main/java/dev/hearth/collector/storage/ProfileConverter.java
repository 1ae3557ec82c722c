package dev.hearth.collector.storage;

import dev.hearth.collector.labels.Labels;
import dev.hearth.collector.storage.ProfileRows.FunctionRow;
import dev.hearth.collector.storage.ProfileRows.LocationRow;
import dev.hearth.collector.storage.ProfileRows.Series;
import dev.hearth.collector.storage.ProfileRows.StackRow;
import dev.hearth.pprof.InvalidProfileException;
import dev.hearth.pprof.ProfileReader;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.StackFrame;
import dev.hearth.pprof.ValueType;
import dev.hearth.pprof.proto.Profile;
import dev.hearth.pprof.proto.Sample;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/** Turns a validated pprof profile into storage rows; pure, runs off the writer thread. */
public final class ProfileConverter {
    private static final long SEED_FUNCTION = 2, SEED_LOCATION = 3, SEED_STACK = 4, SEED_SERIES = 5;

    /** What the ingest request says about the profile. */
    public record Meta(String uid, String service, ProfileType type, long fromMs, long untilMs, SortedMap<String, String> labels) {}

    private final Map<Long, String> strings;
    private final Map<String, Long> stringIds;
    private final Map<Long, FunctionRow> functions;
    private final Map<Long, LocationRow> locations;
    private final Map<Long, StackRow> stacks;
    /** Encoded sample labels by (key, value) string indexes: most samples carry just a thread name. */
    private final Map<Long, String> singleLabels = new HashMap<>();

    private ProfileConverter(Profile p) {
        int n = p.getLocationCount() * 2 + 16;
        strings = new HashMap<>(p.getStringTableCount() * 2 + 16);
        stringIds = new HashMap<>(p.getStringTableCount() * 2 + 16);
        functions = new HashMap<>(p.getFunctionCount() * 2 + 16);
        locations = new HashMap<>(n);
        stacks = new HashMap<>(p.getSampleCount() * 2 + 16);
    }

    public static ProfileRows convert(Profile p, Meta meta) throws InvalidProfileException {
        return new ProfileConverter(p).run(p, meta);
    }

    public static Series series(String service, ProfileType type, Map<String, String> labels) {
        String encoded = Labels.encode(labels);
        long id = new Hasher(SEED_SERIES).putString(service).putString(type.id()).putString(encoded).hash();
        return new Series(id, service, type.id(), encoded);
    }

    private ProfileRows run(Profile p, Meta meta) throws InvalidProfileException {
        int[] columns = valueColumns(p, meta.type());

        LocationHashes locationHashes = new LocationHashes(p);
        ProfileReader.locationFrames(p).forEach((id, frames) -> {
            long[] hashes = new long[frames.size()];
            for (int i = 0; i < hashes.length; i++) hashes[i] = location(frames.get(i));
            locationHashes.put(id, hashes);
        });

        Map<Long, long[]> samples = new LinkedHashMap<>();
        long[] totals = new long[columns.length];
        for (Sample s : p.getSampleList()) {
            long[] values = new long[columns.length];
            boolean any = false;
            for (int i = 0; i < columns.length; i++) {
                values[i] = s.getValue(columns[i]);
                any |= values[i] != 0;
            }
            if (!any) continue;
            long stack = stack(s, p, locationHashes);
            long[] sum = samples.computeIfAbsent(stack, k -> new long[columns.length]);
            for (int i = 0; i < values.length; i++) {
                sum[i] += values[i];
                totals[i] += values[i];
            }
        }

        long[] sampleStacks = new long[samples.size()];
        long[][] sampleValues = new long[columns.length][samples.size()];
        int row = 0;
        for (var e : samples.entrySet()) {
            sampleStacks[row] = e.getKey();
            for (int i = 0; i < columns.length; i++) sampleValues[i][row] = e.getValue()[i];
            row++;
        }
        return new ProfileRows(meta.uid(), series(meta.service(), meta.type(), meta.labels()), meta.fromMs(), meta.untilMs(),
                strings, functions, locations, stacks, sampleStacks, sampleValues, totals);
    }

    /** For each value type of the profile type, the index of the profile's sample type of that name. */
    private static int[] valueColumns(Profile p, ProfileType type) throws InvalidProfileException {
        List<ValueType> have = ProfileReader.valueTypes(p);
        List<ValueType> want = type.valueTypes();
        int[] columns = new int[want.size()];
        for (int i = 0; i < want.size(); i++) {
            columns[i] = -1;
            for (int j = 0; j < have.size(); j++) {
                if (have.get(j).type().equals(want.get(i).type())) columns[i] = j;
            }
            if (columns[i] < 0) {
                throw new InvalidProfileException("a " + type.id() + " profile needs the sample types " + names(want)
                        + ", this one has " + names(have));
            }
        }
        return columns;
    }

    private static List<String> names(List<ValueType> types) {
        return types.stream().map(ValueType::type).toList();
    }

    private long stack(Sample s, Profile p, LocationHashes locationHashes) {
        String encodedLabels = labels(s, p);
        Hasher h = new Hasher(SEED_STACK).putString(encodedLabels);
        int depth = 0;
        for (long id : s.getLocationIdList()) {
            for (long loc : locationHashes.get(id)) {
                h.putLong(loc);
                depth++;
            }
        }
        long hash = h.hash();
        if (!stacks.containsKey(hash)) {
            long[] locs = new long[depth];
            int i = 0;
            for (long id : s.getLocationIdList()) {
                for (long loc : locationHashes.get(id)) locs[i++] = loc;
            }
            stacks.put(hash, new StackRow(locs, encodedLabels));
        }
        return hash;
    }

    private String labels(Sample s, Profile p) {
        if (s.getLabelCount() == 0) return "";
        if (s.getLabelCount() == 1 && s.getLabel(0).getStr() != 0) {
            long key = s.getLabel(0).getKey() << 32 | s.getLabel(0).getStr();
            return singleLabels.computeIfAbsent(key, k -> SampleLabels.encode(ProfileReader.labels(p, s)));
        }
        return SampleLabels.encode(ProfileReader.labels(p, s));
    }

    /** Location id → its frames' hashes: an array when ids are dense (as writers make them), else a map. */
    private static final class LocationHashes {
        private final long[][] dense;
        private final Map<Long, long[]> sparse;

        LocationHashes(Profile p) {
            long max = 0;
            for (var l : p.getLocationList()) max = Math.max(max, l.getId());
            boolean isDense = max <= 2L * p.getLocationCount() + 64;
            dense = isDense ? new long[(int) max + 1][] : null;
            sparse = isDense ? null : new HashMap<>(p.getLocationCount() * 2);
        }

        void put(long id, long[] hashes) {
            if (dense != null) dense[(int) id] = hashes;
            else sparse.put(id, hashes);
        }

        long[] get(long id) {
            return dense != null ? dense[(int) id] : sparse.get(id);
        }
    }

    private long location(StackFrame f) {
        long function = function(f);
        long binary = string(f.binary()), buildId = string(f.buildId());
        long hash = new Hasher(SEED_LOCATION).putLong(function).putLong(f.line()).putLong(binary).putLong(buildId).hash();
        locations.putIfAbsent(hash, new LocationRow(function, f.line(), binary, buildId));
        return hash;
    }

    private long function(StackFrame f) {
        long name = string(f.name()), file = string(f.file());
        String kind = f.kind().id();
        long hash = new Hasher(SEED_FUNCTION).putLong(name).putString(kind).putLong(file).hash();
        functions.putIfAbsent(hash, new FunctionRow(name, kind, file));
        return hash;
    }

    private long string(String s) {
        Long known = stringIds.get(s);
        if (known != null) return known;
        long hash = Hasher.ofString(s);
        stringIds.put(s, hash);
        strings.put(hash, s);
        return hash;
    }
}
