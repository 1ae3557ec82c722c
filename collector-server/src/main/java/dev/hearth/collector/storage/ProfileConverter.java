package dev.hearth.collector.storage;

import dev.hearth.collector.labels.Labels;
import dev.hearth.collector.query.Sums;
import dev.hearth.collector.storage.ProfileRows.FunctionRow;
import dev.hearth.collector.storage.ProfileRows.LocationRow;
import dev.hearth.collector.storage.ProfileRows.Series;
import dev.hearth.collector.storage.ProfileRows.StackRow;
import dev.hearth.collector.storage.ProfileRows.StringRow;
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
 * the profile's own indexes: each string, function and location becomes a row (hashed) once, kept
 * in arrays by pprof index, and each stack points at its location rows, which point at theirs, so
 * no map by hash is built; this is most of an ingest's cost after parsing. Frames read as
 * {@link ProfileReader} reads them: a location's lines leaf first, inner lines inlined.
 *
 * <p>Values are checked here: a negative value refuses the profile, and sums stop at
 * Long.MAX_VALUE ({@link Sums}). A stack deeper than the limit keeps its leaf-side frames and gets
 * one {@link #TRUNCATED} frame in place of the frames nearer the root.
 */
public final class ProfileConverter {
    private static final long SEED_FUNCTION = 2, SEED_LOCATION = 3, SEED_STACK = 4, SEED_SERIES = 5, SEED_DIGEST = 6;
    private static final String[] KIND_IDS =
            java.util.Arrays.stream(FrameKind.values()).map(FrameKind::id).toArray(String[]::new);
    private static final String[] KIND_SUFFIXES =
            java.util.Arrays.stream(FrameKind.values()).map(k -> k.suffixed("")).toArray(String[]::new);

    /** The name of the root-most frame of a stack cut to the depth limit. */
    public static final String TRUNCATED = "[truncated]";

    /** What the ingest request says about the profile. */
    public record Meta(
            String tenant,
            String uid,
            String service,
            ProfileType type,
            long fromMs,
            long untilMs,
            SortedMap<String, String> labels) {}

    private final Profile p;
    /** Rows of string table entries, made once per profile. */
    private final StringRow[] strings;
    /** Encoded sample labels by (key, value) string indexes: most samples carry just a thread name. */
    private final Map<Long, String> singleLabels = new HashMap<>();
    /** The stack hasher's state after each encoded label set, copied for every sample that has it. */
    private final Map<String, Hasher> stackSeeds = new HashMap<>();

    private final int maxStackDepth;
    private LocationRow truncated;
    private int truncatedStacks;

    private ProfileConverter(Profile p, int maxStackDepth) {
        if (maxStackDepth < 2) throw new IllegalArgumentException("maxStackDepth must be at least 2");
        this.p = p;
        this.maxStackDepth = maxStackDepth;
        strings = new StringRow[p.getStringTableCount()];
    }

    /** Stacks deeper than {@code maxStackDepth} frames are cut on the root side. */
    public static ProfileRows convert(Profile p, Meta meta, int maxStackDepth) throws InvalidProfileException {
        return new ProfileConverter(p, maxStackDepth).run(meta);
    }

    public static Series series(String tenant, String service, ProfileType type, Map<String, String> labels) {
        String encoded = Labels.encode(labels);
        long id = new Hasher(SEED_SERIES)
                .putString(tenant)
                .putString(service)
                .putString(type.id())
                .putString(encoded)
                .hash();
        return new Series(id, tenant, service, type.id(), encoded);
    }

    /** A distinct stack of the profile and its summed values. */
    private record Summed(StackRow stack, long[] values) {}

    private ProfileRows run(Meta meta) throws InvalidProfileException {
        int[] columns = valueColumns(p, meta.type());
        ById<LocationRow[]> locationRows = locationRows();

        Map<Long, Summed> samples = new LinkedHashMap<>(p.getSampleCount() * 2 + 16);
        long[] totals = new long[columns.length];
        long[] values = new long[columns.length];
        for (int k = 0; k < p.getSampleCount(); k++) {
            Sample s = p.getSample(k);
            boolean any = false;
            for (int i = 0; i < columns.length; i++) {
                values[i] = s.getValue(columns[i]);
                if (values[i] < 0) {
                    throw new InvalidProfileException("sample " + k + " has a negative "
                            + meta.type().valueTypes().get(i).type() + " value " + values[i]);
                }
                any |= values[i] != 0;
            }
            if (!any) continue;
            long[] sum = stack(s, locationRows, samples, columns.length);
            for (int i = 0; i < values.length; i++) {
                sum[i] = Sums.add(sum[i], values[i]);
                totals[i] = Sums.add(totals[i], values[i]);
            }
        }

        StackRow[] sampleStacks = new StackRow[samples.size()];
        long[][] sampleValues = new long[columns.length][samples.size()];
        long content = 0; // a sum of per-stack hashes: the same whatever order the samples came in
        int row = 0;
        for (Summed e : samples.values()) {
            sampleStacks[row] = e.stack();
            Hasher h = new Hasher(SEED_DIGEST).putLong(e.stack().id());
            for (int i = 0; i < columns.length; i++) {
                sampleValues[i][row] = e.values()[i];
                h.putLong(e.values()[i]);
            }
            content += h.hash();
            row++;
        }
        Series series = series(meta.tenant(), meta.service(), meta.type(), meta.labels());
        long digest = new Hasher(SEED_DIGEST)
                .putLong(series.id())
                .putLong(meta.fromMs())
                .putLong(meta.untilMs())
                .putLong(content)
                .hash();
        if (digest == Schema.UNKNOWN_DIGEST) digest = 1;
        return new ProfileRows(
                meta.uid(),
                series,
                meta.fromMs(),
                meta.untilMs(),
                sampleStacks,
                sampleValues,
                totals,
                digest,
                truncatedStacks);
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

    /** Each location's frames, leaf first. */
    private ById<LocationRow[]> locationRows() {
        ById<Mapping> mappings = new ById<>(p.getMappingList(), Mapping::getId);
        for (Mapping m : p.getMappingList()) mappings.put(m.getId(), m);
        ById<FunctionInfo> fns = new ById<>(p.getFunctionList(), Function::getId);
        for (Function f : p.getFunctionList()) fns.put(f.getId(), new FunctionInfo(f));
        ById<LocationRow[]> out = new ById<>(p.getLocationList(), Location::getId);
        for (Location l : p.getLocationList()) {
            Mapping m = l.getMappingId() == 0 ? null : mappings.get(l.getMappingId());
            StringRow binary = string(m == null ? 0 : m.getFilename()),
                    buildId = string(m == null ? 0 : m.getBuildId());
            LocationRow[] frames;
            if (l.getLineCount() == 0) {
                // an unsymbolized location, named by binary and address as ProfileReader names it
                String binaryName = binary.value();
                String name = (binaryName.isEmpty() ? "" : binaryName + "+") + "0x" + Long.toHexString(l.getAddress());
                FunctionRow fn = function(stringRow(name), FrameKind.UNKNOWN, string(0));
                frames = new LocationRow[] {location(fn, 0, binary, buildId)};
            } else {
                frames = new LocationRow[l.getLineCount()];
                for (int i = 0; i < frames.length; i++) {
                    Line line = l.getLine(i);
                    FunctionRow fn = fns.get(line.getFunctionId()).row(i < frames.length - 1);
                    frames[i] = location(fn, line.getLine(), binary, buildId);
                }
            }
            out.put(l.getId(), frames);
        }
        return out;
    }

    /** A pprof function's rows, made once: as written, and as an inlined frame. */
    private final class FunctionInfo {
        private final Function f;
        private final FrameKind kind;
        private final boolean explicit;
        private FunctionRow asIs, inlined;

        FunctionInfo(Function f) {
            this.f = f;
            String systemName = p.getStringTable((int) f.getSystemName());
            kind = FrameKind.ofSystemName(systemName);
            explicit = systemName.endsWith(KIND_SUFFIXES[kind.ordinal()]);
        }

        /** Inner lines of a location are inlined frames unless the writer gave the function a kind. */
        FunctionRow row(boolean innerLine) {
            if (innerLine && !explicit) {
                if (inlined == null)
                    inlined = function(string(f.getName()), FrameKind.INLINED, string(f.getFilename()));
                return inlined;
            }
            if (asIs == null) asIs = function(string(f.getName()), kind, string(f.getFilename()));
            return asIs;
        }
    }

    /** Adds the sample's stack to {@code samples} if new; returns its sums. */
    private long[] stack(Sample s, ById<LocationRow[]> locationRows, Map<Long, Summed> samples, int columns) {
        String encodedLabels = labels(s);
        Hasher seed = stackSeeds.get(encodedLabels);
        if (seed == null) {
            seed = new Hasher(SEED_STACK).putString(encodedLabels);
            stackSeeds.put(encodedLabels, seed);
        }
        int depth = 0;
        for (int i = 0; i < s.getLocationIdCount(); i++) depth += locationRows.get(s.getLocationId(i)).length;
        boolean cut = depth > maxStackDepth;
        int kept = cut ? maxStackDepth - 1 : depth;
        if (cut) truncatedStacks++;
        Hasher h = seed.copy();
        int d = 0;
        for (int i = 0; i < s.getLocationIdCount() && d < kept; i++) {
            for (LocationRow loc : locationRows.get(s.getLocationId(i))) {
                if (d++ == kept) break;
                h.putLong(loc.id());
            }
        }
        if (cut) h.putLong(truncated().id());
        long hash = h.hash();
        Summed summed = samples.get(hash);
        if (summed == null) {
            LocationRow[] locs = new LocationRow[cut ? maxStackDepth : depth];
            d = 0;
            for (int i = 0; i < s.getLocationIdCount() && d < kept; i++) {
                for (LocationRow loc : locationRows.get(s.getLocationId(i))) {
                    if (d == kept) break;
                    locs[d++] = loc;
                }
            }
            if (cut) locs[kept] = truncated();
            summed = new Summed(new StackRow(hash, locs, encodedLabels), new long[columns]);
            samples.put(hash, summed);
        }
        return summed.values();
    }

    /** The frame standing for what a cut stack lost on the root side. */
    private LocationRow truncated() {
        if (truncated == null) {
            truncated = location(function(stringRow(TRUNCATED), FrameKind.UNKNOWN, string(0)), 0, string(0), string(0));
        }
        return truncated;
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

    private static LocationRow location(FunctionRow function, long line, StringRow binary, StringRow buildId) {
        long hash = new Hasher(SEED_LOCATION)
                .putLong(function.id())
                .putLong(line)
                .putLong(binary.id())
                .putLong(buildId.id())
                .hash();
        return new LocationRow(hash, function, line, binary, buildId);
    }

    private static FunctionRow function(StringRow name, FrameKind kind, StringRow file) {
        String kindId = KIND_IDS[kind.ordinal()];
        long hash = new Hasher(SEED_FUNCTION)
                .putLong(name.id())
                .putString(kindId)
                .putLong(file.id())
                .hash();
        return new FunctionRow(hash, name, kindId, file);
    }

    /** The row of string table entry {@code index}, made once per profile. */
    private StringRow string(long index) {
        int i = (int) index;
        StringRow r = strings[i];
        if (r == null) {
            r = stringRow(p.getStringTable(i));
            strings[i] = r;
        }
        return r;
    }

    private static StringRow stringRow(String s) {
        return new StringRow(Hasher.ofString(s), s);
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
