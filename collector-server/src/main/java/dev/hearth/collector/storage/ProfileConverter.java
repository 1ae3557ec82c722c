package dev.hearth.collector.storage;

import dev.hearth.collector.labels.Labels;
import dev.hearth.collector.storage.ProfileRows.FunctionRow;
import dev.hearth.collector.storage.ProfileRows.LocationRow;
import dev.hearth.collector.storage.ProfileRows.Series;
import dev.hearth.collector.storage.ProfileRows.StackRow;
import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.InvalidProfileException;
import dev.hearth.pprof.ProfileReader;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.ValueType;
import dev.hearth.pprof.proto.Function;
import dev.hearth.pprof.proto.Label;
import dev.hearth.pprof.proto.Line;
import dev.hearth.pprof.proto.Location;
import dev.hearth.pprof.proto.Mapping;
import dev.hearth.pprof.proto.Profile;
import dev.hearth.pprof.proto.Sample;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Turns a validated pprof profile into storage rows; pure, runs off the writer thread. It works on
 * the profile's own indexes (each string, function and location hashed once, in arrays rather than
 * maps) because this is most of an ingest's cost after parsing. Frames read as
 * {@link ProfileReader} reads them: a location's lines leaf first, inner lines inlined.
 */
public final class ProfileConverter {
    private static final long SEED_FUNCTION = 2, SEED_LOCATION = 3, SEED_STACK = 4, SEED_SERIES = 5;
    private static final String[] KIND_IDS = java.util.Arrays.stream(FrameKind.values()).map(FrameKind::id).toArray(String[]::new);
    private static final String[] KIND_SUFFIXES = java.util.Arrays.stream(FrameKind.values()).map(k -> k.suffixed("")).toArray(String[]::new);

    /** What the ingest request says about the profile. */
    public record Meta(String uid, String service, ProfileType type, long fromMs, long untilMs, SortedMap<String, String> labels) {}

    private final Profile p;
    private final long[] stringHashes;
    private final Map<Long, String> strings;
    private final Map<Long, FunctionRow> functions;
    private final Map<Long, LocationRow> locations;
    private final Map<Long, StackRow> stacks;
    /** Encoded sample labels by (key, value) string indexes: most samples carry just a thread name. */
    private final Map<Long, String> singleLabels = new HashMap<>();
    /** The stack hasher's state after each encoded label set, copied for every sample that has it. */
    private final Map<String, Hasher> stackSeeds = new HashMap<>();

    private ProfileConverter(Profile p) {
        this.p = p;
        stringHashes = new long[p.getStringTableCount()];
        strings = new HashMap<>(p.getStringTableCount() * 2 + 16);
        functions = new HashMap<>(p.getFunctionCount() * 2 + 16);
        locations = new HashMap<>(p.getLocationCount() * 2 + 16);
        stacks = new HashMap<>(p.getSampleCount() * 2 + 16);
    }

    public static ProfileRows convert(Profile p, Meta meta) throws InvalidProfileException {
        return new ProfileConverter(p).run(meta);
    }

    public static Series series(String service, ProfileType type, Map<String, String> labels) {
        String encoded = Labels.encode(labels);
        long id = new Hasher(SEED_SERIES).putString(service).putString(type.id()).putString(encoded).hash();
        return new Series(id, service, type.id(), encoded);
    }

    private ProfileRows run(Meta meta) throws InvalidProfileException {
        int[] columns = valueColumns(p, meta.type());
        ById<long[]> locationHashes = locationHashes();

        Map<Long, long[]> samples = new LinkedHashMap<>(p.getSampleCount() * 2 + 16);
        long[] totals = new long[columns.length];
        for (Sample s : p.getSampleList()) {
            long[] values = new long[columns.length];
            boolean any = false;
            for (int i = 0; i < columns.length; i++) {
                values[i] = s.getValue(columns[i]);
                any |= values[i] != 0;
            }
            if (!any) continue;
            long stack = stack(s, locationHashes);
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

    /** Each location's frame hashes, leaf first. */
    private ById<long[]> locationHashes() {
        ById<Mapping> mappings = new ById<>(p.getMappingList(), Mapping::getId);
        for (Mapping m : p.getMappingList()) mappings.put(m.getId(), m);
        ById<FunctionInfo> fns = new ById<>(p.getFunctionList(), Function::getId);
        for (Function f : p.getFunctionList()) fns.put(f.getId(), new FunctionInfo(f));
        ById<long[]> out = new ById<>(p.getLocationList(), Location::getId);
        for (Location l : p.getLocationList()) {
            Mapping m = l.getMappingId() == 0 ? null : mappings.get(l.getMappingId());
            long binary = string(m == null ? 0 : m.getFilename()), buildId = string(m == null ? 0 : m.getBuildId());
            long[] hashes;
            if (l.getLineCount() == 0) {
                // an unsymbolized location, named by binary and address as ProfileReader names it
                String binaryName = p.getStringTable((int) (m == null ? 0 : m.getFilename()));
                String name = (binaryName.isEmpty() ? "" : binaryName + "+") + "0x" + Long.toHexString(l.getAddress());
                long fn = function(stringOf(name), FrameKind.UNKNOWN, string(0));
                hashes = new long[] {location(fn, 0, binary, buildId)};
            } else {
                hashes = new long[l.getLineCount()];
                for (int i = 0; i < hashes.length; i++) {
                    Line line = l.getLine(i);
                    long fn = fns.get(line.getFunctionId()).hash(i < hashes.length - 1);
                    hashes[i] = location(fn, line.getLine(), binary, buildId);
                }
            }
            out.put(l.getId(), hashes);
        }
        return out;
    }

    /** A pprof function's hashes, computed once: as written, and as an inlined frame. */
    private final class FunctionInfo {
        private final Function f;
        private final FrameKind kind;
        private final boolean explicit;
        private long asIs, inlined;

        FunctionInfo(Function f) {
            this.f = f;
            String systemName = p.getStringTable((int) f.getSystemName());
            kind = FrameKind.ofSystemName(systemName);
            explicit = systemName.endsWith(KIND_SUFFIXES[kind.ordinal()]);
        }

        /** Inner lines of a location are inlined frames unless the writer gave the function a kind. */
        long hash(boolean innerLine) {
            if (innerLine && !explicit) {
                if (inlined == 0) inlined = function(string(f.getName()), FrameKind.INLINED, string(f.getFilename()));
                return inlined;
            }
            if (asIs == 0) asIs = function(string(f.getName()), kind, string(f.getFilename()));
            return asIs;
        }
    }

    private long stack(Sample s, ById<long[]> locationHashes) {
        String encodedLabels = labels(s);
        Hasher seed = stackSeeds.get(encodedLabels);
        if (seed == null) {
            seed = new Hasher(SEED_STACK).putString(encodedLabels);
            stackSeeds.put(encodedLabels, seed);
        }
        Hasher h = seed.copy();
        int depth = 0;
        for (int i = 0; i < s.getLocationIdCount(); i++) {
            for (long loc : locationHashes.get(s.getLocationId(i))) {
                h.putLong(loc);
                depth++;
            }
        }
        long hash = h.hash();
        if (!stacks.containsKey(hash)) {
            long[] locs = new long[depth];
            int d = 0;
            for (int i = 0; i < s.getLocationIdCount(); i++) {
                for (long loc : locationHashes.get(s.getLocationId(i))) locs[d++] = loc;
            }
            stacks.put(hash, new StackRow(locs, encodedLabels));
        }
        return hash;
    }

    private String labels(Sample s) {
        int n = s.getLabelCount();
        if (n == 0) return "";
        if (n == 1) {
            Label l = s.getLabel(0);
            if (l.getStr() != 0) {
                Long key = l.getKey() << 32 | l.getStr();
                String encoded = singleLabels.get(key);
                if (encoded == null) {
                    encoded = SampleLabels.encode(ProfileReader.labels(p, s));
                    singleLabels.put(key, encoded);
                }
                return encoded;
            }
        }
        return SampleLabels.encode(ProfileReader.labels(p, s));
    }

    private long location(long function, long line, long binary, long buildId) {
        long hash = new Hasher(SEED_LOCATION).putLong(function).putLong(line).putLong(binary).putLong(buildId).hash();
        locations.putIfAbsent(hash, new LocationRow(function, line, binary, buildId));
        return hash;
    }

    private long function(long name, FrameKind kind, long file) {
        String kindId = KIND_IDS[kind.ordinal()];
        long hash = new Hasher(SEED_FUNCTION).putLong(name).putString(kindId).putLong(file).hash();
        functions.putIfAbsent(hash, new FunctionRow(name, kindId, file));
        return hash;
    }

    /** Hash of string table entry {@code index}, computed once per profile. */
    private long string(long index) {
        int i = (int) index;
        long h = stringHashes[i];
        if (h == 0) {
            h = stringOf(p.getStringTable(i));
            stringHashes[i] = h;
        }
        return h;
    }

    private long stringOf(String s) {
        long h = Hasher.ofString(s);
        if (h == 0) h = 1; // 0 marks "not computed yet" above
        strings.putIfAbsent(h, s);
        return h;
    }

    /** Values by pprof id: an array when ids are dense (as writers make them), else a map. */
    private static final class ById<T> {
        private final Object[] dense;
        private final Map<Long, T> sparse;

        <E> ById(List<E> entries, java.util.function.ToLongFunction<E> id) {
            long max = 0;
            for (E e : entries) max = Math.max(max, id.applyAsLong(e));
            boolean isDense = max <= 2L * entries.size() + 64;
            dense = isDense ? new Object[(int) max + 1] : null;
            sparse = isDense ? null : new HashMap<>(entries.size() * 2);
        }

        void put(long id, T value) {
            if (dense != null) dense[(int) id] = value;
            else sparse.put(id, value);
        }

        @SuppressWarnings("unchecked")
        T get(long id) {
            return dense != null ? (T) dense[(int) id] : sparse.get(id);
        }
    }
}
